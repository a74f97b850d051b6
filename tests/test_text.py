"""Sentences of Vietnamese news prose (qa.text.split_sentences): the units the answerer quotes, so a
wrong cut shows in every answer."""
from __future__ import annotations

from qa.text import shaped_like_vietnamese, split_sentences


def sentences(text: str) -> list[str]:
    return [sentence for _, _, sentence in split_sentences(text)]


def test_spans_point_into_the_text_at_its_offset():
    text = "Sáng 12/5, hai bên ký kết. Ông Trung phát biểu."

    spans = split_sentences(text, offset=100)

    assert [text[start - 100 : end - 100] for start, end, _ in spans] == sentences(text)


def test_abbreviations_and_initials_do_not_end_a_sentence():
    assert sentences("Đoàn đến TP. Hồ Chí Minh ngày 5/9. John C. Messenger phát biểu.") == [
        "Đoàn đến TP. Hồ Chí Minh ngày 5/9.",
        "John C. Messenger phát biểu.",
    ]


def test_an_aside_after_the_period_stays_with_its_sentence():
    text = "Lễ ký kết giai đoạn 2025-2028. (Ảnh: Kim Oanh/nghean.gov.vn)\n\nÔng Trung đề nghị hai bên hợp tác."

    assert sentences(text) == [
        "Lễ ký kết giai đoạn 2025-2028. (Ảnh: Kim Oanh/nghean.gov.vn)",
        "Ông Trung đề nghị hai bên hợp tác.",
    ]


def test_a_bracket_opening_a_sentence_or_a_line_is_not_an_aside():
    assert sentences("Ông A nói. (PLO) Bà B đáp.") == ["Ông A nói.", "(PLO) Bà B đáp."]
    assert sentences("Câu một.\n(Ảnh: X)") == ["Câu một.", "(Ảnh: X)"]


def test_old_style_tone_moves_to_the_first_vowel_but_a_marked_vowel_keeps_it():
    from qa.text import normalize

    assert normalize("hoà khoẻ thuỷ") == "hòa khỏe thủy"
    # ă/â/ê/ơ carry their own mark after the tone in NFD: the tone already sits where it belongs.
    assert normalize("hoặc Hoặc hoằng quý") == "hoặc Hoặc hoằng quý"


# normalize and strip_diacritics as they were written before they were made fast (issue 13): the
# definitions the fast ones must agree with.
def _normalize_reference(text):
    import re
    import unicodedata

    from qa.text import _CONTROL, _TONES

    old_pair = re.compile(
        r"(?<![qQ])(?P<a>[oO])(?P<b>[aAeE])(?P<t>[" + _TONES + r"])(?![\w\u0300-\u036f])"
        r"|(?<![qQ])(?P<a2>[uU])(?P<b2>[yY])(?P<t2>[" + _TONES + r"])(?![\w\u0300-\u036f])"
    )

    def place(m):
        first, second, tone = m.group("a", "b", "t") if m.group("a") is not None else m.group("a2", "b2", "t2")
        return first + tone + second

    text = unicodedata.normalize("NFD", _CONTROL.sub("", text))
    text = unicodedata.normalize("NFC", old_pair.sub(place, text)).replace("\u00a0", " ").replace("\t", " ")
    return re.sub(r"[ ]{2,}", " ", text)


def _strip_reference(text):
    import unicodedata

    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped.replace("đ", "d").replace("Đ", "D"))


def _tricky_strings(n, seed=13):
    """Random strings of what breaks Vietnamese text handling: the oa/oe/uy pairs and q, the five
    tones and other combining marks (alone, doubled, after spaces), precomposed and decomposed
    letters, đ, İ, Hangul, controls, non-breaking and repeated spaces, punctuation."""
    import random

    alphabet = [
        *"oOaAeEuUyYqQ iđĐİ_-.,“”\t\n",
        "\u0300", "\u0301", "\u0309", "\u0303", "\u0323", "\u0302", "\u0306", "\u031b", "\u0307", "\u20d7",
        "à", "ý", "Ỳ", "ọ", "ặ", "ố", "ư", "ờ", "ǻ", "Å", "가", "\u1100", "\u1161", "\u11a8", "\u00a0",
        "\u200b", "\x07", "ß", "Ω", "≠", "=", "\u0338", "\U0001e944",
    ]
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(n)]


def test_normalize_and_strip_diacritics_agree_with_their_reference_definitions():
    from qa.text import normalize, strip_diacritics

    for text in [*_tricky_strings(20_000), "hoà khoẻ thuỷ quý Quỳ hoặc", "Hợp tác Đà Nẵng", "q\u0301x"]:
        assert normalize(text) == _normalize_reference(text), ascii(text)
        assert strip_diacritics(text) == _strip_reference(text), ascii(text)


def test_strip_table_covers_every_combining_mark():
    """strip_diacritics' table stops below _COMBINING_BELOW: no code point from there up has a
    combining class (a newer Unicode database could add one)."""
    import sys
    import unicodedata

    from qa.text import _COMBINING_BELOW

    assert not any(unicodedata.combining(chr(c)) for c in range(_COMBINING_BELOW, sys.maxunicode + 1))


def test_a_word_is_shaped_like_a_vietnamese_syllable_or_not():
    for word in ("Tien", "Nguyễn", "Đông", "Nghia", "Quyen", "Dak", "Krong", "May"):
        assert shaped_like_vietnamese(word), word
    for word in ("Park", "Festival", "City", "Industrial", "Spice", "Lantern"):
        assert not shaped_like_vietnamese(word), word
