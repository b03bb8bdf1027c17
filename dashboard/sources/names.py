"""Place names as people type them: one normal form for Arabic, Turkish and the many English spellings.

Idlib, Idleb, Edlib, İdlip and إدلب; A'zaz, Azaz, Aazaz and إعزاز; Jisr al-Shughur, Jisr ash-Shughur and
جسر الشغور should find the same place. Three keys are made from a name, from strict to loose:

- :func:`normalise`: lower case, no diacritics (İ ş ğ ḩ ā …), no hamza or ayn marks (' ` ‘ ’ ʿ ʾ), no
  articles (Arabic ال; al-, el-, ash-, as-, ad- … written with a hyphen; "al" or "el" alone; a sun-letter form
  alone only where its word doubles its consonant, as Arabic does: "an Nu'man", "ash Shughur", so the English
  words "an", "as", "ar", "at" in "at home" stay words), Arabic letter variants folded (أ إ آ → ا, ة → ه, ى → ي,
  ؤ → و, ئ → ي) and tashkeel dropped, a word-final Latin -ah/-eh read as -a (ta marbuta), words kept;
- :func:`compact`: the same without spaces ("jisr shughur" → "jisrshughur");
- :func:`skeleton`: the Latin consonants only, with the letters transliterations swap folded together
  (q → k, p → b, c and ç → j as Turkish writes them, gh → g, dh → z, ou → u), doubled letters once:
  Idleb, Edlib and İdlip all give "dlb".

Pure string functions, used by the search (``model/places.py``) and by ``geodata/build.py`` to match names.
"""

from __future__ import annotations

import re
import unicodedata

_ARABIC_LETTER = re.compile(r"[\u0600-\u06FF]")
# the letters of Arabic itself (hamza to yeh, with the alef wasla): a name written with a Persian, Urdu or
# Kurdish letter, or with Latin ones beside the Arabic, is another language's (GeoNames lists both untagged)
_ARABIC_ALPHABET = re.compile(r"[\u0621-\u063A\u0641-\u064A\u0671]")
_TASHKEEL = re.compile(r"[\u064B-\u065F\u0670\u0640]")  # harakat, superscript alef, tatweel
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي", "ء": ""})
_MARKS = re.compile(r"[’‘'`´ʿʾʼʻ′\u02bf\u02be]")
_SEPARATORS = re.compile(r"[\s\-‐‑–—_.,;:/()\[\]\"“”«»]+")
_HYPHEN = re.compile(r"[-‐‑]")
_LATIN_FOLD = str.maketrans({"ı": "i", "ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe"})
ARTICLES = frozenset(
    {"al", "el", "il", "ul", "ash", "esh", "as", "es", "ad", "ed", "ar", "er", "an", "en", "at", "et", "az", "ez"}
    | {"adh", "ath"}
)
# the article before a moon letter, in the Latin spellings that are no English word: an article on its own
_MOON_ARTICLES = frozenset({"al", "el"})
# Words that say what a unit is, not which: "محافظة إدلب" is Idlib governorate, "منطقة حارم" Harim district.
GENERIC = frozenset({"محافظه", "منطقه", "ناحيه", "مركز", "governorate", "district", "subdistrict", "nahiya"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
MAX_QUERY = 200  # characters of a query that are read: no place name is longer


def is_arabic(text: str) -> bool:
    """Written in the Arabic alphabet alone: every letter is an Arabic letter (not a Persian, Urdu or Kurdish
    one, and no Latin letters beside them)."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(_ARABIC_ALPHABET.match(c) for c in letters)


def _word(word: str) -> str:
    if _ARABIC_LETTER.search(word):
        word = _TASHKEEL.sub("", word).translate(_ARABIC_FOLD)
        if word.startswith("ال") and len(word) > 3:  # the article, glued to its word
            word = word[2:]
        return word
    decomposed = unicodedata.normalize("NFKD", word.translate(_LATIN_FOLD))
    word = "".join(c for c in decomposed if not unicodedata.combining(c))
    if len(word) > 3 and word.endswith(("ah", "eh")):  # ta marbuta: Raqqah, Raqqa; Jableh, Jablah
        word = word[:-2] + "a"
    return word


_TAG = re.compile(r"<[^<>]{0,200}>")


def _letters_only(text: str) -> str:
    """Everything that is not a letter, digit, mark or hyphen (emoji, Markdown's * and #, symbols) as a
    space: "**Idlib**" and "💥 Idlib" are Idlib; a hyphen still tells an article on its word (al-Bab)."""
    return "".join(c if unicodedata.category(c)[0] in "LNM" or _HYPHEN.match(c) else " " for c in text)


def words(text: str) -> list[str]:
    """A name's words in normal form, articles and generic words left out; markup tags, emoji and symbols
    read as spaces."""
    text = _CONTROL.sub("", unicodedata.normalize("NFKC", text[:MAX_QUERY])).casefold()
    text = _letters_only(_TAG.sub(" ", _MARKS.sub("", text)))
    parts = re.split(f"({_SEPARATORS.pattern})", text)  # words at even places, what parts them at odd ones
    spelled = [(_word(w), bool(_HYPHEN.search(after))) for w, after in zip(parts[::2], [*parts[1::2], ""], strict=True)]
    spelled = [(w, hyphened) for w, hyphened in spelled if w]
    out = []
    for n, (word, hyphened) in enumerate(spelled):
        following = spelled[n + 1][0] if n + 1 < len(spelled) else ""
        if word in GENERIC or (word in ARTICLES and following and _is_article(word, hyphened, following)):
            continue
        out.append(word)
    return out


def _is_article(word: str, hyphened: bool, following: str) -> bool:
    """Whether a Latin article-like word before ``following`` is the Arabic article: written on its word with
    a hyphen (al-Bab, an-Nayrab), "al"/"el" alone, or a sun-letter form whose consonant the next word doubles
    ("ar Raqqah", "ash Shughur"); not English "an", "as", "at" in "as well as", "at home"."""
    if hyphened or word in _MOON_ARTICLES:
        return True
    consonant = word[1:]  # the sun letter, which the next word doubles: "at Tall", "ath Thawra", not "at the"
    return following.startswith(consonant) and (consonant.endswith("h") or not following.startswith(consonant + "h"))


def normalise(text: str) -> str:
    return " ".join(words(text))


def compact(text: str) -> str:
    return "".join(words(text))


_DIGRAPHS = (("gh", "g"), ("kh", "k"), ("dh", "z"), ("th", "t"), ("sh", "s"), ("ch", "j"), ("ou", "u"))
_SKELETON_FOLD = str.maketrans({"q": "k", "p": "b", "c": "j", "v": "f", "x": "k", "ş": "s", "ğ": "g", "ç": "j"})
_VOWELS = re.compile(r"[aeiouy]")


def skeleton(text: str) -> str:
    """The Latin consonants of a name, loosely (see the module's docstring); "" for an Arabic name."""
    joined = compact(text)
    if _ARABIC_LETTER.search(joined):
        return ""
    for pair, letter in _DIGRAPHS:
        joined = joined.replace(pair, letter)
    joined = _VOWELS.sub("", joined.translate(_SKELETON_FOLD))
    return re.sub(r"(.)\1+", r"\1", joined)


def arabic_name(alternates: list[str]) -> str:
    """The Arabic among a place's alternate names: the first written with its hamzas (إدلب before ادلب),
    else the first; "" when there is none."""
    arabic = [a for a in alternates if is_arabic(a)]
    full = [a for a in arabic if re.search("[أإآؤئء]", a)]
    return (full or arabic or [""])[0]


def latin_or_arabic(name: str) -> bool:
    """A spelling worth keeping for search: Latin or Arabic script (the dataset's Cyrillic, Greek, CJK … are
    left out: no one here types them)."""
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(unicodedata.name(c, "").startswith(("LATIN", "ARABIC")) or c in "ʿʾ" for c in letters)


def strip_generic(name: str) -> str:
    """An Arabic unit name without the word for its kind in front ("محافظة إدلب" → "إدلب",
    "منطقة مركز حارم" → "حارم"): the card says what kind of unit it is."""
    parts = name.split()
    while len(parts) > 1 and _word(parts[0]) in GENERIC:
        parts.pop(0)
    return " ".join(parts)
