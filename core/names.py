"""Names: Uzbek Cyrillic <-> Latin transliteration and THE name normaliser.

Every part of the system that compares people's names (registry imports,
duplicate detection, signature-sheet verification, search) goes through
:func:`normalize_name` so that they all agree on what "the same name" means.
This module is pure Python (no Django) and fast: translation tables and
regular expressions are compiled once, and :func:`normalize_name` is cached
(surnames and given names repeat a lot across millions of voter rows).

Transliteration
===============

:func:`to_latin` follows the official Uzbek Latin alphabet of 1995 (with the
2021 spelling of the apostrophes: ``ʻ`` U+02BB in oʻ and gʻ, ``ʼ`` U+02BC for
the tutuq belgisi)::

    а a   б b   в v   г g   д d   ё yo  ж j   з z   и i   й y   к k   л l
    м m   н n   о o   п p   р r   с s   т t   у u   ф f   х x   ч ch  ш sh
    ю yu  я ya  ў oʻ  қ q   ғ gʻ  ҳ h   э e
    е   ye at the start of a word and after a vowel, ъ or ь; e elsewhere
    ц   ts after a vowel (militsiya, Motsart); s elsewhere (sirk, konsert)
    ъ   ʼ (maʼno); dropped before е ё ю я (obyekt, subyekt)
    ь   dropped (Vasilyev, oktyabr)
    сҳ  sʼh (Isʼhoq), so that it is not read as ш

Russian letters: ы y, щ sh.  Karakalpak letters keep their Karakalpak Latin
form: ә á, ө ó, ү ú, ң ń (also і i, ұ u, һ h; Tajik ҷ j, ӣ i, ӯ u).  Case is
kept: Ш gives Sh inside a capitalised word and SH inside an upper-case one
(ШАРИПОВ -> SHARIPOV, Ш. -> Sh.).

:func:`to_cyrillic` goes the other way (it generates the Uzbek Cyrillic UI
catalogue from the Uzbek Latin one): sh ш, ch ч, oʻ ў, gʻ ғ (any apostrophe
variant ʻ ʼ ' ` ‘ ’ ´), yo ё, yu ю, ya я, ng нг, sʼh сҳ, h ҳ, x х, q қ, j ж;
``ye`` gives е (ъе after b d s z n: obyekt -> объект, ье after another
consonant: Vasilyev -> Васильев); ``e`` gives э at
the start of a word and after a vowel, е elsewhere; ``ts`` gives ц at the
start of a word and before e or i + vowel (protsent, militsiya, natsional),
while native t + s stays тс (ketsa, ketsin, otsiz); an apostrophe between
two letters that is not part of oʻ/gʻ is the tutuq belgisi ъ (maʼno -> маъно),
any other apostrophe (a quotation mark) is left alone.  Placeholders
(``%(name)s``, ``%s``, ``%d``, ``{count}``, ``{{ var }}``, ``{% tag %}``),
HTML tags and entities, URLs, e-mail addresses and the Latin acronyms in
:data:`LATIN_KEEP_WORDS` (PDF, CSV, QR ...) are left untouched.  Because
``%d``/``%s`` are always taken for placeholders, a literal per cent sign
followed by a suffix must be written ``%%`` (as python-format strings require
anyway) or with a space (``50 %dan`` is fine, ``50%dan`` keeps ``%d``).  The
words of :data:`CYRILLIC_SPELLINGS` (the month names: sentabr -> сентябрь) are
spelt as listed, since letter by letter would lose their ь.

Matching key (:func:`normalize_name`)
=====================================

The key is lower-case ASCII Latin; the same person's name written in Uzbek
Latin, Uzbek Cyrillic, Russian Cyrillic or a Russian-style Latin spelling
gives the same key, while names that differ in a consonant stay different
(Karimov / Kamilov, Aliyev / Valiyev, Hasanov / Husanov).  Steps, in order:

1. Cyrillic is transliterated with :func:`to_latin`, then lower-cased.
2. Apostrophe variants (ʻ ʼ ' ` ‘ ’ ´ ʹ ′ ‛ ʽ) are unified; ``oʻ`` becomes
   ``u`` (Russian writes ў as у: Ўринбоев / Уринбаев / Urinbaev), ``gʻ``
   becomes ``g``, every other apostrophe is removed (Maʼruf / Маруф / Maruf;
   Isʼhoq / Ishoq).
3. Letters with diacritics: Karakalpak á a, ó u, ú u, ı i, ń ng, ǵ g;
   Turkish-style ş sh, ç ch, ğ g, ö u, ü u; anything else loses its accent.
4. Hyphens join the parts (Abdu-Rahmon / Abdurahmon); any other run of
   punctuation or white space becomes one space; the key is stripped.
5. Russian-style Latin digraphs: shch sh, dzh/zh/dj j (Djuraev / Jurayev /
   Жураев), kh h, gh g, ph f.
6. One letter for sounds Russian spelling does not separate: x and h are both
   ``h`` (Xolmatov / Kholmatov / Холматов, Раҳимов / Рахимов), q is ``k``
   (Qodirov / Kadyrov), w is ``u`` (Karakalpak Dáwletov / Dauletov),
   ts is ``s`` (ц), td is ``dd`` (Nuritdinov / Nuriddinov).
7. Known morphemes: ``hoja`` -> ``huja`` (Xoʻjayev / Ходжаев / Khodjaev),
   ``ibragim`` -> ``ibrahim`` (Ibragimov / Ibrohimov).
8. Doubled letters are single (Abdullayev / Abdulayev, Muhammad / Muhamad).
9. ``y`` and ``i`` before vowels (Russian soft vowels, -yev/-ev):
   at the start of a word ``i`` + vowel is ``y`` + vowel (Iakub / Yakub) and
   ``ye`` is ``e`` (Yevgeniy / Evgeniy / Евгений); elsewhere a
   ``y`` before a vowel is dropped (Abdullayev / Abdullaev, Aliyev / Aliev,
   Zulfiya / Zulfia, Gulyamov / Gʻulomov, Mavlyanov / Mavlonov), an ``i``
   between two vowels is dropped (Kaium / Kayum), and any other ``y`` is
   ``i`` (ы: Kadyrov / Kadirov; Oysha / Oisha; Evgeniy / Evgenii / Evgeny).
10. ``o`` is ``a`` (Russian writes Uzbek o as а: Ismoilov / Исмаилов,
    Boboyev / Бабаев, Toshmatov / Tashmatov); then ``ii`` is ``i``.

:func:`normalize_full_name` joins the keys of surname, given name and
patronymic; for the patronymic it uses :func:`normalize_patronymic`, which
drops the patronymic suffix so that the Russian and Uzbek forms agree
(Rustamovich / Rustamovna / Rustam oʻgʻli / Rustam qizi / Рустам ўғли all
give ``rustam``; sex is a separate field).  :func:`name_tokens` splits a key
into words for search.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

__all__ = [
    "APOSTROPHES",
    "CYRILLIC_SPELLINGS",
    "LATIN_KEEP_WORDS",
    "OKINA",
    "TUTUQ",
    "name_tokens",
    "normalize_full_name",
    "normalize_name",
    "normalize_patronymic",
    "to_cyrillic",
    "to_latin",
]

#: ʻ (U+02BB, turned comma) used in oʻ and gʻ.
OKINA = "\u02bb"
#: ʼ (U+02BC, modifier apostrophe) used for the tutuq belgisi (Cyrillic ъ).
TUTUQ = "\u02bc"
#: Every character people type for the Uzbek apostrophe.
APOSTROPHES = "\u02bb\u02bc'`\u2018\u2019\u00b4\u02b9\u2032\u201b\u02bd\uff07"
_APOS_SET = frozenset(APOSTROPHES)
# Variants that only ever mean the oʻ/gʻ sign (never a closing quote).
_TURNED_APOS = frozenset("\u02bb`\u2018\u201b\u02bd")

# --------------------------------------------------------------------------
# Cyrillic -> Latin
# --------------------------------------------------------------------------

# fmt: off
_CYR_TO_LAT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "j", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "x", "ц": "s", "ч": "ch", "ш": "sh", "щ": "sh", "ъ": TUTUQ, "ы": "y",
    "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Uzbek
    "ў": "o" + OKINA, "қ": "q", "ғ": "g" + OKINA, "ҳ": "h",
    # Karakalpak / Kazakh
    "ә": "á", "ө": "ó", "ү": "ú", "ң": "ń", "ұ": "u", "һ": "h", "і": "i",
    # Ukrainian, Tajik
    "ї": "yi", "є": "ye", "ґ": "g", "ҷ": "j", "ӣ": "i", "ӯ": "u",
}
# fmt: on
_CYR_CONTEXT = frozenset("ецъс")
_CYR_VOWELS = frozenset("аеёиоуэюяўыәөүіїєұӣӯ")
_VOWELS = _CYR_VOWELS | frozenset("aeiouáóúıéíàèìòùäöü")
_SOFT_VOWELS = frozenset("еёюя")
_AFTER_YE = frozenset("ъь")
_CYR_RE = re.compile("[\u0400-\u052f]")


def to_latin(text: str) -> str:
    """Transliterate Cyrillic (Uzbek, Russian, Karakalpak) to Uzbek Latin, keeping case.

    Text without Cyrillic letters is returned unchanged.
    """
    if not text or not _CYR_RE.search(text):
        return text
    out = []
    append = out.append
    n = len(text)
    for i, ch in enumerate(text):
        lo = ch.lower()
        rep = _CYR_TO_LAT.get(lo)
        if rep is None:
            append(ch)
            continue
        if lo in _CYR_CONTEXT:
            if lo == "е":
                prev = text[i - 1].lower() if i else ""
                if not prev or prev in _VOWELS or prev in _AFTER_YE or not prev.isalpha():
                    rep = "ye"
            elif lo == "ц":
                if i and text[i - 1].lower() in _VOWELS:
                    rep = "ts"
            elif lo == "ъ":
                if i + 1 < n and text[i + 1].lower() in _SOFT_VOWELS:
                    rep = ""
            elif i + 1 < n and text[i + 1].lower() == "ҳ":  # с before ҳ
                rep = "s" + TUTUQ
        if ch != lo:  # upper case
            if len(rep) > 1:
                nxt = text[i + 1] if i + 1 < n else ""
                if nxt.isupper() or (not nxt.islower() and i and text[i - 1].isupper()):
                    rep = rep.upper()
                else:
                    rep = rep[0].upper() + rep[1:]
            else:
                rep = rep.upper()
        append(rep)
    return "".join(out)


# --------------------------------------------------------------------------
# Latin -> Cyrillic
# --------------------------------------------------------------------------

# fmt: off
_LAT_TO_CYR = {
    "a": "а", "b": "б", "c": "ц", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "ҳ", "i": "и", "j": "ж",
    "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "q": "қ", "r": "р", "s": "с", "t": "т",
    "u": "у", "v": "в", "w": "в", "x": "х", "y": "й", "z": "з",
}
# fmt: on
_LAT_VOWELS = frozenset("aeiou")
_Y_VOWEL = {"a": "я", "o": "ё", "u": "ю"}
_I_VOWEL_AFTER = frozenset("aeiouy")
# "ye" after these consonants is ъе (prefixes: obyekt, subyekt, syezd, podyezd, inyeksiya), after others ье (Vasilyev).
_HARD_SIGN_BEFORE_YE = frozenset("bdsznBDSZN")

# fmt: off
#: Latin words that stay Latin in Uzbek Cyrillic text (matched as whole words, case-sensitive).
LATIN_KEEP_WORDS = (
    "PINFL", "PDF", "CSV", "XLSX", "XLS", "QR", "SMS", "API", "URL", "HTML", "HTTP", "HTTPS", "JSON", "UTF-8",
    "ID", "IP", "OpenAPI", "Windows-1251", "E-saylov",
)
# fmt: on

_PROTECT_PARTS = (
    r"%\([^)]*\)[#0+\-]*\d*(?:\.\d+)?[a-zA-Z]",  # %(name)s, %(count)d
    r"%[#0+\-]*\d*(?:\.\d+)?[sdrif%]",  # %s %d %.2f %%
    r"\{\{.*?\}\}",  # {{ var }}
    r"\{%.*?%\}",  # {% tag %}
    r"\{[^{}\s]*\}",  # {count} {0} {}
    r"<[^<>]+>",  # HTML tags
    r"&(?:[a-zA-Z][a-zA-Z0-9]*|\#\d+|\#x[0-9a-fA-F]+);",  # entities
    r"(?:https?|ftp)://[^\s<>\"']+",  # URLs
    r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+",  # e-mail addresses
)


def _keep_words_pattern(words: Iterable[str]) -> str:
    alternatives = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    return rf"(?<![\w\-])(?:{alternatives})(?!\w)"


_PROTECT_RE = re.compile("|".join((*_PROTECT_PARTS, _keep_words_pattern(LATIN_KEEP_WORDS))))

# fmt: off
#: Words whose Uzbek Cyrillic spelling keeps letters the Latin alphabet dropped (ь, я of Russian loanwords),
#: so that letter-by-letter transliteration would misspell them: the month names (6-sentabr -> 6 сентябрь).
#: Whole words only (a suffixed form such as "oktabrda" is transliterated letter by letter: октябрда).
CYRILLIC_SPELLINGS = {
    "yanvar": "январь", "fevral": "февраль", "aprel": "апрель", "iyun": "июнь", "iyul": "июль",
    "sentabr": "сентябрь", "sentyabr": "сентябрь", "oktabr": "октябрь", "oktyabr": "октябрь",
    "noyabr": "ноябрь", "dekabr": "декабрь",
}
# fmt: on
_SPELLING_RE = re.compile(rf"(?<![^\W\d_])(?:{'|'.join(CYRILLIC_SPELLINGS)})(?![^\W\d_])", re.IGNORECASE)


def _spelled(word: str) -> str:
    cyrillic = CYRILLIC_SPELLINGS[word.lower()]
    if word.isupper():
        return cyrillic.upper()
    return cyrillic.capitalize() if word[0].isupper() else cyrillic


def _latin_text_to_cyrillic(s: str) -> str:
    """``_latin_run_to_cyrillic`` with the words of :data:`CYRILLIC_SPELLINGS` spelt as listed."""
    out, pos = [], 0
    for m in _SPELLING_RE.finditer(s):
        out.append(_latin_run_to_cyrillic(s[pos : m.start()]))
        out.append(_spelled(m.group()))
        pos = m.end()
    out.append(_latin_run_to_cyrillic(s[pos:]))
    return "".join(out)


def _is_okina(s: str, j: int) -> bool:
    """Is s[j] the apostrophe of oʻ / gʻ?"""
    if j >= len(s) or s[j] not in _APOS_SET:
        return False
    return s[j] in _TURNED_APOS or (j + 1 < len(s) and s[j + 1].isalpha())


def _latin_run_to_cyrillic(s: str) -> str:
    out = []
    append = out.append
    n = len(s)
    i = 0
    while i < n:
        ch = s[i]
        lo = ch.lower()
        if lo not in _LAT_TO_CYR:
            if ch in _APOS_SET and 0 < i < n - 1 and s[i - 1].isalpha() and s[i + 1].isalpha():
                append("Ъ" if s[i - 1].isupper() and s[i + 1].isupper() else "ъ")  # tutuq belgisi
            else:
                append(ch)
            i += 1
            continue
        nx = s[i + 1].lower() if i + 1 < n else ""
        step = 1
        if lo in "og" and _is_okina(s, i + 1):
            rep = "ў" if lo == "o" else "ғ"
            step = 2
        elif lo == "s" and nx == "h":
            rep, step = "ш", 2
        elif lo == "s" and s[i + 1 : i + 2] in _APOS_SET and s[i + 2 : i + 3].lower() == "h":
            rep, step = "сҳ", 3
        elif lo == "c" and nx == "h":
            rep, step = "ч", 2
        elif lo == "y" and nx and nx in "aoue" and not (nx == "o" and _is_okina(s, i + 2)):
            if nx == "e":
                prev = s[i - 1] if i else ""
                start = not prev or not (prev.isalpha() or prev in _APOS_SET)
                if start or prev.lower() in _LAT_VOWELS:
                    rep = "е"
                else:
                    rep = "ъе" if prev in _HARD_SIGN_BEFORE_YE else "ье"
            else:
                rep = _Y_VOWEL[nx]
            step = 2
        elif lo == "e":
            prev = s[i - 1] if i else ""
            start = not prev or not (prev.isalpha() or prev in _APOS_SET)
            rep = "э" if start or prev.lower() in _LAT_VOWELS else "е"
        elif lo == "t" and nx == "s":
            prev = s[i - 1] if i else ""
            nx2 = s[i + 2 : i + 3].lower()
            if not prev or not prev.isalpha() or nx2 == "e" or (nx2 == "i" and s[i + 3 : i + 4].lower() in _I_VOWEL_AFTER):
                rep, step = "ц", 2
            else:
                rep = "т"
        else:
            rep = _LAT_TO_CYR[lo]
        if ch != lo:  # upper case
            if len(rep) == 1 or s[i + step - 1].isupper():
                rep = rep.upper()
            else:
                rep = rep[0].upper() + rep[1:]
        append(rep)
        i += step
    return "".join(out)


def to_cyrillic(text: str, *, keep: Iterable[str] = ()) -> str:
    """Transliterate Uzbek Latin to Uzbek Cyrillic, keeping case, placeholders and markup.

    ``keep`` adds words (besides :data:`LATIN_KEEP_WORDS`) that must stay in Latin letters.
    """
    if not text:
        return text
    pattern = _PROTECT_RE
    if keep:
        pattern = re.compile(_PROTECT_RE.pattern + "|" + _keep_words_pattern(keep))
    out = []
    pos = 0
    for m in pattern.finditer(text):
        if m.start() > pos:
            out.append(_latin_text_to_cyrillic(text[pos : m.start()]))
        out.append(m.group())
        pos = m.end()
    if pos < len(text):
        out.append(_latin_text_to_cyrillic(text[pos:]))
    return "".join(out)


# --------------------------------------------------------------------------
# Matching key
# --------------------------------------------------------------------------

_APOS_TRANS = str.maketrans({c: "'" for c in APOSTROPHES})
# fmt: off
_DIACRITICS_TRANS = str.maketrans({
    "á": "a", "ä": "a", "ó": "u", "ö": "u", "ú": "u", "ü": "u", "ı": "i", "ń": "ng", "ǵ": "g",
    "ş": "sh", "ç": "ch", "ğ": "g",
})
# fmt: on
_HYPHEN_RE = re.compile(r"\s*[-\u2010-\u2015\u2212]+\s*")
_NON_WORD_RE = re.compile(r"[\W_]+")
_DIGRAPHS_RE = re.compile(r"shch|dzh|zh|dj|kh|gh|ph")
_DIGRAPHS = {"shch": "sh", "dzh": "j", "zh": "j", "dj": "j", "kh": "h", "gh": "g", "ph": "f"}
_LETTERS_TRANS = str.maketrans({"x": "h", "q": "k", "w": "u"})
_MORPHEMES = (("ts", "s"), ("td", "dd"), ("hoja", "huja"), ("ibragim", "ibrahim"))
_DOUBLE_RE = re.compile(r"([a-z])\1+")
_WORD_START_I_RE = re.compile(r"(?<![a-z])i(?=[aeou])")
_WORD_START_YE_RE = re.compile(r"(?<![a-z])ye")
_VOWEL_I_VOWEL_RE = re.compile(r"(?<=[aeou])i(?=[aeou])")
_Y_BEFORE_VOWEL_RE = re.compile(r"(?<=[a-z])y(?=[aeiou])")
_Y_OTHER_RE = re.compile(r"(?<=[a-z])y")
_O_TRANS = str.maketrans({"o": "a"})


def _strip_accents(s: str) -> str:
    s = s.translate(_DIACRITICS_TRANS)
    if s.isascii():
        return s
    decomposed = unicodedata.normalize("NFKD", s)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1 << 18)
def normalize_name(text: str) -> str:
    """The matching key of a name (see the module docstring for the rules)."""
    if not text:
        return ""
    s = to_latin(text).lower().translate(_APOS_TRANS)
    if "'" in s:
        s = s.replace("o'", "u").replace("g'", "g").replace("'", "")
    if not s.isascii():
        s = _strip_accents(s)
    if "-" in s or not s.isascii():
        s = _HYPHEN_RE.sub("", s)
    s = _NON_WORD_RE.sub(" ", s).strip()
    if not s:
        return ""
    s = _DIGRAPHS_RE.sub(lambda m: _DIGRAPHS[m.group()], s)
    s = s.translate(_LETTERS_TRANS)
    for old, new in _MORPHEMES:
        if old in s:
            s = s.replace(old, new)
    s = _DOUBLE_RE.sub(r"\1", s)
    if "i" in s:
        s = _WORD_START_I_RE.sub("y", s)
        s = _VOWEL_I_VOWEL_RE.sub("", s)
    if "y" in s:
        s = _WORD_START_YE_RE.sub("e", s)
        s = _Y_BEFORE_VOWEL_RE.sub("", s)
        s = _Y_OTHER_RE.sub("i", s)
    s = s.translate(_O_TRANS)
    while "ii" in s:
        s = s.replace("ii", "i")
    while "ee" in s:  # Sergeyev -> sergeev after the y is dropped: same key as Sergeev
        s = s.replace("ee", "e")
    return s


#: Patronymic endings on the matching key, longest first: Russian -ovich/-evich/-ovna/-evna
#: (o is already a), Uzbek oʻgʻli/qizi (ugli, kizi), Russian-style ogly/kyzy (agli, kizi).
_PATRONYMIC_SUFFIXES = ("avich", "evich", "avna", "evna", "ugli", "agli", "kizi", "uli")


@lru_cache(maxsize=1 << 16)
def normalize_patronymic(text: str) -> str:
    """Key of a patronymic without its suffix: Rustamovich, Rustam oʻgʻli, Рустам қизи -> ``rustam``."""
    key = normalize_name(text)
    if not key:
        return ""
    compact = key.replace(" ", "")
    for suffix in _PATRONYMIC_SUFFIXES:
        if compact.endswith(suffix) and len(compact) > len(suffix) + 1:
            return compact[: -len(suffix)]
    return key


def normalize_full_name(surname: str | None, given: str | None, patronymic: str | None = None) -> str:
    """One key for a full name: surname, given name and patronymic keys joined by spaces."""
    parts = (normalize_name(surname or ""), normalize_name(given or ""), normalize_patronymic(patronymic or ""))
    return " ".join(p for p in parts if p)


def name_tokens(text: str) -> list[str]:
    """The words of a name's matching key, for search: ``"ABDULLAYEV  Oʻktam"`` -> ``["abdulaev", "uktam"]``."""
    return normalize_name(text or "").split()
