"""The evaluation sets and their corpora: each test set has its own article folder, outside tests/
(whose corpus folders are loader fixtures, broken files on purpose), which loads without a problem
and holds every article and every gold answer its questions name."""
from __future__ import annotations

from pathlib import Path

import pytest

from qa.corpus import load_corpus
from qa.evaluation.metrics import contains_answer
from qa.evaluation.testset import load_testset
from qa.settings import REPO_ROOT

TESTSETS = REPO_ROOT / "testsets"
EVALUATIONS = {
    "seed_qa.jsonl": REPO_ROOT / "seeds",
    "unseen_qa.jsonl": TESTSETS / "corpora" / "held_out_1",
    "held_out_2_qa.jsonl": TESTSETS / "corpora" / "held_out_2",
    "held_out_3_qa.jsonl": TESTSETS / "corpora" / "held_out_3",
    "held_out_4_qa.jsonl": TESTSETS / "corpora" / "held_out_4",
    "held_out_5_qa.jsonl": TESTSETS / "corpora" / "held_out_5",
    "news_dev_qa.jsonl": TESTSETS / "corpora" / "news_dev",
    "dated_qa.jsonl": TESTSETS / "corpora" / "dated",
}


def test_every_test_set_has_a_corpus():
    assert sorted(p.name for p in TESTSETS.glob("*.jsonl")) == sorted(EVALUATIONS)


@pytest.mark.parametrize(("testset", "corpus_dir"), EVALUATIONS.items(), ids=list(EVALUATIONS))
def test_corpus_loads_cleanly_and_holds_what_the_questions_name(testset: str, corpus_dir: Path):
    assert REPO_ROOT / "tests" not in corpus_dir.parents  # not a loader fixture
    corpus = load_corpus(corpus_dir)
    assert corpus.problems == []
    articles = {a.id: a for a in corpus.articles}
    records = load_testset(TESTSETS / testset)
    assert records
    for record in records:
        assert set(record.articles) <= set(articles), record.id
        if record.answers:
            text = "\n".join(f"{articles[a].title}\n{articles[a].body}" for a in record.articles)
            assert contains_answer(text, record.answers), record.id


def test_held_out_1_has_the_five_articles_of_the_unseen_set():
    corpus = load_corpus(TESTSETS / "corpora" / "held_out_1")
    assert {a.id for a in corpus.articles} == {
        "hoa_binh_nfd", "jsonl_dien_bien_le_hoi_hoa_ban", "khanh_hoa_cruise", "lam_dong_chungbuk",
        "ninh_binh_no_header",
    }
