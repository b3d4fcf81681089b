"""Developer tool: autogenerate a migration for a domain's new or changed tables.

Usage::

    python -m skillpath.store.revision "add catalog" --branch catalog

Each domain keeps its own Alembic branch (label = domain name) rooted at the foundation revision,
so that domains can add tables independently; ``open_store`` upgrades to all heads.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory

from skillpath.store._db import alembic_config


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("message")
    ap.add_argument("--branch", required=True, help="domain branch label, e.g. catalog")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'rev.db'}"
        cfg = alembic_config(url)
        command.upgrade(cfg, "heads")
        script = ScriptDirectory.from_config(cfg)
        labels = {lab for rev in script.walk_revisions() for lab in (rev.branch_labels or ())}
        if args.branch in labels:
            command.revision(
                cfg, message=args.message, autogenerate=True, head=f"{args.branch}@head"
            )
        else:
            command.revision(
                cfg,
                message=args.message,
                autogenerate=True,
                head="foundation@head",
                branch_label=args.branch,
                splice=True,
            )


if __name__ == "__main__":
    main()
