"""Plain-text and Markdown CVs (and the text extracted from PDF and DOCX files).

CVs have no grammar, so this reader is a set of small, forgiving heuristics:

* sections start at headings (Markdown ``#``, an all-caps line, or a short line that is a
  known section name such as "Experience", "Skills", "Education");
* in experience-like sections an entry is a run of header lines (a sub-heading, a line with
  a date range such as "Jan 2018 – Mar 2021" or "2019 - present", and the short lines just
  before it) followed by its description (bullets and prose);
* in the skills section items are split on commas, semicolons, bullets and pipes, and a
  level or years in brackets ("Python (advanced, 6 years)") are kept.

What it cannot place it reports as a warning rather than guessing silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from skillpath.profile._dates import DateRange, _fold, find_date_range, join_split_ranges
from skillpath.profile._lang import detect_language
from skillpath.profile._model import (
    Certificate,
    Course,
    Education,
    Position,
    Profile,
    StatedSkill,
)

__all__ = ["parse_text_cv", "repair_text", "split_skill_items"]

# Section headings in English, German, French, Spanish, Dutch, Italian and Portuguese, folded
# (lower case, no accents: see ``_key``). "ignore" sections are kept out of the structure (their
# text still reaches inference through ``Profile.text``).
_SECTIONS: dict[str, tuple[str, ...]] = {
    "experience": (
        "experience", "work experience", "professional experience", "employment",
        "employment history", "work history", "career history", "career", "positions",
        "relevant experience", "professional background", "jobs", "work", "experience details",
        "company details", "professional history", "job history", "employment record",
        "internships", "internship", "military experience", "relevant work experience",
        "work experience details", "career experience", "professional experiences",
        # de
        "berufserfahrung", "berufliche erfahrung", "berufliche erfahrungen", "berufspraxis",
        "beruflicher werdegang", "werdegang", "erfahrung", "berufstatigkeit", "praxiserfahrung",
        "praktische erfahrung", "arbeitserfahrung", "beschaftigungsverlauf", "stationen",
        "praktika", "berufliche stationen", "karriere",
        # fr
        "experience professionnelle", "experiences professionnelles", "experiences",
        "parcours professionnel", "emplois", "historique professionnel", "stages",
        # es
        "experiencia", "experiencia laboral", "experiencia profesional", "trayectoria profesional",
        "historial laboral", "empleos", "practicas", "experiencias",
        # nl
        "werkervaring", "ervaring", "beroepservaring", "loopbaan", "arbeidsverleden",
        "werkgeschiedenis", "professionele ervaring",
        # it
        "esperienza", "esperienze", "esperienza professionale", "esperienze professionali",
        "esperienza lavorativa", "esperienze lavorative", "percorso professionale", "tirocini",
        # pt
        "experiencia profissional", "experiencias profissionais", "historico profissional",
        "percurso profissional", "experiencia de trabalho", "estagios",
    ),
    "volunteer": (
        "volunteering", "volunteer experience", "volunteer work", "volunteer", "community",
        "community work", "voluntary work", "community involvement", "volunteering and community",
        "community service", "volunteer activities",
        "ehrenamt", "ehrenamtliche tatigkeit", "ehrenamtliche tatigkeiten", "ehrenamtliches engagement",
        "soziales engagement", "benevolat", "engagement associatif", "vie associative",
        "voluntariado", "vrijwilligerswerk", "volontariato",
    ),
    "projects": (
        "projects", "personal projects", "side projects", "selected projects", "open source",
        "key projects", "academic projects", "project details", "project",
        "projekte", "projets", "proyectos", "projecten", "progetti", "projetos", "projectos",
    ),
    "informal": ("informal work", "other experience", "freelance", "freelance work"),
    "skills": (
        "skills", "technical skills", "core skills", "key skills", "competencies",
        "core competencies", "skills and tools", "tools", "technologies", "expertise",
        "skills & tools", "areas of expertise", "tools and technologies", "skills summary",
        "skill", "skill details", "skill highlights", "highlights", "core qualifications",
        "qualifications summary", "summary of qualifications", "summary of skills",
        "core strengths", "strengths", "technical proficiencies", "proficiencies", "abilities",
        "capabilities", "key competencies", "it skills", "computer skills", "technical expertise",
        "technical skill set", "skill set", "skillset", "professional skills", "relevant skills",
        "skills and abilities", "key skills and competencies", "areas of strength",
        # de
        "kenntnisse", "fahigkeiten", "kompetenzen", "fachkenntnisse", "it kenntnisse",
        "edv kenntnisse", "fertigkeiten", "technische kenntnisse", "fachliche kompetenzen",
        "kenntnisse und fahigkeiten", "besondere kenntnisse", "qualifikationen", "schwerpunkte",
        # fr
        "competences", "competences techniques", "savoir faire", "aptitudes", "outils",
        "competences cles", "competences informatiques", "connaissances",
        # es
        "habilidades", "competencias", "conocimientos", "destrezas", "herramientas",
        "habilidades tecnicas", "conocimientos tecnicos", "aptitudes y habilidades",
        # nl
        "vaardigheden", "competenties", "kennis", "vaardigheden en competenties",
        "kennis en vaardigheden", "technische vaardigheden",
        # it
        "competenze", "competenze tecniche", "capacita", "conoscenze", "abilita",
        "capacita e competenze", "competenze informatiche",
        # pt
        "competencias tecnicas", "conhecimentos", "aptidoes", "habilidades e competencias",
    ),
    "education": (
        "education", "academic background", "qualifications", "degrees", "studies",
        "education details", "educational background", "education and training",
        "academic qualifications", "academic history", "schooling", "education & training",
        "educational qualifications", "academic profile", "education history",
        # de
        "ausbildung", "bildung", "bildungsweg", "studium", "schulbildung",
        "akademischer werdegang", "schul und berufsausbildung", "hochschulausbildung",
        "studium und ausbildung", "ausbildung und studium", "schulische ausbildung",
        # fr
        "formation", "formations", "etudes", "diplomes", "parcours academique", "cursus",
        "formation academique", "diplomes et formations", "formation et diplomes",
        # es
        "formacion", "educacion", "formacion academica", "estudios", "titulacion",
        "formacion academica y profesional",
        # nl
        "opleiding", "opleidingen", "onderwijs", "studie", "opleiding en training",
        # it
        "istruzione", "formazione", "titoli di studio", "istruzione e formazione", "studi",
        "formazione accademica",
        # pt
        "formacao", "educacao", "formacao academica", "escolaridade", "habilitacoes",
        "habilitacoes literarias",
    ),
    "certificates": (
        "certifications", "certificates", "licenses", "licences", "licenses and certifications",
        "licenses & certifications", "certifications and licences", "accreditations",
        "certification", "certificate", "credentials", "licensure",
        "zertifikate", "zertifizierungen", "lizenzen", "certificats", "certificaciones",
        "certificados", "certificaten", "certificeringen", "certificazioni", "certificacoes",
    ),
    "courses": (
        "courses", "training", "professional development", "continuing education",
        "courses and training", "training and courses", "cpd", "trainings", "course",
        "weiterbildung", "weiterbildungen", "fortbildung", "fortbildungen", "kurse", "schulungen",
        "formation continue", "cours", "cursos", "formacion complementaria", "cursussen",
        "trainingen", "corsi", "formazione continua",
    ),
    "summary": (
        "summary", "profile", "about", "about me", "objective", "professional summary",
        "executive profile", "executive summary", "career overview", "professional profile",
        "career focus", "career objective", "overview", "personal statement", "profile summary",
        "career summary", "summary of experience",
        "profil", "kurzprofil", "zusammenfassung", "uber mich", "personliches profil",
        "berufliches profil", "resume", "a propos", "objectif", "presentation",
        "profil professionnel", "perfil", "resumen", "perfil profesional", "sobre mi",
        "objetivo", "profiel", "samenvatting", "over mij", "persoonlijk profiel", "profilo",
        "sommario", "chi sono", "obiettivo", "profilo professionale", "resumo", "sobre mim",
        "perfil profissional",
    ),
    "ignore": (
        "languages", "interests", "hobbies", "references", "contact", "publications", "awards",
        "honours", "honors", "personal details", "contact details", "personal information",
        "additional information", "accomplishments", "achievements", "affiliations",
        "professional affiliations", "memberships", "presentations", "activities",
        "activities and honors", "awards and honors", "honors and awards", "core accomplishments",
        "major achievements", "key achievements", "language", "personal", "personal data",
        "sprachen", "sprachkenntnisse", "interessen", "hobbys", "referenzen", "kontakt",
        "personliche daten", "publikationen", "auszeichnungen", "langues", "centres d interet",
        "loisirs", "interets", "references professionnelles", "coordonnees",
        "informations personnelles", "distinctions", "idiomas", "intereses", "aficiones",
        "referencias", "contacto", "datos personales", "publicaciones", "premios", "talen",
        "interesses", "hobby s", "referenties", "contactgegevens", "persoonlijke gegevens",
        "publicaties", "lingue", "interessi", "hobby", "referenze", "contatti",
        "dati personali", "pubblicazioni", "conoscenze linguistiche", "lingue straniere",
        "linguas", "referencias profissionais", "contato", "dados pessoais", "publicacoes",
    ),
}  # fmt: skip
# Words that qualify a heading without changing its section ("Relevant Work Experience").
_MODIFIERS = frozenset(
    [
        "professional",
        "relevant",
        "work",
        "key",
        "technical",
        "core",
        "additional",
        "other",
        "selected",
        "academic",
        "personal",
        "my",
        "recent",
        "previous",
        "related",
        "main",
        "summary",
        "details",
        "highlights",
        "section",
        "and",
        "of",
        "in",
        "the",
        "for",
        "with",
        "de",
        "des",
        "du",
        "la",
        "le",
        "et",
        "und",
        "der",
        "die",
        "das",
        "y",
        "en",
        "e",
        "el",
        "los",
        "las",
        "del",
        "van",
        "het",
        "di",
        "da",
        "do",
        "dos",
        "per",
        "a",
        "berufliche",
        "beruflicher",
        "weitere",
        "sonstige",
        "fachliche",
        "professionnelle",
        "professionnel",
        "professionnelles",
        "principales",
        "autres",
        "profesional",
        "profesionales",
        "otras",
        "otros",
        "professionele",
        "overige",
        "professionale",
        "professionali",
        "altre",
        "principali",
        "profissional",
        "profissionais",
        "outras",
    ]
)
_HEADING_TO_SECTION = {h: sec for sec, names in _SECTIONS.items() for h in names}
# Single words that name a section when the rest of a heading is modifiers ("Relevant Skills").
_KEYWORD = {
    h: sec
    for h, sec in _HEADING_TO_SECTION.items()
    if " " not in h and h not in {"work", "career", "tools", "community", "about", "personal"}
}
_POSITION_KIND = {
    "experience": "job",
    "volunteer": "volunteer",
    "projects": "informal",
    "informal": "informal",
}
_DOC_TITLES = {"resume", "curriculum vitae", "cv", "lebenslauf", "curriculum", "vita", "c v"}

_BULLETS = "-*•·▪‣◦●○■□➢►–✓✔❖➤◆◇→"
_BULLET_RE = re.compile(rf"^\s*(?:[{_BULLETS}]|\d+[.)])\s*(?=\S)")
_MD_HEADING_RE = re.compile(r"^\s*(#{1,6})\s+(.*?)\s*#*\s*$")
_BOLD_RE = re.compile(r"^\s*(\*\*|__)(.+?)\1\s*:?\s*$")
_SEP_RE = re.compile(r"\s+(?:—|–|-|\||@|:|at|bei|chez|presso)\s+|\s*[|·•：]\s*|,\s+|\s+\(|\)\s*")
_LEVEL_WORDS = (
    "beginner", "basic", "elementary", "novice", "familiar", "intermediate", "working",
    "proficient", "good", "competent", "advanced", "strong", "fluent", "expert", "master",
    "native", "excellent",
)  # fmt: skip
# Level words of the other languages, read as the English word they mean.
_LEVEL_SYNONYMS = {
    "grundkenntnisse": "basic", "gut": "good", "sehr gut": "advanced", "fliessend": "fluent",
    "fließend": "fluent", "verhandlungssicher": "fluent", "muttersprache": "native",
    "experte": "expert", "fortgeschritten": "advanced", "anfanger": "beginner",
    "debutant": "beginner", "intermediaire": "intermediate", "avance": "advanced",
    "confirme": "advanced", "courant": "fluent", "bilingue": "native",
    "langue maternelle": "native", "notions": "basic", "basico": "basic",
    "intermedio": "intermediate", "avanzado": "advanced", "experto": "expert", "nativo": "native",
    "basis": "basic", "gevorderd": "advanced", "goed": "good", "vloeiend": "fluent",
    "moedertaal": "native", "base": "basic", "avanzato": "advanced", "esperto": "expert",
    "madrelingua": "native", "ottimo": "advanced", "buono": "good",
    "intermediario": "intermediate", "avancado": "advanced", "fluente": "fluent",
    "especialista": "expert",
}  # fmt: skip
_YEARS_RE = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*\+?\s*(?:years?|yrs?\.?|jahre?n?|ans?|años?|jaar|anni|anos)\b",
    re.IGNORECASE,
)
_MONTHS_RE = re.compile(r"(\d+)\s*\+?\s*months?\b", re.IGNORECASE)
_DEGREE_RE = re.compile(
    r"^(?:b\.?sc?\.?|b\.?a\.?|m\.?sc?\.?|m\.?a\.?|ph\.?d\.?|mba|m\.?eng|b\.?eng|b\.?ed|m\.?ed|pgce"
    r"|b\.?tech|m\.?tech|b\.?e\.?|m\.?e\.?|b\.?com|m\.?com|bca|mca|llb|llm|md|jd"
    r"|bachelor(?:'s)?|master(?:'s)?|doctor(?:ate)?|diploma|associate(?:'s)?|certificate"
    r"|a[- ]levels?|gcses?|high school|hnd|nvq|msn|bsn|b\.?s\.?n|ma|ba|bs|ms"
    r"|diplom|abitur|promotion|staatsexamen|magister|ausbildung|licence|licenciatura"
    r"|licenciado|grado|maestr[ií]a|m[áa]ster|baccalaur[ée]at|bac|dut|bts|doctorat|laurea"
    r"|diploma|mestrado|doutorado|doutoramento|bacharelado|titulo|t[íi]tulo|ingeniero"
    r"|ing[ée]nieur|dottorato|hbo|wo|mbo)\b",
    re.IGNORECASE,
)
_INSTITUTION_RE = re.compile(
    r"universit|college|school|institut|academy|polytechnic|conservatoire|hochschule|ecole|école"
    r"|gymnasium|lyc[ée]e|escuela|escola|faculdade|facult|scuola|politecnico|hogeschool"
    r"|akademie|fachhochschule|seminar",
    re.IGNORECASE,
)
_ORG_RE = re.compile(
    r"\b(?:inc|ltd|llc|llp|plc|gmbh|ag|kg|se|sa|s\.a|sas|sarl|s\.l|srl|spa|s\.p\.a|b\.v|bv|nv"
    r"|lda|corp|corporation|company|co\.|&\s*co|group|holdings?|bank|hospital|clinic|university"
    r"|universit[äéa]t?|council|ministry|agency)\b\.?",
    re.IGNORECASE,
)
_FOUNDER_RE = re.compile(
    r"\b(?:co-?\s?founder|founder|founding|owner|co-?owner|proprietor|self[- ]employed"
    r"|entrepreneur|mitgr[üu]nder|gr[üu]nder(?:in)?|inhaber(?:in)?|gesch[äa]ftsinhaber(?:in)?"
    r"|selbstst[äa]ndig|selbst[äa]ndig|co-?fondat(?:eur|rice)|fondat(?:eur|rice|ore)"
    r"|propri[ée]taire|co-?fundador(?:a)?|fundador(?:a)?|propietari[oa]|due[ñn][oa]"
    r"|(?:mede)?oprichter|eigenaar|zelfstandige|titolare|proprietari[oa]|s[óo]ci[oa]"
    r"|propriet[áa]ri[oa]|aut[óo]nom[oa])\b",
    re.IGNORECASE,
)
_EPOCH = date(1900, 1, 1)
_QUALIFIERS = {
    "freelance",
    "part-time",
    "part time",
    "full-time",
    "full time",
    "contract",
    "remote",
    "internship",
    "teilzeit",
    "vollzeit",
}
_CONTACT_RE = re.compile(r"@|https?://|www\.|\+?\d[\d ()-]{7,}|linkedin|github\.com", re.IGNORECASE)
_PLACEHOLDERS = {"company name", "city", "state", "city state", "country"}
# Template placeholders printed inside a header line ("Operations Manager Company Name · City",
# "Company Name   Staff Accountant", "Company Name City , State Accountant"): they end the
# title and name no organisation.
_PLACEHOLDER_IN_LINE_RE = re.compile(r"\s*\b(?:company name|city\s*,\s*state)\b\s*", re.IGNORECASE)
_ZERO_WIDTH_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


@dataclass
class _Section:
    name: str
    lines: list[str] = field(default_factory=list)
    heading: str = ""


# -------------------------------------------------------------------------------------------
# text repair and layout


# Fullwidth punctuation (U+FF00-U+FF7F, "：") whose UTF-8 bytes were read as Windows-1252 and lost
# their last byte on the way, so that ftfy cannot reassemble them: "ï¼" + junk.
_BROKEN_FULLWIDTH_RE = re.compile("ï([¼½])(.?)")


def _fullwidth(m: re.Match[str]) -> str:
    lead = b"\xef" + m.group(1).encode("cp1252")
    try:
        return (lead + m.group(2).encode("cp1252")).decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return " · " + m.group(2)


def repair_text(text: str) -> str:
    """Repair a CV's text before reading it.

    Mojibake (UTF-8 read as Windows-1252: "â€¢", "Ã©", "ï¼") is fixed with ``ftfy``; zero-width
    characters and soft hyphens are dropped; non-breaking and odd spaces become spaces; line
    endings become ``\\n``; private-use bullet glyphs (Wingdings "", "") become "•".
    """
    import ftfy

    text = ftfy.fix_text(text, normalization="NFC")
    text = _BROKEN_FULLWIDTH_RE.sub(_fullwidth, text)
    text = _ZERO_WIDTH_RE.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]", " ", text)
    text = re.sub("[\uf000-\uf8ff]", "•", text)  # symbol-font bullets land in the private area
    return text


def _key(text: str) -> str:
    """A heading's lookup key: folded, punctuation gone, spaces single ("Skills & Tools:")."""
    t = _fold(text).replace("&", " & ")
    t = re.sub(r"[^a-z& ]", " ", t)
    return re.sub(r"\s+", " ", t).strip()


def _known_heading(text: str) -> str | None:
    """The section a heading text names, if it is a known heading (possibly with modifiers)."""
    key = _key(text)
    if not key:
        return None
    if key in _HEADING_TO_SECTION:
        return _HEADING_TO_SECTION[key]
    words = [w for w in key.split() if w != "&"]
    content = [w for w in words if w not in _MODIFIERS]
    if 1 <= len(content) <= 3 and all(w in _KEYWORD for w in content):
        return _KEYWORD[content[0]]
    return None


def _heading_phrases() -> re.Pattern[str]:
    """A regex finding known multi-word or long headings inside a line (for glued headings)."""
    phrases: set[str] = set()
    for h in _HEADING_TO_SECTION:
        if len(h) >= 6 and h not in _DOC_TITLES:
            phrases.add(r"\s+".join(re.escape(w) for w in h.split()))
    alt = "|".join(sorted(phrases, key=len, reverse=True))
    return re.compile(rf"({alt})(?:\s+details)?", re.IGNORECASE)


_PHRASE_RE: re.Pattern[str] | None = None


def _fold_same_length(line: str) -> str:
    """The line folded char by char (accents off, lower case) keeping each char's position."""
    return "".join((_fold(ch) or ch)[:1] for ch in line)


def _unglue(line: str, blob: bool) -> list[str]:
    """Put headings that are glued into a line on their own line.

    "...Deep learning.Education Details B.E. ..." -> ["...Deep learning.", "Education Details",
    "B.E. ..."]. A heading counts when it starts with a capital and is glued to the text before
    it (no space after a letter or a full stop), or, in a text without line breaks (``blob``),
    when it is in capitals, ends in "Details", or follows a full stop.
    """
    global _PHRASE_RE
    if _PHRASE_RE is None:
        _PHRASE_RE = _heading_phrases()
    folded = _fold_same_length(line)
    cuts: list[tuple[int, int]] = []
    for m in _PHRASE_RE.finditer(folded):
        a, b = m.start(), m.end()
        orig = line[a:b]
        if not orig[:1].isupper():
            continue
        before = line[:a]
        after = line[b:]
        if after[:1].isalpha() and not after[:1].isupper():
            continue  # a longer word ("Educational" is a different match; "Skillset" ...)
        glued = bool(before) and (before[-1].islower() or before[-1] in ".;:!?)")
        upper = orig.isupper() and len(orig) >= 5
        section = _HEADING_TO_SECTION.get(_key(m.group(1)), "ignore")
        spaced = (
            blob
            and bool(before)
            and (
                upper
                or m.group(0).lower().endswith("details")
                or before.rstrip().endswith((".", ":", "|"))
                # "Data Scientist Skills * Python ...": a heading before a list (not "Languages:",
                # which lists inside a skills line say too)
                or (section != "ignore" and bool(re.match(r"\s*(?:[*•:]|$)", after)))
            )
        )
        words_ok = all(w[:1].isupper() for w in orig.split() if len(w) > 3)
        if (glued and words_ok) or spaced:
            cuts.append((a, b))
    if not cuts:
        return [line]
    out: list[str] = []
    pos = 0
    for a, b in cuts:
        if line[pos:a].strip():
            out.append(line[pos:a].rstrip())
        out.append(line[a:b])
        pos = b
    rest = line[pos:].lstrip(" :-–")
    if rest.strip():
        out.append(rest)
    return out


_KV_SPLIT_RE = re.compile(r"\s+(?=(?:company|employer)\s*[-:–]\s)", re.IGNORECASE)
_SENTENCE_END_RE = re.compile(r"(?<=[a-z0-9)][.!?])\s+(?=[A-ZÄÖÜÉÈÀÁÍÓÚÑ])")
_INLINE_BULLET_RE = re.compile(rf"\s+(?=[{_BULLETS.replace('-', '')}]\s)|\s+(?=\*\s)")


def _layout(text: str) -> list[str]:
    """Lines to read: headings unglued; a text without line breaks split into sentences."""
    lines = text.split("\n")
    long_lines = sum(len(ln) > 300 for ln in lines)
    blob = long_lines > 0 and long_lines * 8 >= len([ln for ln in lines if ln.strip()])
    out: list[str] = []
    for line in lines:
        parts = [line]
        if blob and len(line) > 300:
            parts = [p for chunk in _INLINE_BULLET_RE.split(line) for p in [chunk]]
            parts = [s for p in parts for s in _SENTENCE_END_RE.split(p)]
            parts = [s for p in parts for s in _KV_SPLIT_RE.split(p)]
        for part in parts:
            out.extend(_unglue(part, blob))
    return join_split_ranges(out)


# -------------------------------------------------------------------------------------------
# sections


def _heading_of(line: str) -> tuple[str, int] | None:
    """If ``line`` is a Markdown or bold heading, return its text and depth (1 = top)."""
    m = _MD_HEADING_RE.match(line)
    if m:
        return m.group(2).strip(" *_:"), len(m.group(1))
    m = _BOLD_RE.match(line)
    if m:
        return m.group(2).strip(" *_:"), 3
    return None


def _section_name(line: str) -> str | None:
    """The section a heading-like line opens, if it is a known section name."""
    h = _heading_of(line)
    text = h[0] if h else line
    text = text.strip().rstrip(":").strip()
    if not text or len(text) > 60 or len(text.split()) > 7 or re.search(r"\d", text):
        return None
    return _known_heading(text)


def _unknown_heading(line: str) -> bool:
    """A line that looks like a heading we do not know: short, in capitals, no digits."""
    s = line.strip().rstrip(":")
    letters = [c for c in s if c.isalpha()]
    return (
        len(letters) >= 3
        and len(s.split()) <= 4
        and s.isupper()
        and not re.search(r"\d", s)
        and not _BULLET_RE.match(s)
    )


def _inline_label(line: str) -> tuple[str, str] | None:
    """ "Skills: Python, SQL" -> ("skills", "Python, SQL") for a known heading before a colon."""
    m = re.match(r"^\s*([^\W\d][^:]{1,40}?)\s*[:：]\s*(\S.*)$", line)
    if not m:
        return None
    name = _known_heading(m.group(1))
    if name is None or len(m.group(1).split()) > 4:
        return None
    return name, m.group(2)


def _split_sections(lines: list[str]) -> list[_Section]:
    sections = [_Section("header")]
    seen_text = 0
    for raw in lines:
        line = raw.rstrip()
        stripped = line.strip()
        if stripped and not _BULLET_RE.match(stripped):
            name = _section_name(stripped)
            if name is not None:
                sections.append(_Section(name, heading=stripped))
                continue
            cur = sections[-1].name
            inline = _inline_label(stripped)
            if inline is not None and not (cur == "skills" and inline[0] in {"ignore", "skills"}):
                sections.append(_Section(inline[0], [inline[1]], heading=stripped))
                continue
            if (
                seen_text >= 2
                and cur not in _POSITION_KIND
                and cur != "education"
                and _unknown_heading(stripped)
            ):
                sections.append(_Section("other", heading=stripped))
                continue
            seen_text += 1
        sections[-1].lines.append(line)
    return sections


# -------------------------------------------------------------------------------------------
# entries


def _clean(text: str) -> str:
    text = re.sub(r"[*_`]{1,3}", "", text)
    text = re.sub(r"^\s*#+\s*", "", text)
    return text.strip(" \t-–—|,;:·•()：")


def _is_bullet(line: str) -> bool:
    return bool(_BULLET_RE.match(line))


def _title_like(s: str) -> bool:
    """A short line in title case without a full stop: "Front Desk Agent", "Sous Chef"."""
    if len(s) > 90 or s.endswith((".", ",", ";", ":")) or _is_bullet(s):
        return False
    words = re.findall(r"[^\W\d_][\w'’&.-]*", s)
    if not 1 <= len(words) <= 12 or not s[:1].isupper():
        return False
    long_words = [w for w in words if len(w) > 3]
    if not long_words:
        return True
    return sum(w[:1].isupper() for w in long_words) / len(long_words) >= 0.6


_KV_START_RE = re.compile(r"^(?:company|employer)\s*[-:–]\s+\S", re.IGNORECASE)
# Lines that announce an honour, not a role.
_AWARD_RE = re.compile(
    r"^(?:awards?\s*:|awarded\b|received\b|recipient\b|nominated\b|honou?red\b|"
    r"recogni[sz]ed\b|won\b|winner\b)"
    r"|\b(?:employee|associate|agent|rookie|salesperson|manager) of the (?:month|quarter|year)\b"
    r"|\bdean'?s list\b|\b(?:president|chairman)'?s club\b"
    r"|\b\w+ awards?\b.*\b(?:for|at|from|in)\b",
    re.IGNORECASE,
)


def _entries(
    lines: list[str], *, titled: bool = False
) -> list[tuple[list[str], list[str], DateRange | None]]:
    """Split a section into (header lines, description lines, date range or None) entries.

    ``titled``: the section lists roles, so a title-like line after a finished description
    starts a new (undated) entry, and a short line right after a header line joins it
    ("Sous Chef, Jul 2010" / "Company Name, City").
    """
    n = len(lines)
    kind: list[str] = []
    for line in lines:
        s = line.strip()
        if not s:
            kind.append("blank")
        elif _heading_of(s):
            kind.append("head")
        elif _KV_START_RE.match(s):
            kind.append("head")  # "company - Acme": each one opens an entry
        elif _AWARD_RE.search(s):
            # "Award: Received a special achievement award (Dec 2013)", "Employee of the Month
            # (July)": an honour inside a job's description, never a position's header
            kind.append("bullet")
        elif not _is_bullet(s) and len(s) <= 120 and find_date_range(s) is not None:
            kind.append("date")
        elif _is_bullet(s):
            kind.append("bullet")
        else:
            kind.append("text")
    header = [k in ("head", "date") for k in kind]
    # Short plain lines right before a header line (e.g. "Title" / "Org" / "2019 - 2021").
    nxt_is_header = False
    for i in range(n - 1, -1, -1):
        if kind[i] == "blank":
            continue
        if header[i]:
            nxt_is_header = True
            continue
        s = lines[i].strip()
        short = kind[i] == "text" and len(s) <= 80 and not s.endswith(".")
        if short and nxt_is_header:
            header[i] = True
        else:
            nxt_is_header = False
    if titled:
        prev = -1  # index of the previous non-blank line
        for i in range(n):
            if kind[i] == "blank":
                continue
            s = lines[i].strip()
            if kind[i] == "text" and not header[i] and _title_like(s):
                if prev >= 0 and header[prev] and kind[prev] != "head" and len(s) <= 80:
                    header[i] = True  # joins the header just above
                elif prev < 0 or kind[prev] == "bullet" or lines[prev].strip().endswith("."):
                    # a title (and at most one more title-like line) before a description
                    after = [j for j in range(i + 1, n) if kind[j] != "blank"][:2]
                    desc_at = next(
                        (
                            j
                            for j in after
                            if kind[j] == "bullet"
                            or (kind[j] == "text" and not _title_like(lines[j].strip()))
                        ),
                        None,
                    )
                    if desc_at is not None and not any(header[j] for j in after if j < desc_at):
                        header[i] = True
            prev = i
    # A plain header line whose next line is a date line opens the next entry ("Title, Org" /
    # "2016 - 2019" right after the previous entry's date line).
    before_date = [False] * n
    nxt_kind = ""
    for i in range(n - 1, -1, -1):
        if kind[i] == "blank":
            continue
        before_date[i] = nxt_kind == "date"
        nxt_kind = kind[i]
    out: list[tuple[list[str], list[str], DateRange | None]] = []
    cur_head: list[str] = []
    cur_desc: list[str] = []
    cur_range: DateRange | None = None
    prev_header = False
    for i, line in enumerate(lines):
        if kind[i] == "blank":
            continue
        if header[i]:
            starts_new = (
                not prev_header
                or (kind[i] == "date" and cur_range is not None)
                or (kind[i] == "head" and cur_range is not None)
                or (kind[i] == "text" and cur_range is not None and before_date[i])
            )
            if starts_new and (cur_head or cur_desc):
                out.append((cur_head, cur_desc, cur_range))
                cur_head, cur_desc, cur_range = [], [], None
            found = find_date_range(line) if kind[i] == "date" else None
            if found is not None and cur_range is None:
                dr, a, b = found
                cur_range = dr
                rest = (line[:a] + " " + line[b:]).strip()
                if _clean(rest):
                    cur_head.append(rest)
            else:
                cur_head.append(line.strip())
            prev_header = True
        else:
            cur_desc.append(line.strip())
            prev_header = False
    if cur_head or cur_desc:
        out.append((cur_head, cur_desc, cur_range))
    return out


# Column headings of a table laid out CV ("Period | Role | Employer"): not an entry's text.
_COLUMN_WORDS = frozenset(
    [
        "period",
        "dates",
        "date",
        "from",
        "to",
        "role",
        "position",
        "title",
        "job",
        "employer",
        "company",
        "organisation",
        "organization",
        "location",
        "place",
        "where",
        "when",
        "zeitraum",
        "arbeitgeber",
        "firma",
        "ort",
        "periode",
        "poste",
        "employeur",
        "entreprise",
        "lieu",
        "periodo",
        "puesto",
        "empresa",
        "cargo",
        "lugar",
        "functie",
        "werkgever",
        "bedrijf",
        "plaats",
        "ruolo",
        "azienda",
        "luogo",
        "funcao",
        "local",
    ]
)


def _column_headings(line: str) -> bool:
    cells = [c.strip() for c in line.split("|")]
    return len(cells) >= 2 and all(_key(c) in _COLUMN_WORDS for c in cells if c)


def _pieces(header_lines: list[str]) -> list[str]:
    pieces: list[str] = []
    for line in header_lines:
        if _column_headings(line):
            continue
        line = _PLACEHOLDER_IN_LINE_RE.sub(" | ", line)
        for p in _SEP_RE.split(_clean(line)):
            p = _clean(p)
            if p and not re.fullmatch(r"[\W\d]*", p) and p.lower() not in _PLACEHOLDERS:
                pieces.append(p)
    return pieces


def _kv(desc: list[str]) -> tuple[dict[str, str], list[str]]:
    """Key-value lines some CV builders write ("company - Acme", "description - ...")."""
    found: dict[str, str] = {}
    rest: list[str] = []
    keys = r"company|employer|designation|description|location|duration"
    desc = [
        part
        for d in desc
        for part in re.split(rf"\s+(?=(?:{keys})\s*[-:–]\s)", d, flags=re.IGNORECASE)
    ]
    for d in desc:
        m = re.match(
            r"^(company|employer|organi[sz]ation|designation|role|position|title|description"
            r"|location|duration)\s*[-:–]\s*(.*)$",
            d,
            re.IGNORECASE,
        )
        if m:
            k = m.group(1).lower()
            if k == "description":
                rest.append(m.group(2))
            else:
                found.setdefault(k, m.group(2).strip())
        else:
            rest.append(d)
    return found, rest


def _position(
    header: list[str], desc: list[str], dr: DateRange | None, kind: str, *, section: str = ""
) -> Position | None:
    kv, desc = _kv(desc)
    kv_head, header = _kv(header)  # "company - Acme description - ..." as the entry's header
    for k, v in kv_head.items():
        kv.setdefault(k, v)
    if kv_head:
        desc = header + desc
        header = []
    pieces = [p for p in _pieces(header) if p.lower() not in _QUALIFIERS]
    title_kv = kv.get("designation") or kv.get("role") or kv.get("position") or kv.get("title")
    if title_kv:
        pieces = [title_kv, *[p for p in pieces if p != title_kv]]
    org_kv = kv.get("company") or kv.get("employer") or kv.get("organisation")
    if not pieces and not org_kv:
        return None
    if not pieces:
        pieces = [""]
    # "Acme GmbH — Software Engineer": the organisation came first.
    if len(pieces) > 1 and _ORG_RE.search(pieces[0]) and not _ORG_RE.search(pieces[1]):
        pieces[0], pieces[1] = pieces[1], pieces[0]
    title = pieces[0]
    org = org_kv or (pieces[1] if len(pieces) > 1 else "")
    location = kv.get("location") or (pieces[2] if len(pieces) > 2 else "")
    project = ""
    if section == "projects":
        # "Role — Project" names both; a lone name is the project's, never a job title.
        if len(pieces) > 1:
            project = org
            org = ""
        else:
            project, title = title, ""
    lowered = (" ".join(header)).lower()
    if kind == "job" and ("volunteer" in lowered or "voluntary" in lowered):
        kind = "volunteer"
    description = "\n".join(_BULLET_RE.sub("", d).strip() for d in desc)
    return Position(
        title=title,
        organisation=org,
        start=dr.start if dr else None,
        end=dr.end if dr else None,
        current=bool(dr and dr.current),
        description=description,
        kind=kind,
        location=location,
        founder=bool(_FOUNDER_RE.search(title)),
        project=project,
    )


_EXPERIENCE_ITEM_RE = re.compile(
    r"(\S.{0,58}?)\s*-\s*Experience\s*-\s*(less than 1 year(?:\s*months?)?|\d+\s*\+?\s*"
    r"(?:months?|years?)(?:\s*months?)?)",
    re.IGNORECASE,
)


def split_skill_items(line: str) -> list[StatedSkill]:
    """Read skills from one line: "Python (advanced, 6 years), SQL; Excel - expert".

    Also "Python- Experience - 24 months" (the form some CV builders write).
    """
    s = _BULLET_RE.sub("", line).strip()
    if _EXPERIENCE_ITEM_RE.search(s):
        found: list[StatedSkill] = []
        for m in _EXPERIENCE_ITEM_RE.finditer(s):
            name, extra = _clean(m.group(1)), m.group(2)
            years: float | None = None
            mm = _MONTHS_RE.search(extra)
            ym = _YEARS_RE.search(extra)
            if re.search(r"less than 1 year", extra, re.IGNORECASE):
                years = 0.5
            elif mm:
                years = round(int(mm.group(1)) / 12.0, 2)
            elif ym:
                years = float(ym.group(1).replace(",", "."))
            if name and len(name) <= 60:
                found.append(StatedSkill(name=name, years=years))
        return found
    if ":" in s:
        head, tail = s.split(":", 1)
        # "Languages: Python, SQL" -> items after the colon; "Python: expert" -> one item.
        if tail.strip() and ("," in tail or ";" in tail or len(head.split()) > 2):
            s = tail
        else:
            s = f"{head} ({tail.strip()})" if tail.strip() else head
    items: list[str] = []
    depth = 0
    buf = ""
    for ch in s:  # split on separators outside brackets
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        if depth == 0 and ch in ",;|•·":
            items.append(buf)
            buf = ""
        else:
            buf += ch
    items.append(buf)
    out: list[StatedSkill] = []
    for raw in items:
        item = _clean(raw) if not raw.strip().endswith(")") else raw.strip(" \t-–—|,;:·•*_")
        if not item:
            continue
        level: str | None = None
        years = None
        extra = ""
        bracket = re.match(r"^(.*?)\s*[(\[](.*)[)\]]\s*$", item)
        if bracket:
            item, extra = bracket.group(1).strip(), bracket.group(2)
        else:
            dash = re.match(r"^(.*?)\s+[-–—]\s+(.*)$", item)
            if dash and (
                _YEARS_RE.search(dash.group(2))
                or any(w in dash.group(2).lower() for w in _LEVEL_WORDS)
            ):
                item, extra = dash.group(1).strip(), dash.group(2)
        if extra:
            ym = _YEARS_RE.search(extra)
            if ym:
                years = float(ym.group(1).replace(",", "."))
            for w in _LEVEL_WORDS:
                if re.search(rf"\b{w}\b", extra.lower()):
                    level = w
                    break
            if level is None:
                folded = _fold(extra)
                for w, eng in sorted(_LEVEL_SYNONYMS.items(), key=lambda kv: -len(kv[0])):
                    if re.search(rf"\b{re.escape(_fold(w))}\b", folded):
                        level = eng
                        break
        item = _clean(item).rstrip(".").strip()
        # a sentence is not a skill name ("Responsible for the daily running of the shop.")
        if item and len(item) <= 60 and len(item.split()) <= 6:
            out.append(StatedSkill(name=item, level=level, years=years))
    return out


def _education(header: list[str], desc: list[str], dr: DateRange | None) -> Education | None:
    pieces = _pieces(header or [d for d in desc if len(d) < 80][:1])
    if not pieces:
        return None
    institution = next((p for p in pieces if _INSTITUTION_RE.search(p)), "")
    degree_piece = next((p for p in pieces if _DEGREE_RE.match(p)), "")
    degree, fld = "", ""
    if degree_piece:
        m = re.match(r"^(.*?)\s+(?:in|of|en|in der|im|de|di|em|der)\s+(.+)$", degree_piece)
        if m:
            degree, fld = m.group(1), m.group(2)
        else:
            dm = _DEGREE_RE.match(degree_piece)
            assert dm is not None
            degree = degree_piece[: dm.end()].strip()
            fld = degree_piece[dm.end() :].strip(" ,.-")
    rest = [p for p in pieces if p not in (institution, degree_piece)]
    if not institution and rest:
        institution = rest.pop(0)
    if not degree and rest:
        fld = fld or rest[0]
    return Education(
        institution=institution,
        degree=degree,
        field=fld,
        start=dr.start if dr else None,
        end=dr.end if dr else None,
    )


def _misplaced_position(header: list[str], dr: DateRange | None) -> bool:
    """An undated "Data Scientist - Matelabs" under an education heading is a position."""
    if dr is not None or not header or _education_like(header):
        return False
    pieces = _pieces(header)
    return len(pieces) >= 2 and all(_title_like(p) for p in pieces[:2])


def _education_like(header: list[str]) -> bool:
    text = " ".join(header)
    return bool(_INSTITUTION_RE.search(text)) or any(_DEGREE_RE.match(p) for p in _pieces(header))


# -------------------------------------------------------------------------------------------
# the whole CV


def parse_text_cv(text: str, *, source: str, fmt: str = "text") -> Profile:
    """Read a CV from plain text or Markdown into a :class:`Profile`.

    Never refuses text: what it cannot structure it reports in ``warnings``, and the whole
    (repaired) text is kept in ``Profile.text`` for inference.

    Args:
        text: the whole CV text.
        source: the file it came from (for messages).
        fmt: the format name to record (``text``, ``pdf``, ``docx``).
    """
    text = repair_text(text)
    lines = _layout(text)
    sections = _split_sections(lines)
    warnings: list[str] = []
    name: str | None = None
    headline = ""
    summary_lines: list[str] = []
    positions: list[Position] = []
    skills: list[StatedSkill] = []
    education: list[Education] = []
    certificates: list[Certificate] = []
    courses: list[Course] = []

    header_lines = [ln.strip() for ln in sections[0].lines if ln.strip()]
    for ln in header_lines[:6]:
        txt = _clean(ln)
        if not txt or _CONTACT_RE.search(txt) or _key(txt) in _DOC_TITLES:
            continue
        if name is None and not headline and _looks_like_name(txt):
            name = txt
            continue
        if not headline and len(txt) <= 80 and find_date_range(txt) is None:
            headline = txt
            continue
    inferred: list[str] = []  # sections read from their content, for the warning
    for sec in sections:
        if sec.name in _POSITION_KIND:
            for head, desc, dr in _entries(sec.lines, titled=True):
                pos = _position(head, desc, dr, _POSITION_KIND[sec.name], section=sec.name)
                if pos is not None:
                    positions.append(pos)
                    if dr is None:
                        label = pos.title or pos.project or pos.organisation
                        warnings.append(f"no dates found for position {label!r}")
        elif sec.name == "skills":
            for ln in sec.lines:
                if ln.strip():
                    skills.extend(split_skill_items(ln))
        elif sec.name == "education":
            for head, desc, dr in _entries(sec.lines):
                if _misplaced_position(head, dr):
                    pos = _position(head, desc, dr, "job")
                    if pos is not None:
                        positions.append(pos)
                        continue
                ed = _education(head, desc, dr)
                if ed is not None:
                    education.append(ed)
                for d in desc:  # "Courses: Statistics, Databases" under a degree
                    if d.lower().startswith(("courses", "modules", "coursework")) and ":" in d:
                        for c in split_skill_items(d.split(":", 1)[1]):
                            courses.append(
                                Course(name=c.name, provider=ed.institution if ed else "")
                            )
        elif sec.name == "certificates":
            for ln in sec.lines:
                cert = _certificate(ln)
                if cert is not None:
                    certificates.append(cert)
        elif sec.name == "courses":
            for ln in sec.lines:
                if not ln.strip():
                    continue
                pieces = _pieces([ln])
                if pieces:
                    courses.append(
                        Course(name=pieces[0], provider=pieces[1] if len(pieces) > 1 else "")
                    )
        elif sec.name == "summary":
            summary_lines.extend(ln.strip() for ln in sec.lines if ln.strip())
        elif sec.name in ("other", "header"):
            # No known heading: read dated entries by their content.
            lines_ = sec.lines
            if sec.name == "header":
                lines_ = [ln for ln in lines_ if _clean(ln) not in (name, headline)]
            got = False
            for head, desc, dr in _entries(lines_):
                if dr is None or not head:
                    continue
                if _education_like(head):
                    ed = _education(head, desc, dr)
                    if ed is not None:
                        education.append(ed)
                        got = True
                    continue
                pos = _position(head, desc, dr, "job")
                if pos is not None and pos.title:
                    positions.append(pos)
                    got = True
            if got:
                inferred.append(sec.heading or "the text before the first heading")
    if inferred:
        shown = ", ".join(repr(h) for h in inferred[:4])
        warnings.append(f"read positions or education by their dates under {shown}")
    missing = [
        what
        for what, got in (("positions", positions), ("skills", skills), ("education", education))
        if not got
    ]
    if missing:
        warnings.append(
            f"found no {' or '.join(missing)} in the CV's structure; occupations and skills "
            "are inferred from the whole text. Headings such as 'Experience', 'Skills' and "
            "'Education' (or a JSON Resume) make the reading surer"
        )
    positions.sort(key=lambda p: (p.current, p.start or _EPOCH), reverse=True)
    return Profile(
        source=source,
        format=fmt,
        name=name,
        headline=headline,
        summary=" ".join(summary_lines),
        positions=tuple(positions),
        skills=tuple(skills),
        education=tuple(education),
        certificates=tuple(certificates),
        courses=tuple(courses),
        warnings=tuple(warnings),
        language=detect_language(text),
        text=text,
    )


def _certificate(line: str) -> Certificate | None:
    if not line.strip():
        return None
    found = find_date_range(line)
    when = None
    if found is not None:
        when = found[0].start
        line = line[: found[1]] + line[found[2] :]
    pieces = _pieces([line])
    if not pieces:
        return None
    return Certificate(name=pieces[0], issuer=pieces[1] if len(pieces) > 1 else "", date=when)


# Words that make a line a job title rather than a person's name ("SOUS CHEF", "Data Analyst").
_TITLE_WORDS = frozenset(
    [
        "chef",
        "cook",
        "manager",
        "engineer",
        "developer",
        "analyst",
        "consultant",
        "accountant",
        "teacher",
        "nurse",
        "director",
        "assistant",
        "officer",
        "specialist",
        "coordinator",
        "administrator",
        "designer",
        "architect",
        "technician",
        "supervisor",
        "executive",
        "associate",
        "representative",
        "advisor",
        "adviser",
        "agent",
        "clerk",
        "lead",
        "head",
        "intern",
        "trainee",
        "scientist",
        "programmer",
        "writer",
        "editor",
        "sales",
        "marketing",
        "finance",
        "financial",
        "senior",
        "junior",
        "principal",
        "staff",
        "chief",
        "president",
        "vice",
        "owner",
        "founder",
        "driver",
        "operator",
        "mechanic",
        "electrician",
        "carpenter",
        "plumber",
        "pilot",
        "attorney",
        "lawyer",
        "advocate",
        "paralegal",
        "therapist",
        "physician",
        "doctor",
        "pharmacist",
        "dentist",
        "auditor",
        "banker",
        "cashier",
        "teller",
        "server",
        "bartender",
        "baker",
        "waiter",
        "receptionist",
        "secretary",
        "instructor",
        "professor",
        "lecturer",
        "tutor",
        "trainer",
        "coach",
        "artist",
        "photographer",
        "producer",
        "manager",
        "hr",
        "human",
        "resources",
        "it",
        "information",
        "technology",
        "customer",
        "service",
        "business",
        "development",
        "public",
        "relations",
        "healthcare",
        "fitness",
        "construction",
        "aviation",
        "agriculture",
        "apparel",
        "automobile",
        "bpo",
        "digital",
        "media",
        "banking",
        "ingenieur",
        "entwickler",
        "berater",
        "leiter",
        "lehrer",
        "pflegefachfrau",
        "kaufmann",
        "kauffrau",
        "ingénieur",
        "développeur",
        "consultante",
        "chargé",
        "chargée",
        "responsable",
        "directeur",
        "directrice",
        "ingeniero",
        "desarrollador",
        "gerente",
        "jefe",
        "ontwikkelaar",
        "adviseur",
        "beheerder",
        "sviluppatore",
        "responsabile",
        "tecnico",
        "técnico",
        "engenheiro",
        "desenvolvedor",
        "gerente",
        "analista",
    ]
)


def _looks_like_name(text: str) -> bool:
    words = text.split()
    if not 2 <= len(words) <= 5 or any(ch.isdigit() for ch in text):
        return False
    if any(_fold(w.strip(",.")) in _TITLE_WORDS or w.lower() in _TITLE_WORDS for w in words):
        return False
    if _known_heading(text) is not None:
        return False
    return all(
        w[:1].isupper() or w.lower() in {"van", "de", "der", "von", "da", "di", "le", "la"}
        for w in words
    )
