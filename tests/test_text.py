"""Sentences of Vietnamese news prose (qa.text.split_sentences): the units the answerer quotes, so a
wrong cut shows in every answer."""
from __future__ import annotations

from qa.text import split_sentences


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
