"""Precision rules: what in a text is not evidence of a skill, and when a name must be a name.

Three general rules, applied by every engine (decision 0014):

* :func:`mask_non_evidence` blanks what is not evidence before linking, keeping offsets: negated
  phrases ("no coding required", "without prior experience") and stop-phrases that look like
  skills but are not ("self-paced", "degree programme", "full-time"; ``data/stop_phrases.txt``).
* :class:`CaseRule`: a one-word label written as a name (``REDUCE``, ``STAF``, ``LED``, ``Self``)
  whose word is also a common lower-case word in the taxonomy's own prose must occur in the text
  written as a name too: "reduced turnover" is not REDUCE, "led a team" is not LEDs,
  "Coordinate staffing" is not STAF, "self-paced" is not Self. Acronyms that are no common word
  (CSS, SQL) still match in any case.
* :func:`technology_aliases`: vendor-prefixed technology names also answer to the product name
  ("Dassault Systemes SOLIDWORKS" -> "SOLIDWORKS", "National Instruments LabVIEW" -> "LabVIEW"),
  a trailing acronym to itself ("Hypertext markup language HTML" -> "HTML"), and a vendor with
  few products to its own name ("Kronos").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources

__all__ = ["CaseRule", "mask_non_evidence", "stop_phrases", "technology_aliases"]

# Negation cues and their scope: the next one to three words, up to punctuation or a
# conjunction that starts a new clause. "not only" / "no later than" negate nothing.
_NEGATION = re.compile(
    r"(?:(?<![\w-])(?:no|not|never|without|nor|lack of|lacking)|(?<=\w)n't)"
    r"(?!\s+(?:only|just|less|more|later|longer|matter|doubt|fewer)\b)"
    r"((?:[\s-]+(?!(?:but|and|or|yet|however)\b)[\w+#.]+){1,3})",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def stop_phrases() -> re.Pattern[str]:
    """The curated stop-phrases (``data/stop_phrases.txt``) as one case-insensitive pattern."""
    raw = resources.files("skillpath.text").joinpath("data/stop_phrases.txt").read_text("utf-8")
    phrases = [
        line.strip() for line in raw.splitlines() if line.strip() and not line.startswith("#")
    ]
    parts = sorted((re.escape(p).replace(r"\ ", r"[\s-]+") for p in phrases), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", re.IGNORECASE)


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group(0))


def mask_non_evidence(text: str) -> str:
    """``text`` with negated phrases and stop-phrases replaced by spaces (same length).

    ``"No coding required; self-paced. Python"`` -> ``"                  ;           . Python"``.
    """
    if not text:
        return text
    text = stop_phrases().sub(_blank, text)
    return _NEGATION.sub(_blank, text)


# --------------------------------------------------------------------------------------------
# case rule

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9+#]*")


def _name_form(surface: str) -> str | None:
    """The single word of ``surface`` if it is written as a name (ALL CAPS or Capitalised)."""
    words = _WORD.findall(surface)
    if len(words) != 1:
        return None
    w = words[0]
    if len(w) >= 2 and w.isupper():
        return w
    if w[:1].isupper() and not w.isupper():
        return w
    return None


class CaseRule:
    """Which one-word names must be written as names in the text (see the module docstring).

    Args:
        prose: the taxonomy's own running text (labels and descriptions): a word seen at least
            ``min_count`` times in lower case there is a common word.
    """

    def __init__(self, prose: Iterable[str], *, min_count: int = 3) -> None:
        from skillpath.text._normalize import stem

        counts: Counter[str] = Counter()
        for text in prose:
            for w in re.findall(r"(?<![A-Za-z])[a-z]{2,}(?![A-Za-z])", text):
                counts[stem(w)] += 1
        self._common = {s for s, n in counts.items() if n >= min_count}

    def pattern(self, surface: str) -> re.Pattern[str] | None:
        """For a surface that needs its written form, the pattern the text must contain.

        A common word written as a name needs the name (case-sensitive). A name of four letters
        or more written in capitals or with inner capitals (``GRAMS``, ``LabVIEW``) is matched
        without stemming: the text must spell the word itself, in any case ("Solidworks" is
        SOLIDWORKS, "Gram stain" is not GRAMS).
        """
        from skillpath.text._normalize import stem

        w = _name_form(surface)
        if w is None:
            return None
        if stem(w.lower()) not in self._common:
            if len(w) >= 4 and (w.isupper() or any(c.isupper() for c in w[1:])):
                return re.compile(
                    rf"(?<![A-Za-z0-9]){re.escape(w)}(?:'?s)?(?![A-Za-z0-9])", re.IGNORECASE
                )
            return None
        # the name itself, possibly plural ("LEDs"); a Capitalised name not at the start of a
        # sentence, where every word is capitalised
        if w.isupper():
            return re.compile(rf"(?<![A-Za-z0-9]){re.escape(w)}s?(?![A-Za-z0-9])")
        return re.compile(rf"(?<![A-Za-z0-9]){re.escape(w)}s?(?![A-Za-z0-9-])")

    @staticmethod
    def satisfied(
        pattern: re.Pattern[str], text: str, surface_terms: Sequence[str], text_terms: Sequence[str]
    ) -> bool:
        """The text writes the name as a name, or the text is nothing but the name (a stated
        skill "Go" or "self").

        A common word is not written as a name at the start of a sentence, nor inside a run of
        capitalised words: "Sous Chef", "EXECUTIVE CHEF" are titles, not the software Chef.
        """
        if list(text_terms) == list(surface_terms):
            return True
        text = text.strip()
        if pattern.flags & re.IGNORECASE:  # a name spelled out: any case, or its abbreviation
            from skillpath.text._normalize import expand, tokenize

            return pattern.search(" ".join(expand(tokenize(text)))) is not None
        for m in pattern.finditer(text):
            before = text[: m.start()].rstrip()
            prev = re.search(r"([A-Za-z][\w'&.-]*)[ \t]+$", text[: m.start()])
            nxt = re.match(r"[ \t]+([A-Za-z][\w'&.-]*)", text[m.end() :])
            near = [x.group(1) for x in (prev, nxt) if x is not None]
            if m.group(0).isupper():
                # "EXECUTIVE CHEF": a line in capitals; "LED lighting", "Designed LED": a name
                if not any(len(w) >= 2 and w.isupper() for w in near):
                    return True
                continue
            if any(w[:1].isupper() for w in near):  # "Sous Chef", "Chef Manager": a title
                continue
            # a Capitalised word at the start of a sentence may be any word
            if before and before[-1] not in ".!?:;•*-–|(\"'":
                return True
        return False


# --------------------------------------------------------------------------------------------
# technology aliases


def technology_aliases(
    labels: Sequence[str],
    *,
    common: set[str] | None = None,
    max_vendor_products: int = 5,
    products_only: bool = False,
) -> dict[str, tuple[str, ...]]:
    """Aliases of technology labels: product without vendor, trailing acronym, vendor name.

    A vendor is a leading one or two words shared by at least two labels ("Microsoft",
    "Dassault Systemes", "Kronos"). The product name left after it becomes an alias when it
    still names something: several words, or a word written as a name (``SOLIDWORKS``,
    ``LabVIEW``); a lone common word ("Word", "Project") stays an alias only in its written
    form, which the case rule enforces. The vendor alone is an alias of each of its products
    when it has at most ``max_vendor_products`` of them. ``products_only`` keeps only a one-word
    product name of 4 letters or more that is not in ``common`` (the tagger's aliases).
    """

    def name_words(lab: str) -> list[str]:
        # O*NET adds "software" to tell a product from a word ("Microsoft Azure software",
        # "Workday software"); the product's own name is what people write
        words = lab.split()
        return words[:-1] if len(words) > 1 and words[-1].lower() == "software" else words

    firsts: Counter[str] = Counter()
    for lab in labels:
        words = name_words(lab)
        for k in (1, 2):
            if len(words) > k:
                firsts[" ".join(words[:k])] += 1
    from skillpath.text._normalize import stem

    def distinctive(name: str) -> bool:
        words = _WORD.findall(name)
        if not _names_something(name):
            return False
        return len(words) >= 2 or common is None or stem(words[0].lower()) not in common

    out: dict[str, list[str]] = {}
    for lab in labels:
        words = name_words(lab)
        aliases: list[str] = []
        for k in (2, 1):
            if len(words) > k and firsts[" ".join(words[:k])] >= 2:
                rest = " ".join(words[k:])
                if distinctive(rest) and (
                    not products_only
                    or (
                        len(words) - k == 1
                        and len(rest) >= 4
                        and stem(rest.lower()) not in (common or ())
                    )
                ):
                    aliases.append(rest)
                break
        if products_only:  # the product's one-word name only ("Azure", "SOLIDWORKS")
            if aliases:
                out[lab] = aliases
            continue
        if (
            len(words) > 1
            and 2 <= firsts[words[0]] <= max_vendor_products
            and distinctive(words[0])
        ):
            aliases.append(words[0])
        if len(words) >= 3 and re.fullmatch(r"[A-Z][A-Z0-9]{1,7}", words[-1]):
            initials = "".join(w[0] for w in words[:-1]).upper()
            if words[-1] in initials or len(words[-1]) >= 3:
                aliases.append(words[-1])
        aliases = [a for a in dict.fromkeys(aliases) if a != lab]
        if aliases:
            out[lab] = aliases
    return {k: tuple(v) for k, v in out.items()}


def _names_something(s: str) -> bool:
    words = _WORD.findall(s)
    if not words:
        return False
    if len(words) >= 2:
        return True
    w = words[0]
    return len(w) >= 3 and (w.isupper() or any(c.isupper() for c in w[1:]) or w[:1].isupper())
