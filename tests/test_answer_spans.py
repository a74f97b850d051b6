"""What kind of answer a question asks for, and which spans of a sentence can be that answer
(qa.question.expected_answer_type, qa.spans.answer_spans): plain functions, tested on made-up
sentences of the kinds news prose has."""
from __future__ import annotations

import pytest

from qa.question import AnswerType, expected_answer_type
from qa.spans import answer_spans


def texts(sentence: str, kind: AnswerType, exclude: str = "") -> list[str]:
    return [span.text for span in answer_spans(sentence, kind, exclude=exclude)]


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Lễ khai mạc diễn ra vào ngày nào?", AnswerType.DAY),
        ("Vao ngay nao?", AnswerType.DAY),
        ("On what day was it signed?", AnswerType.DAY),
        ("Cây cầu được khánh thành khi nào?", AnswerType.DATE),
        ("When was the bridge opened?", AnswerType.DATE),
        ("Hai tỉnh ký kết năm nào?", AnswerType.YEAR),
        ("Thỏa thuận cho giai đoạn nào?", AnswerType.PERIOD),
        ("Có bao nhiêu đại biểu?", AnswerType.NUMBER),
        ("Ai chủ trì hội nghị?", AnswerType.PERSON),
        ("Hội nghị tổ chức ở đâu?", AnswerType.PLACE),
    ],
)
def test_expected_answer_type(question, kind):
    assert expected_answer_type(question) is kind


def test_a_day_question_is_not_answered_by_a_year():
    sentence = "Năm 2026, sáng 14/3, thành phố khai mạc lễ hội."

    assert texts(sentence, AnswerType.DAY) == ["sáng 14/3"]
    assert texts("Lễ hội được tổ chức lần đầu năm 2019.", AnswerType.DAY) == []
    # "khi nào" takes a year when the sentence has no day.
    assert texts("Lễ hội được tổ chức lần đầu năm 2019.", AnswerType.DATE) == ["năm 2019"]


def test_day_and_month_are_not_read_inside_a_month_and_year():
    assert texts("Dự án hoàn thành trong tháng 5/2025.", AnswerType.DAY) == []
    assert texts("Dự án hoàn thành trong tháng 5/2025.", AnswerType.DATE) == ["tháng 5/2025"]
    assert texts("Hai nước (5/9/1962 - 5/9/2022) kỷ niệm.", AnswerType.DAY) == ["5/9/1962", "5/9/2022"]


def test_years_before_1800_are_years():
    assert texts("Thương nhân Nhật Bản đến buôn bán từ năm 1593.", AnswerType.YEAR) == ["1593"]
    assert texts("Thương nhân Nhật Bản đến buôn bán từ năm 1593.", AnswerType.DATE) == ["năm 1593"]


def test_words_of_the_question_are_excluded_as_whole_words_only():
    # `ba` is a word of its own, not the first letters of `bao nhiêu`.
    assert texts("Đội bị giữ trong ba lượt chơi.", AnswerType.NUMBER, exclude="Bao nhiêu lượt?") == ["ba"]
    assert texts("Hai tỉnh ký năm 2009.", AnswerType.YEAR, exclude="Hai tỉnh ký năm 2009?") == []


def test_one_and_five_count_only_before_a_word():
    sentence = "Năm 2010 có năm nghệ nhân và một nửa số khách."

    assert texts(sentence, AnswerType.NUMBER) == ["2010", "năm", "một nửa"]
