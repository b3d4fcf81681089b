"""Skill mentions in long text: split into sentences and bullet points, link each piece."""

from __future__ import annotations

import re

from skillpath.text._types import Linker, Mention

__all__ = ["extract_mentions", "split_segments"]

# A segment ends at a line break, or at . ! ? ; followed by white space. Bullet markers and
# numbering at the start of a line are not part of the segment.
_LINE = re.compile(r"[^\n\r]+")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\s+[•·▪●◦‣]\s+|\s+[|]\s+")
_BULLET = re.compile(r"\s*(?:[-*+•·▪●◦‣>]+|\(?\d{1,2}[.)]|\(?[a-zA-Z][.)](?=\s))\s*")
MAX_SEGMENT_CHARS = 400


def split_segments(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences and bullet points of ``text``.

    Long pieces without punctuation are cut at commas so that a segment stays short enough to
    be linked as a unit.
    """
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        start = line.start()
        pieces: list[tuple[int, int]] = []
        pos = start
        for m in _SENTENCE_END.finditer(line.group()):
            pieces.append((pos, start + m.start()))
            pos = start + m.end()
        pieces.append((pos, line.end()))
        for a, b in pieces:
            for a2, b2 in _cut_long(text, a, b):
                bullet = _BULLET.match(text, a2, b2)
                if bullet:
                    a2 = bullet.end()
                while a2 < b2 and text[a2].isspace():
                    a2 += 1
                while b2 > a2 and text[b2 - 1] in " \t.;":
                    b2 -= 1
                if b2 > a2 and any(ch.isalnum() for ch in text[a2:b2]):
                    spans.append((a2, b2))
    return spans


def _cut_long(text: str, a: int, b: int) -> list[tuple[int, int]]:
    if b - a <= MAX_SEGMENT_CHARS:
        return [(a, b)]
    out: list[tuple[int, int]] = []
    pos = a
    for m in re.finditer(r",\s+", text[a:b]):
        if a + m.start() - pos >= MAX_SEGMENT_CHARS // 2:
            out.append((pos, a + m.start()))
            pos = a + m.end()
    out.append((pos, b))
    return out


def extract_mentions(
    linker: Linker, text: str, *, top_k: int = 5, min_score: float = 0.5
) -> list[Mention]:
    """Find the concepts mentioned in a long text, sentence by sentence.

    Args:
        linker: any :class:`~skillpath.text.Linker`.
        text: a CV section, a course description, a job ad...
        top_k: most hits kept per segment.
        min_score: hits scoring below this are dropped; segments without hits are omitted.

    Returns:
        Mentions in text order; ``mention.text == text[mention.start:mention.end]``.
    """
    spans = split_segments(text)
    if not spans:
        return []
    results = linker.link_many([text[a:b] for a, b in spans], top_k=top_k)
    out: list[Mention] = []
    for (a, b), hits in zip(spans, results, strict=True):
        kept = tuple(h for h in hits if h.score >= min_score)
        if kept:
            out.append(Mention(text[a:b], a, b, kept))
    return out
