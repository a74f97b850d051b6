"""Dates through the pipeline, on the made-up dated corpus (testsets/corpora/dated) with the fake
encoder: the explicit since/until filter, the preference for the time a question names, and the
article's date stated beside the fact."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from qa.api import Pipeline
from qa.errors import SettingsError
from qa.settings import REPO_ROOT
from tests.conftest import fake_settings_for

DATED = REPO_ROOT / "testsets" / "corpora" / "dated"
RACE = "Giải chạy quanh hồ Thủy Tiên có bao nhiêu vận động viên?"


@pytest.fixture(scope="module")
def dated(tmp_path_factory, fake_encoder) -> Pipeline:
    # Never declining: the fake encoder's vectors are too crude for the answerability model.
    settings = fake_settings_for(tmp_path_factory.mktemp("dated-index"), DATED, abstain_threshold=0.0)
    pipeline = Pipeline(settings, encoder=fake_encoder)
    pipeline.prepare()
    return pipeline


def _years(passages) -> list[int | None]:
    return [p.published.year if p.published else None for p in passages]


def test_since_until_filter_and_leave_out_undated(dated):
    passages = dated.retrieve(RACE, 10, since=date(2023, 1, 1), until=datetime(2024, 12, 31, 23, 0))
    assert passages and set(_years(passages)) <= {2023, 2024}
    answer = dated.ask(RACE, since=date(2025, 1, 1))
    assert {c.published.year for c in answer.citations if c.published} <= {2025}
    assert all(c.published is not None for c in answer.citations)


def test_without_a_range_undated_articles_are_kept(dated):
    passages = dated.retrieve("Câu lạc bộ chạy bộ Đông Lâm có bao nhiêu thành viên?", 10)
    assert passages[0].article_id == "chay_thuy_tien_khong_ngay"
    assert None in _years(dated.retrieve("Giải chạy năm 2023 có bao nhiêu vận động viên?", 10))


@pytest.mark.parametrize("bad", ["2024-01-01", 2024, 1.5])
def test_since_and_until_are_checked(dated, bad):
    with pytest.raises(SettingsError):
        dated.ask(RACE, since=bad)
    with pytest.raises(SettingsError):
        dated.retrieve(RACE, until=bad)
    with pytest.raises(SettingsError, match="after"):
        dated.ask(RACE, since=date(2025, 1, 1), until=date(2024, 1, 1))


@pytest.mark.parametrize(("year", "article"), [(2022, "chay_thuy_tien_2022"), (2023, "chay_thuy_tien_2023")])
def test_a_year_in_the_question_moves_its_articles_first(dated, year, article):
    question = f"Giải chạy quanh hồ Thủy Tiên năm {year} có bao nhiêu vận động viên?"
    assert dated.retrieve(question, 5)[0].article_id == article
    answer = dated.ask(question)
    assert answer.citations[0].article_id == article
    day = answer.citations[0].published.strftime("%d/%m/%Y")
    assert f"Theo bài ngày {day}," in answer.text


def test_the_newest_is_preferred_for_moi_nhat(dated):
    question = "Giải chạy hồ Thủy Tiên mới nhất có bao nhiêu vận động viên tham gia?"
    assert dated.retrieve(question, 5)[0].article_id == "chay_thuy_tien_2025"
    assert "2.900" in dated.ask(question).text


def test_relative_words_count_from_today(dated):
    question = "Năm ngoái giải chạy quanh hồ Thủy Tiên có bao nhiêu vận động viên?"
    assert dated.retrieve(question, 5, today=date(2025, 6, 1))[0].article_id == "chay_thuy_tien_2024"
    assert dated.retrieve(question, 5, today=date(2024, 6, 1))[0].article_id == "chay_thuy_tien_2023"


def test_no_date_prefix_when_the_date_does_not_matter(dated):
    answer = dated.ask("Câu lạc bộ chạy bộ Đông Lâm có bao nhiêu thành viên?")
    assert not answer.abstained and "Theo bài ngày" not in answer.text
