"""The language a course is taught in: the provider's word for it, else detected offline from the
course's own text with Lingua (a well-kept n-gram detector that works on short text and needs no
network; decisions 0063, 0162)."""

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
#: below this the text is too short or mixed to say (product names, "Excel VBA"); chosen on half
#: of the edX titles, whose language the provider states (``bench/course_language.py``)
MIN_CONFIDENCE = 0.5
MIN_WORDS = 3
_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    # the full models (1-5 grams): the low-accuracy mode (trigrams only) called 67 of 776 English
    # edX titles another language ("Python Data Structures" French, "Mastering CSS 3.0
    # Selectors" Turkish), hiding them from English readers; the full mode 10. It loads in about
    # 2 s and holds about 250 MB while a catalogue is tagged, the only time it runs (decision 0162)
    return LanguageDetectorBuilder.from_languages(
        *(getattr(Language, n) for n in LANGUAGES)
    ).build()


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
    if not values:
        return None
    top = values[0]
    if top.value < MIN_CONFIDENCE:
        # two languages other than English that together are this sure are kin that share their
        # words ("UX / UI: Fundamentos para o design de interface": Portuguese 0.47, Spanish
        # 0.31, English 0.07): the text is not English, and the likelier one is named
        other = [v for v in values[:2] if v.language.name != "ENGLISH"]
        if len(other) < 2 or sum(v.value for v in other) < MIN_CONFIDENCE:
            return None
    return str(top.language.iso_code_639_1.name).lower(), round(float(top.value), 3)


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
