"""Vietnamese text handling shared by indexing and questions, so both sides meet on the same strings.

- `normalize`: NFC, one tone-mark placement (`uỷ` → `ủy`, `hoà` → `hòa`), tidy white space.
- `fold`: `normalize` + lower case + diacritics removed (`Đà Nẵng` → `da nang`), for matching text
  typed without accents.
- `split_sentences`: sentence spans with offsets, not fooled by `TP. Hồ Chí Minh`.
- `words`: the syllables of a text, for lexical matching.
"""
from __future__ import annotations

import functools
import re
import unicodedata

# Combining tone marks: grave, acute, hook above, tilde, dot below.
_TONES = "\u0300\u0301\u0309\u0303\u0323"
# Control and zero-width characters, and lone surrogates (invalid UTF-8 read with surrogateescape,
# an escaped `\udcff` in JSON): nothing a text means, and a surrogate cannot even be encoded.
_CONTROL = re.compile(r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\ufeff\ud800-\udfff]")

# Old-style placement puts the tone on the second vowel of an open `oa`, `oe`, `uy` ending (hoà,
# khoẻ, thuỷ); the new style (and most of today's press) puts it on the first (hòa, khỏe, thủy).
# After `q`, `u` belongs to the consonant (`quý`), so that case is left alone (`_place_tone` checks
# the letter before: a pattern opening on a lookbehind would lose the regex engine's fast scan for
# its first letter, and normalising was most of the cost of indexing).
_VOWEL_PAIR_OLD = re.compile(r"([oO][aAeE]|[uU][yY])([" + _TONES + r"])(?![\w\u0300-\u036f])")
# The same pairs as NFC writes them (`o` + `à`, `u` + `ý`): text already in NFC without one of these
# has nothing to move, and NFD then NFC would give it back unchanged.
_TONED_AE = "àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸ"
_TONED_Y = "ỳýỷỹỵỲÝỶỸỴ"
_MAYBE_OLD_NFC = re.compile(rf"(?:[oO][{_TONED_AE}]|[uU][{_TONED_Y}])(?![\w\u0300-\u036f])")
_SPACES = re.compile(r"[ ]{2,}")


def _place_tone(match: re.Match[str]) -> str:
    start = match.start()
    if start and match.string[start - 1] in "qQ":
        return match.group(0)
    pair, tone = match.group(1, 2)
    return pair[0] + tone + pair[1]


def normalize(text: str) -> str:
    """Canonical form of Vietnamese text: NFC, new-style tone placement, no control characters,
    non-breaking and repeated spaces folded (line breaks kept)."""
    text = _CONTROL.sub("", text)
    if not unicodedata.is_normalized("NFC", text) or _MAYBE_OLD_NFC.search(text):
        decomposed = unicodedata.normalize("NFD", text)
        # In NFD a toned vowel is base + (circumflex/breve/horn) + tone; for the oa/oe/uy pairs the
        # second vowel has no other mark, so "second letter then tone" is exactly the old placement.
        decomposed = _VOWEL_PAIR_OLD.sub(_place_tone, decomposed)
        text = unicodedata.normalize("NFC", decomposed)
    text = text.replace("\u00a0", " ").replace("\t", " ")
    return _SPACES.sub(" ", text) if "  " in text else text


# Above the last code point with a combining class (U+1E94A in Python 3.11's Unicode data): a test
# checks it.
_COMBINING_BELOW = 0x1F000


@functools.cache
def _strip_table() -> dict[int, str | None]:
    """str.translate table: each character whose canonical decomposition holds combining marks
    (non-zero combining class) → that decomposition without them, each combining mark → nothing,
    đ/Đ → d/D. Built on first use (~0.1 s)."""
    table: dict[int, str | None] = {}
    for code in range(_COMBINING_BELOW):
        char = chr(code)
        if unicodedata.combining(char):
            table[code] = None
        elif unicodedata.decomposition(char)[:1] not in ("", "<"):  # canonical, not compatibility
            decomposed = unicodedata.normalize("NFD", char)
            kept = "".join(c for c in decomposed if not unicodedata.combining(c))
            if kept != decomposed:
                table[code] = kept or None
    table[ord("đ")], table[ord("Đ")] = "d", "D"
    return table


def strip_diacritics(text: str) -> str:
    """`Đà Nẵng` → `Da Nang`: what people type on a keyboard without Vietnamese input.

    That is NFC(NFD(text) without combining marks, đ → d). NFD decomposes each character on its own
    and then only reorders combining marks, which all go, so the same is had character by character
    with one `str.translate` (a character left whole is canonically equivalent to its decomposition,
    and NFC makes them one)."""
    stripped = text.translate(_strip_table())
    return stripped if stripped.isascii() else unicodedata.normalize("NFC", stripped)


def fold(text: str) -> str:
    """Lower-case, unaccented canonical form, for matching regardless of how the text was typed."""
    return strip_diacritics(normalize(text)).lower()


def has_diacritics(text: str) -> bool:
    return strip_diacritics(text) != text


_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    """Lower-cased syllables of normalised text (`Hồ Chí Minh` → `hồ`, `chí`, `minh`)."""
    return _WORD.findall(normalize(text).lower())


# The shape of a Vietnamese syllable written without its diacritics: an onset, vowels, a coda (the
# coda `k` and the onset `kr` too, as Central Highlands names write them: `Dak Lak`, `Krong`).
# English words mostly have another (`Park`, `Festival`, `City`); a few share it (`May`, `Co`).
_VIETNAMESE_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|kr|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnptiyouk])?"
)


def shaped_like_vietnamese(word: str) -> bool:
    """`Tien`, `Nguyễn`, `Dak`: the word could be a Vietnamese syllable; `Park`, `Festival` could not."""
    return _VIETNAMESE_SYLLABLE.fullmatch(fold(word)) is not None


# A year as news writes it: 1000–2099 (history is news too: `năm 1519`).
YEAR = r"(?:1\d|20)\d{2}"

# Upper-case letters of the Latin script (Vietnamese, Lao romanisation): `[A-ZÀ-Ỹ]` is NOT this,
# as that range also holds lower-case letters.
UPPER = "".join(c for c in map(chr, range(0x41, 0x1F00)) if c.isalpha() and c.isupper())
CAPITALISED_WORD = rf"[{UPPER}][^\W\d_]*(?:-[^\W\d_]+)*"  # `Seung-ho`, `Sa-la-van` are one word

# Abbreviations after which a period does not end a sentence (`TP. Hồ Chí Minh`, `ThS. Lê`).
ABBREVIATIONS = (
    "TP", "Tp", "tp", "TS", "ThS", "PGS", "GS", "BS", "KS", "Mr", "Mrs", "Ms", "Dr", "St", "TT", "Th.S", "v.v"
)
# ... and after an initial (`Peter T. Lawson`, `A.B. Carter`).
_NOT_AFTER = "".join(rf"(?<!\b{re.escape(a)}\.)" for a in ABBREVIATIONS) + rf"(?<!\b[{UPPER}]\.)"
# A sentence ends at . ! ? … (or one of them and a closing quote or bracket) before white space and
# an upper-case letter, digit, opening quote or bracket; a line break always ends one.
SENTENCE_BOUNDARY = re.compile(
    r"(?:(?:(?<=[!?…])|(?<=[.!?…][\"”’»)])|(?<=[^.]\.)"
    + _NOT_AFTER
    + r")\s+(?=[\"“‘«(\[]?["
    + UPPER
    + r"0-9])|\s*\n\s*)"
)


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int, str]]:
    """(start, end, sentence) spans of `text`, stripped, with `text[start-offset:end-offset] == sentence`."""
    spans = []
    position = 0
    for boundary in SENTENCE_BOUNDARY.finditer(text):
        spans.append((position, boundary.start()))
        position = boundary.end()
    spans.append((position, len(text)))
    out: list[tuple[int, int, str]] = []
    for start, end in spans:
        piece = text[start:end]
        stripped = piece.strip()
        if not stripped:
            continue
        start += len(piece) - len(piece.lstrip())
        end = start + len(stripped)
        if out and _ASIDE.fullmatch(stripped) and "\n" not in text[out[-1][1] - offset : start]:
            # `… giai đoạn 2025-2028. (Ảnh: Kim Oanh)`: an aside after the period, on the same
            # line, belongs to its sentence (here, it credits the caption's photo).
            start = out.pop()[0] - offset
        out.append((offset + start, offset + end, text[start:end]))
    return out


_ASIDE = re.compile(r"\([^()]*\)")
