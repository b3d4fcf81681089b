"""Text normalisation and tokenisation shared by every engine (and by other packages).

Three layers, each reusable on its own:

* :func:`normalize` -- one canonical string: Unicode NFKC, accents folded, lower case, the few
  programming-language spellings that punctuation would destroy (``C++``, ``C#``, ``.NET``,
  ``Node.js``) kept as words, every other punctuation mark a space.
* :func:`tokenize` -- the words of :func:`normalize`.
* :func:`analyze` -- index terms: tokens with the curated abbreviations expanded
  (``k8s`` -> ``kubernetes``, ``ml`` -> ``machine learning``; ``data/synonyms.tsv``), British
  spellings folded to American, stop words dropped and Snowball (Porter2) stems.

See docs/decisions/0010-lexical-linker.md.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

import snowballstemmer

__all__ = ["analyze", "normalize", "stem", "synonyms", "tokenize"]

# Spellings whose punctuation carries meaning; rewritten to a word before punctuation goes.
_SPECIAL = [
    (re.compile(r"(?<![a-z0-9])c\+\+"), " cplusplus "),
    (re.compile(r"(?<![a-z0-9])c#"), " csharp "),
    (re.compile(r"(?<![a-z0-9])f#"), " fsharp "),
    (re.compile(r"(?<![a-z0-9])\.net\b"), " dotnet "),
    (re.compile(r"\basp\.net\b"), " asp dotnet "),
    (re.compile(r"\b([a-z0-9]+)\.js\b"), r" \1js "),
]
_NON_WORD = re.compile(r"[^a-z0-9]+")
_TOKEN = re.compile(r"[a-z0-9]+")

# A small English stop list: function words only. Content words that look like stop words in
# other lists ("system", "computer", "work", "part") carry meaning in skill labels and stay.
_STOP_TEXT = """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each etc
    few for from further had has have having he her here hers herself him himself his how i
    if in into is its itself just me more most my myself no nor not now of off on once only
    or other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    upon very was we were what when where which while who whom why will with within without
    would you your yours yourself yourselves us via per eg ie"""
STOP_WORDS = frozenset(_STOP_TEXT.split())

_stemmer = snowballstemmer.stemmer("english")


def normalize(text: str) -> str:
    """Return the canonical form of ``text``: folded, lower-cased words separated by one space.

    ``"Node.js & C++ (5+ yrs)"`` becomes ``"nodejs cplusplus 5 yrs"``. Idempotent.
    """
    if not text:
        return ""
    if text.isascii():
        folded = text.lower()
    else:
        folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    if "+" in folded or "#" in folded or "." in folded:
        for pattern, repl in _SPECIAL:
            folded = pattern.sub(repl, folded)
    return _NON_WORD.sub(" ", folded).strip()


def tokenize(text: str) -> list[str]:
    """Split ``text`` into normalised words (see :func:`normalize`), keeping every word."""
    return _TOKEN.findall(normalize(text))


def _tokenize_spans(text: str) -> list[tuple[str, int, int]]:
    """Tokens of ``text`` with the character span of each in the original string.

    Offsets are found on a per-character folding so that they point into ``text`` itself;
    the special spellings of :func:`normalize` are applied to each raw token.
    """
    out: list[tuple[str, int, int]] = []
    for m in re.finditer(r"[^\s,;:()\[\]{}\"'/|<>!?]+", text):
        for tok in tokenize(m.group()):
            out.append((tok, m.start(), m.end()))
    return out


@lru_cache(maxsize=1)
def synonyms() -> dict[tuple[str, ...], tuple[str, ...]]:
    """The curated abbreviation table: normalised short form -> normalised full form."""
    table: dict[tuple[str, ...], tuple[str, ...]] = {}
    raw = resources.files("skillpath.text").joinpath("data/synonyms.tsv").read_text("utf-8")
    for line in raw.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        short, _, full = line.partition("\t")
        key, value = tuple(tokenize(short)), tuple(tokenize(full))
        if key and value:
            table[key] = value
    return table


@lru_cache(maxsize=1)
def _max_synonym_len() -> int:
    return max((len(k) for k in synonyms()), default=1)


@lru_cache(maxsize=1)
def _first_tokens() -> frozenset[str]:
    return frozenset(k[0] for k in synonyms())


def expand(tokens: list[str]) -> list[str]:
    """Replace abbreviations in a token list by their full forms (longest match first)."""
    starts = _first_tokens()
    if not any(t in starts for t in tokens):
        return tokens
    table = synonyms()
    longest = _max_synonym_len()
    out: list[str] = []
    i = 0
    n = len(tokens)
    while i < n:
        if tokens[i] not in starts:
            out.append(tokens[i])
            i += 1
            continue
        for size in range(min(longest, n - i), 0, -1):
            full = table.get(tuple(tokens[i : i + size]))
            if full is not None:
                out.extend(full)
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


_BRITISH = [
    ("isation", "ization"),
    ("isations", "izations"),
    ("ising", "izing"),
    ("ised", "ized"),
    ("ises", "izes"),
    ("yse", "yze"),
    ("ysing", "yzing"),
    ("ysed", "yzed"),
    ("ise", "ize"),
]


@lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """Stem one normalised token (British -ise spellings folded to -ize first)."""
    if len(token) > 5:
        for suffix, repl in _BRITISH:
            if token.endswith(suffix):
                token = token[: -len(suffix)] + repl
                break
    if len(token) <= 2 or token.isdigit():
        return token
    return str(_stemmer.stemWord(token))


def analyze(text: str, *, keep_stop_words: bool = False) -> list[str]:
    """Index terms of ``text``: tokens, abbreviations expanded, stop words dropped, stemmed.

    Args:
        text: any text.
        keep_stop_words: keep function words (useful for phrase matching).
    """
    toks = expand(tokenize(text))
    if not keep_stop_words:
        toks = [t for t in toks if t not in STOP_WORDS]
    return [stem(t) for t in toks]
