"""The language a CV is written in: English, German, French, Spanish, Dutch, Italian, Portuguese.

A profile of function words and CV words per language, counted over the text's words: a CV
has hundreds of words and these lists hold the most frequent words of each language, so the
counts separate the languages clearly, in microseconds and without a model file. Measured
against lingua and langdetect in ``bench/resumes.py --languages`` (decision 0021).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["LANGUAGES", "detect_language"]

LANGUAGES = ("en", "de", "fr", "es", "nl", "it", "pt")

# The commonest function words of each language, plus words CVs use a lot. A word shared by
# two languages ("in", "a", "de", "die") is kept only where it is much more frequent; shared
# words count for both, which is fine: the others decide.
_WORDS: dict[str, str] = {
    "en": """the and of to in for with on at by from as an is are was were be been this that
        which who have has had will would our my your their it its or not all also more than
        experience skills education work years responsible managed team including using
        developed worked present company university school manager project""",
    "de": """der die das und ist nicht mit von den dem des ein eine einer eines zu im auf für
        sich auch als bei nach aus wird werden wurde sind war oder wie über unter durch bis
        zum zur sowie ich mein meine berufserfahrung kenntnisse ausbildung studium heute
        jahre verantwortlich leitung entwicklung bereich tätigkeit unternehmen sprachen""",
    "fr": """le la les et des du un une est dans pour avec sur par au aux ce cette qui que pas
        plus son sa ses ont été être je mon ma mes nos vos leur chez depuis lors entre
        expérience professionnelle compétences formation présent gestion équipe projet
        responsable développement entreprise langues stage""",
    "es": """el la los las y del en un una es por con para al lo como más pero sus su se que
        fue son ha han este esta entre desde hasta sobre mi mis nuestro también experiencia
        laboral profesional habilidades formación educación actualidad gestión equipo
        desarrollo empresa responsable idiomas años proyecto""",
    "nl": """de het een en van in is op te dat die voor met zijn aan als bij ook om door naar
        uit over tot heb hebben werd wordt worden mijn ons onze niet maar nog werkervaring
        vaardigheden opleiding heden jaar verantwoordelijk ontwikkeling bedrijf talen
        kennis beheer""",
    "it": """il lo la gli le di e del della dei delle in un una è per con su al alla nel nella
        che non più sono ho ha come anche tra fra dal dalla mio mia esperienza
        professionale competenze istruzione formazione oggi gestione sviluppo azienda
        responsabile lingue anni progetto lavoro""",
    "pt": """o a os as e do da dos das em um uma é para com por no na nos nas ao à que não mais
        como foi são tem ser seu sua meu minha também entre até experiência profissional
        competências habilidades formação educação atual gestão equipe equipa
        desenvolvimento empresa responsável idiomas anos projeto trabalho""",
}  # fmt: skip
_LEXICON: dict[str, frozenset[str]] = {k: frozenset(v.split()) for k, v in _WORDS.items()}
# Letters that only some of the languages use.
_LETTERS = {
    "de": "ßäöü",
    "fr": "çèêëàâîïôœùû",
    "es": "ñ¿¡áíóú",
    "pt": "ãõçâêôáíóú",
    "it": "àèìòù",
    "nl": "ĳ",
}
_TOKEN_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def detect_language(text: str, *, min_hits: int = 3) -> str | None:
    """The ISO 639-1 code of the language ``text`` is written in, or ``None`` if unsure.

    Only the seven languages of :data:`LANGUAGES` are told apart; text with fewer than
    ``min_hits`` known words (a list of tools, a name) gives ``None``.
    """
    tokens = [t.lower() for t in _TOKEN_RE.findall(unicodedata.normalize("NFC", text))]
    if not tokens:
        return None
    scores = dict.fromkeys(LANGUAGES, 0.0)
    hits = 0
    for tok in tokens:
        found = False
        for lang, words in _LEXICON.items():
            if tok in words:
                scores[lang] += 1.0
                found = True
        hits += found
    letters = "".join(tokens)
    for lang, chars in _LETTERS.items():
        scores[lang] += 0.5 * sum(letters.count(c) for c in chars)
    if hits < min_hits:
        return None
    best = max(LANGUAGES, key=lambda k: (scores[k], -LANGUAGES.index(k)))
    return best
