"""Vietnamese text handling shared by indexing and questions, so both sides meet on the same strings.

- `normalize`: NFC, one tone-mark placement (`uỷ` → `ủy`, `hoà` → `hòa`), tidy white space.
- `fold`: `normalize` + lower case + diacritics removed (`Đà Nẵng` → `da nang`), for matching text
  typed without accents.
- `split_sentences`: sentence spans with offsets, not fooled by `TP. Hồ Chí Minh`.
- `words`: the syllables of a text, for lexical matching.
"""
from __future__ import annotations

import re
import unicodedata

# Combining tone marks: grave, acute, hook above, tilde, dot below.
_TONES = "\u0300\u0301\u0309\u0303\u0323"
# Control and zero-width characters, and lone surrogates (invalid UTF-8 read with surrogateescape,
# an escaped `\udcff` in JSON): nothing a text means, and a surrogate cannot even be encoded.
_CONTROL = re.compile(r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\ufeff\ud800-\udfff]")

# Old-style placement puts the tone on the second vowel of an open `oa`, `oe`, `uy` ending (hoà,
# khoẻ, thuỷ); the new style (and most of today's press) puts it on the first (hòa, khỏe, thủy).
# After `q`, `u` belongs to the consonant (`quý`), so that case is left alone.
_VOWEL_PAIR_OLD = re.compile(
    r"(?<![qQ])(?P<first>[oO])(?P<second>[aAeE])(?P<tone>[" + _TONES + r"])(?![\w\u0300-\u036f])"
    r"|(?<![qQ])(?P<first2>[uU])(?P<second2>[yY])(?P<tone2>[" + _TONES + r"])(?![\w\u0300-\u036f])"
)


def _place_tone(match: re.Match[str]) -> str:
    if match.group("first") is not None:
        first, second, tone = match.group("first", "second", "tone")
    else:
        first, second, tone = match.group("first2", "second2", "tone2")
    return first + tone + second


def normalize(text: str) -> str:
    """Canonical form of Vietnamese text: NFC, new-style tone placement, no control characters,
    non-breaking and repeated spaces folded (line breaks kept)."""
    text = _CONTROL.sub("", text)
    decomposed = unicodedata.normalize("NFD", text)
    # In NFD a toned vowel is base + (circumflex/breve/horn) + tone; for the oa/oe/uy pairs the
    # second vowel has no other mark, so "second letter then tone" is exactly the old placement.
    decomposed = _VOWEL_PAIR_OLD.sub(_place_tone, decomposed)
    text = unicodedata.normalize("NFC", decomposed)
    text = text.replace("\u00a0", " ").replace("\t", " ")
    return re.sub(r"[ ]{2,}", " ", text)


def strip_diacritics(text: str) -> str:
    """`Đà Nẵng` → `Da Nang`: what people type on a keyboard without Vietnamese input."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped.replace("đ", "d").replace("Đ", "D"))


def fold(text: str) -> str:
    """Lower-case, unaccented canonical form, for matching regardless of how the text was typed."""
    return strip_diacritics(normalize(text)).lower()


def has_diacritics(text: str) -> bool:
    return strip_diacritics(text) != text


_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    """Lower-cased syllables of normalised text (`Hồ Chí Minh` → `hồ`, `chí`, `minh`)."""
    return _WORD.findall(normalize(text).lower())


# Upper-case letters of the Latin script (Vietnamese, Lao romanisation): `[A-ZÀ-Ỹ]` is NOT this,
# as that range also holds lower-case letters.
UPPER = "".join(c for c in map(chr, range(0x41, 0x1F00)) if c.isalpha() and c.isupper())
CAPITALISED_WORD = rf"[{UPPER}][^\W\d_]*(?:-[^\W\d_]+)*"  # `Seung-ho`, `Sa-la-van` are one word

# Abbreviations after which a period does not end a sentence (`TP. Hồ Chí Minh`, `ThS. Lê`).
ABBREVIATIONS = (
    "TP", "Tp", "tp", "TS", "ThS", "PGS", "GS", "BS", "KS", "Mr", "Mrs", "Ms", "Dr", "St", "TT", "Th.S", "v.v"
)
# ... and after an initial (`John C. Messenger`, `E.I. du Pont`).
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
