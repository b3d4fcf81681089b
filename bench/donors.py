"""Every current O*NET occupation that borrows its ratings, and from whom (decision 0149).

Usage::

    python bench/donors.py --db sqlite:///STORE.db

O*NET releases do not rate every occupation; ``Taxonomy.rating_donor`` names the occupation an
unrated one borrows its Skills and Knowledge from. Read the list as a coach: is the donor's work
close to the occupation's?
"""

from __future__ import annotations

import argparse

from skillpath.store import open_store
from skillpath.taxonomy import Taxonomy


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--db", required=True)
    args = ap.parse_args()
    tax = Taxonomy.load(open_store(args.db))
    n = 0
    for oid, occ in sorted(tax.occupations.items()):
        if occ.taxonomy != "onet" or getattr(occ, "status", "current") != "current":
            continue
        donor = tax.rating_donor(oid)
        if donor:
            n += 1
            print(f"{occ.code}  {occ.label[:55]:55s} <- {tax.occupations[donor].label}")
    print(f"{n} occupations borrow their ratings")


if __name__ == "__main__":
    main()
