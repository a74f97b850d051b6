"""qa/dates.py: the time a question asks about, on made-up questions, relative to a fixed today."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from qa.dates import TimeRange, asked_time, explicit_range, format_day, parse_day, without_time
from qa.errors import SettingsError

TODAY = date(2025, 5, 14)  # a Wednesday


@pytest.mark.parametrize(
    ("question", "since", "until"),
    [
        ("Giải chạy năm 2024 có bao nhiêu người?", date(2024, 1, 1), date(2024, 12, 31)),
        ("Tháng 5/2025 hội chợ có bao nhiêu gian hàng?", date(2025, 5, 1), date(2025, 5, 31)),
        ("Tháng 2 năm 2024 ai vô địch?", date(2024, 2, 1), date(2024, 2, 29)),
        ("Ngày 12/5/2025 có bao nhiêu người chạy?", date(2025, 5, 12), date(2025, 5, 12)),
        ("Hôm qua ai vô địch?", date(2025, 5, 13), date(2025, 5, 13)),
        ("Hôm nay có tin gì?", TODAY, TODAY),
        ("Tuần trước hội chợ bán được gì?", date(2025, 5, 5), date(2025, 5, 11)),
        ("Tháng trước có bao nhiêu gian hàng?", date(2025, 4, 1), date(2025, 4, 30)),
        ("Năm ngoái giải chạy có bao nhiêu người?", date(2024, 1, 1), date(2024, 12, 31)),
        ("Năm trước ai vô địch?", date(2024, 1, 1), date(2024, 12, 31)),
        ("3 năm trước ai vô địch?", date(2022, 1, 1), date(2022, 12, 31)),
        ("Năm nay có bao nhiêu người chạy?", date(2025, 1, 1), TODAY),
        ("nam 2023 giai chay co bao nhieu nguoi?", date(2023, 1, 1), date(2023, 12, 31)),  # unaccented
        ("hom qua ai vo dich?", date(2025, 5, 13), date(2025, 5, 13)),
    ],
)
def test_ranges(question, since, until):
    found = asked_time(question, today=TODAY)
    assert found is not None and (found.since, found.until) == (since, until) and not found.recent


@pytest.mark.parametrize("question", ["Giải chạy mới nhất có bao nhiêu người?", "Gần đây ai vô địch?",
                                      "Mới đây hội chợ bán gì?", "giai chay gan day nhat o dau?"])
def test_recent(question):
    found = asked_time(question, today=TODAY)
    assert found == TimeRange(recent=True, phrase=found.phrase) and found.recent and not found.bounded


@pytest.mark.parametrize(
    "question",
    ["Ai vô địch giải chạy?", "Ngày 31/2/2025 có gì?", "Cần Thơ ký bản ghi nhớ năm nào?",
     "Giải chạy dài bao nhiêu km?", "Việt Nam có bao nhiêu tỉnh?"],
)
def test_no_time(question):
    assert asked_time(question, today=TODAY) is None


def test_today_defaults_to_vietnam_time():
    found = asked_time("Hôm nay có gì?")
    vietnam = datetime.now(timezone(timedelta(hours=7))).date()
    assert found is not None and found.since in {vietnam, vietnam - timedelta(days=1)}


def test_contains_uses_the_day_in_vietnam_time():
    may = TimeRange(date(2025, 5, 1), date(2025, 5, 31))
    late_april_utc = datetime(2025, 4, 30, 18, 0, tzinfo=UTC)  # 1 May 01:00 in Vietnam
    assert may.contains(late_april_utc)
    assert not may.contains(None)
    assert not may.contains(date(2025, 6, 1))


def test_explicit_range_checks_its_arguments():
    assert explicit_range(None, None) is None
    assert explicit_range(date(2024, 1, 1), datetime(2024, 6, 1, 12)) == TimeRange(date(2024, 1, 1), date(2024, 6, 1))
    with pytest.raises(SettingsError, match="since"):
        explicit_range("2024-01-01", None)
    with pytest.raises(SettingsError, match="after"):
        explicit_range(date(2025, 1, 1), date(2024, 1, 1))


def test_day_input_and_format():
    assert parse_day("12/05/2025") == date(2025, 5, 12)
    assert parse_day(" 1-2-2024 ") == date(2024, 2, 1)
    assert parse_day("2024-02-01") == date(2024, 2, 1)
    assert parse_day("") is None
    for bad in ("31/02/2025", "mai", "12/05"):
        with pytest.raises(ValueError):
            parse_day(bad)
    assert format_day(datetime(2025, 5, 11, 20, 0, tzinfo=UTC)) == "12/05/2025"


@pytest.mark.parametrize(
    "question",
    ["Trước năm 2024, hội chợ sách mở cửa lần cuối vào tháng mấy?", "Đến năm 2030 xã muốn đạt bao nhiêu?",
     "Từ năm 2020, giải chạy có bao nhiêu người?", "so voi nam 2023 tang bao nhieu?"],
)
def test_a_time_the_question_reasons_about_is_not_asked(question):
    assert asked_time(question, today=TODAY) is None


def test_without_time():
    assert without_time("Năm 2024 tiền lệ phí được dùng vào việc gì?") == "tiền lệ phí được dùng vào việc gì?"
    assert without_time("Giải chạy mới nhất có bao nhiêu người?") == "Giải chạy có bao nhiêu người?"
    assert without_time("Ai vô địch?") == "Ai vô địch?"


def test_according_to_states_the_day_and_keeps_names_capitalised():
    from qa.answering import according_to

    may = datetime(2025, 5, 12, 8, 30, tzinfo=timezone(timedelta(hours=7)))
    expected = "Theo bài ngày 12/05/2025, sáng 12/5, giải chạy diễn ra."
    assert according_to(may, "Sáng 12/5, giải chạy diễn ra.") == expected
    assert according_to(may, "Anh Đàm Quốc Huy vô địch.") == "Theo bài ngày 12/05/2025, anh Đàm Quốc Huy vô địch."
    assert according_to(may, "Đông Lâm có 340 người.") == "Theo bài ngày 12/05/2025, Đông Lâm có 340 người."
