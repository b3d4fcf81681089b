"""The language a course is taught in: the provider's word for it, else detected offline from the
course's own text with Lingua (a well-kept n-gram detector that works on short text and needs no
network; decision 0063)."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

#: Languages the detector chooses from (the languages of the catalogues and CVs we meet). Fewer
#: candidates make short titles more reliable and the models quicker to load.
LANGUAGES = (
    "ENGLISH",
    "GERMAN",
    "FRENCH",
    "SPANISH",
    "ITALIAN",
    "PORTUGUESE",
    "DUTCH",
    "POLISH",
    "RUSSIAN",
    "TURKISH",
    "ARABIC",
    "CHINESE",
    "JAPANESE",
    "KOREAN",
    "HINDI",
    "INDONESIAN",
)
MIN_CONFIDENCE = (
    0.7  # below this the text is too short or mixed to say (product names, "Excel VBA")
)
MIN_WORDS = 3
_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    # low accuracy mode: trigram models only (2 s to load instead of a minute), still right on
    # course titles of three words and more
    return (
        LanguageDetectorBuilder.from_languages(*(getattr(Language, n) for n in LANGUAGES))
        .with_low_accuracy_mode()
        .build()
    )


def reads_language(course_language: str | None, languages: Iterable[str]) -> bool:
    """Whether a course in ``course_language`` (a name or a code) is in one of ``languages``
    (names or codes). An unknown course language passes: most such titles are too short to tell
    and are product names ("Excel VBA"). The one test the plan, the recommender and their filters
    share."""
    code = language_code(course_language) if course_language else ""
    if not code:
        return True
    wanted = {language_code(x) or x.strip().lower()[:2] for x in languages if x and x.strip()}
    return not wanted or code in wanted


@lru_cache(maxsize=256)
def language_code(name: str) -> str:
    """ISO 639-1 code of a language name or code ("English", "en", "Deutsch" -> "en", "en", "de");
    '' when unknown."""
    from lingua import IsoCode639_1, Language

    n = name.strip().lower()
    if not n:
        return ""
    native = {
        "deutsch": "de",
        "français": "fr",
        "francais": "fr",
        "español": "es",
        "espanol": "es",
        "italiano": "it",
        "português": "pt",
        "portugues": "pt",
        "nederlands": "nl",
        "polski": "pl",
        "русский": "ru",
        "türkçe": "tr",
        "中文": "zh",
        "日本語": "ja",
    }
    if n in native:
        return native[n]
    if len(n) == 2:
        try:
            IsoCode639_1.from_str(n)
            return n
        except ValueError:
            return ""
    head = n.split()[0].split("-")[0].split("(")[0].strip().upper()
    for lang in Language.all():
        if lang.name == head:
            return str(lang.iso_code_639_1.name).lower()
    return ""


def detect_language(text: str) -> tuple[str, float] | None:
    """``(ISO 639-1 code, confidence)`` of a text, or None when it is too short or unclear."""
    words = text.split()
    if len(words) < MIN_WORDS:
        return None
    with _LOCK:
        values = _detector().compute_language_confidence_values(" ".join(words[:200]))
    if not values or values[0].value < MIN_CONFIDENCE:
        return None
    return str(values[0].language.iso_code_639_1.name).lower(), round(float(values[0].value), 3)


def course_language(stated: str, title: str, text: str) -> tuple[str, float, str]:
    """A course's language: ``(code, confidence, source)`` with source ``stated``, ``detected`` or
    ``unknown`` (code '')."""
    code = language_code(stated)
    if code:
        return code, 1.0, "stated"
    found = detect_language(f"{title}. {text[:600]}")
    if found:
        return found[0], found[1], "detected"
    return "", 0.0, "unknown"
