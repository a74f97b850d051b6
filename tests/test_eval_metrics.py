"""Unit tests of the evaluation metrics, the test-set loader and the aggregation, on hand-made cases."""
from __future__ import annotations

import json
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from qa.evaluation import metrics
from qa.evaluation.fact_missing import KIND as FACT_REMOVED
from qa.evaluation.runner import QuestionResult
from qa.evaluation.squad import parse_squad, slugify, write_corpus
from qa.evaluation.summary import summarize, summarize_by_kind, threshold_curve
from qa.evaluation.testset import InvalidTestset, QARecord, load_testset, parse_record
from qa.settings import REPO_ROOT

SEED_SET = REPO_ROOT / "testsets" / "seed_qa.jsonl"


# --- answer normalisation and containment ----------------------------------------------------------

def test_old_and_new_tone_placement_match():
    assert metrics.normalize_answer("Tỉnh uỷ") == metrics.normalize_answer("Tỉnh ủy")
    assert metrics.contains_answer("Bí thư Tỉnh uỷ Nghệ An Nguyễn Đức Trung", ["Tỉnh ủy Nghệ An"])
    assert metrics.contains_answer("quan hệ hoà bình", ["hòa bình"])


def test_composed_and_decomposed_match():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Mạnh Cường")
    assert decomposed != "Nguyễn Mạnh Cường"
    assert metrics.contains_answer(f"Bí thư là ông {decomposed}.", ["Nguyễn Mạnh Cường"])
    assert metrics.exact_match(decomposed, ["Nguyễn Mạnh Cường"])


def test_case_punctuation_and_spacing_are_ignored():
    for variant in ("2025–2028", "2025 - 2028", "2025-2028", "2025  —  2028"):
        assert metrics.contains_answer(f"giai đoạn {variant}.", ["2025-2028"]), variant
    assert metrics.contains_answer("NGUYỄN VĂN NÊN dẫn đầu", ["Nguyễn Văn Nên"])
    assert metrics.normalize_answer("  “Gia đình Việt với sinh viên Lào”  ") == "gia đình việt với sinh viên lào"


def test_diacritics_are_significant():
    # Folding would make "lao" (as in "lao động") match "Lào": the rule keeps them apart.
    assert not metrics.contains_answer("hợp tác lao động", ["Lào"])
    assert not metrics.contains_answer("can tho ky ban ghi nho", ["Cần Thơ"])


def test_containment_is_whole_word():
    assert not metrics.contains_answer("năm 20112", ["2011"])
    assert not metrics.contains_answer("Savannakhetx", ["Savannakhet"])
    assert metrics.contains_answer("Năm 2011, Cần Thơ ký", ["2011"])


def test_containment_any_gold_and_empty_inputs():
    assert metrics.contains_answer("ký năm 2009", ["2011", "2009"])
    assert not metrics.contains_answer("ký năm 2009", [])
    assert not metrics.contains_answer("", ["2009"])
    assert not metrics.contains_answer("bất kỳ", ["  ", "—"])  # golds that normalise to nothing never match


# --- exact match and token F1 ----------------------------------------------------------------------

def test_exact_match():
    assert metrics.exact_match("2022 - 2026", ["2022-2026"])
    assert metrics.exact_match("phimpha keomixay", ["Phimpha Keomixay"])
    assert not metrics.exact_match("năm 2011", ["2011"])
    assert not metrics.exact_match("2011", [])


def test_token_f1():
    assert metrics.token_f1("Nguyễn Văn Nên", ["Nguyễn Văn Nên"]) == 1.0
    # "ông Nguyễn Văn Nên": precision 3/4, recall 3/3 -> F1 = 6/7
    assert metrics.token_f1("ông Nguyễn Văn Nên", ["Nguyễn Văn Nên"]) == pytest.approx(6 / 7)
    assert metrics.token_f1("Hà Vy", ["Nguyễn Văn Nên"]) == 0.0
    # best over golds, and repeated words count once per occurrence in both
    assert metrics.token_f1("2 suất", ["2 suất học bổng", "2 suất"]) == 1.0
    assert metrics.token_f1("lào lào", ["lào"]) == pytest.approx(2 * 0.5 * 1 / 1.5)
    assert metrics.token_f1("", ["2009"]) == 0.0


def test_short_answer_threshold():
    assert metrics.is_short_answer("Liên minh Nghị sĩ Nhật") is True  # 5 words
    assert metrics.is_short_answer("Chủ tịch Liên minh Nghị sĩ") is False
    assert metrics.is_short_answer("–") is False


# --- retrieval ranks -------------------------------------------------------------------------------

def test_article_ranking_dedupes_passages_in_first_seen_order():
    assert metrics.rank_articles(["b", "a", "b", "c", "a"]) == ["b", "a", "c"]


def test_hit_and_mrr_with_multi_article_gold():
    ranking = ["x", "003", "000", "y"]
    rank = metrics.gold_rank(ranking, ("000", "003", "004"))
    assert rank == 2  # the first of any gold article counts
    assert not metrics.hit_at_k(rank, 1)
    assert metrics.hit_at_k(rank, 3)
    assert metrics.reciprocal_rank(rank, 10) == 0.5


def test_missing_or_late_gold_scores_zero():
    assert metrics.gold_rank(["x", "y"], ("z",)) is None
    assert not metrics.hit_at_k(None, 5)
    assert metrics.reciprocal_rank(None) == 0.0
    assert metrics.reciprocal_rank(11, cutoff=10) == 0.0
    assert metrics.reciprocal_rank(10, cutoff=10) == 0.1
    assert metrics.gold_rank(["x"], ()) is None


# --- abstention ------------------------------------------------------------------------------------

def test_abstention_precision_recall():
    outcomes = [(True, True), (True, False), (False, True), (False, False), (True, True)]
    assert metrics.abstention_precision_recall(outcomes) == (pytest.approx(2 / 3), pytest.approx(2 / 3))


def test_abstention_never_abstained_has_no_precision():
    assert metrics.abstention_precision_recall([(True, False), (False, False)]) == (None, 0.0)


def test_abstention_nothing_to_decline_has_no_recall():
    assert metrics.abstention_precision_recall([(False, True), (False, False)]) == (0.0, None)
    assert metrics.abstention_precision_recall([(False, False)]) == (None, None)
    assert metrics.abstention_precision_recall([]) == (None, None)


def test_abstention_always_abstaining():
    assert metrics.abstention_precision_recall([(True, True), (False, True)]) == (0.5, 1.0)


# --- averages --------------------------------------------------------------------------------------

def test_percentile_and_mean():
    assert metrics.percentile([], 50) is None
    assert metrics.percentile([7.0], 95) == 7.0
    assert metrics.percentile([4.0, 1.0, 3.0, 2.0], 50) == 2.5
    assert metrics.percentile(list(range(1, 101)), 95) == pytest.approx(95.05)
    assert metrics.mean([]) is None
    assert metrics.mean([1.0, 0.0, 0.5]) == 0.5


# --- aggregation -----------------------------------------------------------------------------------

def _record(id: str, kind: str, answers: tuple[str, ...], articles: tuple[str, ...]) -> QARecord:
    return QARecord(id=id, question=f"câu hỏi {id}?", answers=answers, articles=articles, kind=kind)


def _result(record: QARecord, text: str, *, abstained=False, cited=(), ranked=(), latency=0.1, short=None):
    return QuestionResult(record, record.question, text, short, abstained, tuple(cited), tuple(ranked), latency)


def test_summary_over_a_hand_made_run():
    right = _result(_record("a", "factoid", ("2009",), ("004",)), "Năm 2009 [1].", cited=["004"],
                    ranked=["004", "000"], latency=0.1, short="2009")
    wrong_cite = _result(_record("b", "factoid", ("2011",), ("004",)), "Năm 2011 [1].", cited=["000"],
                         ranked=["000", "003", "004"], latency=0.3)
    missed = _result(_record("c", "list", ("Xiengkhuang, Houaphanh, Bolikhamsai, Khammouane và Vientiane",), ("002",)),
                     "Xin lỗi.", abstained=True, ranked=["001"], latency=0.2)
    declined = _result(_record("d", "unanswerable", (), ()), "Xin lỗi.", abstained=True, latency=0.5)
    fooled = _result(_record("e", "boilerplate-trap", (), ()), "Giai đoạn 2022 – 2024 [1].", cited=["003"], latency=0.4)
    results = [right, wrong_cite, missed, declined, fooled]

    overall = summarize(results)
    assert (overall.questions, overall.answerable) == (5, 3)
    assert overall.hit_at_1 == pytest.approx(1 / 3)
    assert overall.hit_at_3 == pytest.approx(2 / 3)
    assert overall.mrr_at_10 == pytest.approx((1 + 1 / 3 + 0) / 3)
    assert overall.containment == pytest.approx(2 / 3)
    # EM/F1 only where golds are short: "a" (short answer given) and "b" (falls back to the text)
    assert overall.exact_match == 0.5
    assert overall.f1 == pytest.approx((1.0 + 0.5) / 2)  # "năm 2011 1" vs "2011": P 1/3, R 1
    # citations only judged where the system answered and a gold article exists
    assert overall.citation_accuracy == 0.5
    assert (overall.abstention_precision, overall.abstention_recall) == (0.5, 0.5)
    assert overall.answered_rate == pytest.approx(2 / 3)
    assert overall.correct == pytest.approx(3 / 5)
    assert overall.latency_p50_ms == pytest.approx(300)
    assert overall.median_answer_chars == len("Năm 2011 [1].")

    by_kind = summarize_by_kind(results)
    assert list(by_kind) == ["all", "factoid", "list", "unanswerable", "boilerplate-trap"]
    assert by_kind["unanswerable"].hit_at_1 is None
    assert by_kind["factoid"].abstention_precision is None


def _scored(record: QARecord, probability: float | None, holds: bool | None = None) -> QuestionResult:
    return QuestionResult(record, record.question, "…", None, False, (), (), 0.1, probability, holds)


def test_threshold_curve_reads_every_verdict_off_the_probabilities():
    results = [
        _scored(_record("a", "factoid", ("2009",), ("004",)), 0.70, True),
        _scored(_record("b", "factoid", ("2011",), ("004",)), 0.50, True),
        _scored(_record("c", "factoid", ("2012",), ("004",)), 0.90, False),  # confident, wrong
        _scored(_record("d", "unanswerable", (), ()), 0.40),
        _scored(_record("e", "unanswerable", (), ()), None),  # nothing read: declined at any threshold
        _scored(QARecord("a:fact-missing", "?", (), ("004",), FACT_REMOVED, leave_out=("2009",)), 0.60),
    ]

    curve = threshold_curve(results, [0.3, 0.45, 0.55, 0.8])

    assert curve["threshold"] == [0.3, 0.45, 0.55, 0.8]
    assert curve["answered & holds"] == pytest.approx([2 / 3, 2 / 3, 1 / 3, 0.0])
    assert curve["declined"] == pytest.approx([0.5, 1.0, 1.0, 1.0])
    assert curve["fact removed: declined"] == pytest.approx([0.0, 0.0, 0.0, 1.0])
    only_answerable = threshold_curve(results[:3], [0.5])
    assert list(only_answerable) == ["threshold", "answered & holds"]


def test_a_question_the_product_refuses_is_recorded_as_refused_and_the_run_goes_on(fake_pipeline):
    """An overlong question in a test set (a machine-translated one, say) gets what the chat shows,
    the refusal in Vietnamese, counted as not answered; the other questions are still asked."""
    from qa import messages
    from qa.evaluation.runner import run_testset

    overlong = QARecord("long", "Giải đua thuyền năm nay có bao nhiêu đội? " * 30, ("12",), ("x",), "factoid")
    asked = QARecord("ok", "Giải đua thuyền năm nay có bao nhiêu đội?", ("12",), ("x",), "factoid")

    refused, answered = run_testset(fake_pipeline, [overlong, asked], k=5)

    assert refused.abstained and refused.answer_text.startswith(messages.QUESTION_TOO_LONG.split("(")[0])
    assert refused.contained is False and refused.probability is None and refused.ranked_articles == ()
    assert answered.record.id == "ok" and answered.ranked_articles and answered.searched


# --- test-set format -------------------------------------------------------------------------------

def test_parse_record_with_history_and_multi_article_gold():
    record = parse_record({
        "id": "h1", "question": " Còn với Champasak thì sao? ", "answers": ["2011"],
        "article": "003|004", "kind": "follow-up", "history": ["Cần Thơ ký với Savannakhet năm nào?"],
    })
    assert record.articles == ("003", "004")
    assert record.history == ("Cần Thơ ký với Savannakhet năm nào?",)
    assert record.question == "Còn với Champasak thì sao?"
    assert not record.should_abstain
    assert parse_record(record.to_dict()) == record


@pytest.mark.parametrize(
    "line, message",
    [
        ('{"id": "x", "question": "q", "answers": [], "kind": "k"}', "missing field(s): article"),
        ('{"id": "x", "question": "q", "answers": "2009", "article": "a", "kind": "k"}', "'answers' must be a list"),
        ('{"id": "x", "question": "q", "answers": ["2009"], "article": null, "kind": "k"}', "needs its gold 'article'"),
        ('{"id": "x", "question": "q", "answers": [], "article": "a", "kind": "k"}', "must have 'article': null"),
        ('{"id": "x", "question": "", "answers": [], "article": null, "kind": "k"}', "'question' must be"),
        (
            '{"id": "x", "question": "q", "answers": [], "article": null, "kind": "k", "histry": []}',
            "unknown field(s): histry",
        ),
        ('{"id": "x", "question": "q", "answers": ["a"], "article": "a||b", "kind": "k"}', "empty id"),
        ('{"id": "x", "question": "q", "answers": [], "article": null, "kind": "k"', "not valid JSON"),
        ('["x"]', "expected a JSON object"),
    ],
)
def test_loader_reports_file_line_and_problem(tmp_path: Path, line: str, message: str):
    good = '{"id": "ok", "question": "q", "answers": [], "article": null, "kind": "k"}'
    path = tmp_path / "set.jsonl"
    path.write_text(f"{good}\n\n{line}\n", encoding="utf-8")
    with pytest.raises(InvalidTestset) as error:
        load_testset(path)
    assert f"{path}:3: " in str(error.value)
    assert message in str(error.value)


def test_loader_rejects_duplicate_ids_and_empty_files(tmp_path: Path):
    path = tmp_path / "set.jsonl"
    line = '{"id": "a", "question": "q", "answers": [], "article": null, "kind": "k"}'
    path.write_text(f"{line}\n{line}\n", encoding="utf-8")
    with pytest.raises(InvalidTestset, match=r"set.jsonl:2: duplicate id 'a' \(first on line 1\)"):
        load_testset(path)
    path.write_text("\n", encoding="utf-8")
    with pytest.raises(InvalidTestset, match="no questions"):
        load_testset(path)


def test_seed_set_covers_every_kind():
    records = load_testset(SEED_SET)
    kinds = Counter(r.kind for r in records)
    assert len(records) >= 60
    assert kinds["unanswerable"] >= 10 and kinds["boilerplate-trap"] >= 8 and kinds["follow-up"] >= 3
    assert {"factoid", "list", "multi-article", "unaccented", "english"} <= set(kinds)
    assert all(r.should_abstain for r in records if r.kind in ("unanswerable", "boilerplate-trap"))
    assert all(r.history for r in records if r.kind == "follow-up")
    seed_ids = {p.stem for p in (REPO_ROOT / "seeds").glob("*.txt")}
    assert {a for r in records for a in r.articles} <= seed_ids
    assert all(len(r.articles) > 1 for r in records if r.kind == "multi-article")


# --- SQuAD conversion ------------------------------------------------------------------------------

SQUAD = {
    "data": [
        {"title": "Đại học Harvard", "paragraphs": [
            {"context": "Harvard được thành lập năm 1636.", "qas": [
                {"id": "q1", "question": "Harvard thành lập năm nào?",
                 "answers": [{"text": "1636", "answer_start": 24}, {"text": "1636", "answer_start": 24}]},
            ]},
            {"context": "Trường có 12 khoa.", "qas": [
                {"id": "q2", "question": "Trường có bao nhiêu khoa?",
                 "answers": [{"text": "12 khoa", "answer_start": 10}]},
                {"question": "Ai là hiệu trưởng?", "answers": []},
            ]},
        ]},
    ]
}


def test_squad_paragraphs_become_articles_and_questions_records():
    benchmark = parse_squad(SQUAD)
    assert [a.id for a in benchmark.articles] == ["dai-hoc-harvard-0", "dai-hoc-harvard-1"]
    assert benchmark.articles[1].title == "Đại học Harvard"
    first, second, third = benchmark.records
    assert (first.id, first.answers, first.articles, first.kind) == ("q1", ("1636",), ("dai-hoc-harvard-0",), "squad")
    assert second.articles == ("dai-hoc-harvard-1",)
    assert third.id == "dai-hoc-harvard-1-q1" and third.should_abstain and third.articles == ()


def test_squad_page_names_are_read_as_titles_in_words():
    """A SQuAD title is a Wikipedia page name: a question names `Kênh Đào Lớn`, not
    `Kênh_Đào_Lớn`, and an article's title is read for the question's names."""
    data = {"data": [{"title": "Kênh_Đào_Lớn", "paragraphs": [{"context": "c", "qas": [{"question": "q"}]}]}]}
    (article,) = parse_squad(data).articles
    assert (article.id, article.title) == ("kenh-dao-lon-0", "Kênh Đào Lớn")


def test_squad_rejects_malformed_files():
    with pytest.raises(InvalidTestset, match="not a SQuAD-format file"):
        parse_squad({"data": [{"title": "x"}]})
    with pytest.raises(InvalidTestset, match="collide"):
        parse_squad({"data": [{"title": "A b", "paragraphs": [{"context": "c", "qas": []}]},
                              {"title": "a-B", "paragraphs": [{"context": "d", "qas": []}]}]})


def test_squad_corpus_folder_is_deterministic(tmp_path: Path):
    articles = parse_squad(SQUAD).articles
    folder = write_corpus(articles, tmp_path)
    assert folder == write_corpus(articles, tmp_path)
    assert folder.parent == tmp_path / "corpora" and folder.name.startswith("squad-")
    lines = (folder / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["dai-hoc-harvard-0", "dai-hoc-harvard-1"]
    assert write_corpus(articles[:1], tmp_path) != folder
    assert slugify("  ") == "untitled"
