"""`qa eval` end to end, as a user runs it: a subprocess on the real pipeline (real corpus loader,
index, encoder and answerer), checking the figures, the report and its chart, and the exit code."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from qa.settings import REPO_ROOT

pytestmark = pytest.mark.slow

SEEDS = REPO_ROOT / "seeds"
CANTHO = "004_2a6ae27854253012"
NGHEAN = "002_e60b61f85d68355c"

def record(id: str, question: str, answers: list[str], article: str | None, kind: str, **extra) -> dict:
    return {"id": id, "question": question, "answers": answers, "article": article, "kind": kind, **extra}


SMALL_SET = [
    record("f1", "Cần Thơ ký Bản ghi nhớ với tỉnh Savannakhet năm nào?", ["2009"], CANTHO, "factoid"),
    record("f2", "Nghệ An và Vientiane ký thỏa thuận hợp tác giai đoạn nào?", ["2025–2028", "2025 - 2028"], NGHEAN,
           "factoid"),
    record("u1", "tong lanh su lao tai tp ho chi minh ten la gi", ["Phimpha Keomixay"], CANTHO, "unaccented"),
    record("n1", "Dân số của thủ đô Vientiane là bao nhiêu người?", [], None, "unanswerable"),
    record("b1", "Tỉnh Sơn La và Xay Sổm Bun ký thỏa thuận hợp tác giai đoạn nào?", [], None, "boilerplate-trap"),
    record("h1", "Còn với Champasak thì sao?", ["2011"], CANTHO, "follow-up",
           history=["Cần Thơ ký Bản ghi nhớ với tỉnh Savannakhet năm nào?"]),
]


def squad_question(id: str, question: str, answer: str, start: int) -> dict:
    return {"id": id, "question": question, "answers": [{"text": answer, "answer_start": start}]}


TINY_SQUAD = {
    "version": "1.1",
    "data": [
        {"title": "Sông Mê Kông", "paragraphs": [
            {"context": "Sông Mê Kông dài khoảng 4.350 km, chảy qua sáu quốc gia trước khi đổ ra Biển Đông.",
             "qas": [squad_question("m1", "Sông Mê Kông dài bao nhiêu km?", "4.350 km", 23),
                     squad_question("m2", "Sông Mê Kông chảy qua bao nhiêu quốc gia?", "sáu", 42)]},
            {"context": "Cánh đồng Chum nằm ở tỉnh Xiengkhuang, Lào, và được UNESCO công nhận là di sản thế giới "
                        "năm 2019.",
             "qas": [squad_question("m3", "Cánh đồng Chum được UNESCO công nhận năm nào?", "2019", 92)]},
        ]},
        {"title": "Cà phê", "paragraphs": [
            {"context": "Cao nguyên Bolaven ở miền nam Lào nổi tiếng với cà phê, được người Pháp đưa vào trồng từ "
                        "đầu thế kỷ 20.",
             "qas": [squad_question("c1", "Cao nguyên nào ở Lào nổi tiếng với cà phê?", "Bolaven", 11)]},
        ]},
    ],
}

FIGURES = ("hit_at_1", "hit_at_5", "mrr_at_10", "containment", "citation_accuracy", "latency_p50_ms", "latency_p95_ms")


def run_qa(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qa", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=1200
    )


def test_eval_on_a_small_test_set_over_the_seeds(tmp_path: Path):
    testset = tmp_path / "small.jsonl"
    testset.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in SMALL_SET), encoding="utf-8")
    out, report = tmp_path / "out.json", tmp_path / "r.md"

    done = run_qa("eval", "--testset", str(testset), "--corpus", str(SEEDS), "--index-dir", str(tmp_path / "index"),
                  "--json", str(out), "--report", str(report))

    assert done.returncode == 0, done.stderr
    assert "hit@1" in done.stdout and "follow-up" in done.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["overall"]["questions"] == 6 and data["overall"]["answerable"] == 4
    for name in FIGURES:
        assert isinstance(data["overall"][name], float), name
    assert data["overall"]["abstention_recall"] is not None
    assert set(data["per_kind"]) == {"all", "factoid", "unaccented", "unanswerable", "boilerplate-trap", "follow-up"}
    assert [q["id"] for q in data["questions"]] == [r["id"] for r in SMALL_SET]
    assert data["meta"]["corpus_dir"] == str(SEEDS)
    assert report.exists() and report.with_suffix(".png").stat().st_size > 0
    assert "## Failures" in report.read_text(encoding="utf-8")


def test_eval_on_a_squad_file(tmp_path: Path):
    squad = tmp_path / "tiny.json"
    squad.write_text(json.dumps(TINY_SQUAD, ensure_ascii=False), encoding="utf-8")
    index_dir = tmp_path / "index"
    out = tmp_path / "squad.json"

    done = run_qa("eval", "--squad", str(squad), "--index-dir", str(index_dir), "--json", str(out))

    assert done.returncode == 0, done.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["overall"]["questions"] == 4 and set(data["per_kind"]) == {"all", "squad"}
    assert data["questions"][2]["article"] == "song-me-kong-1"
    for name in FIGURES:
        assert isinstance(data["overall"][name], float), name
    corpora = list((index_dir / "corpora").glob("squad-*/articles.jsonl"))
    assert len(corpora) == 1 and len(corpora[0].read_text(encoding="utf-8").splitlines()) == 3
    assert data["meta"]["corpus_dir"] == str(corpora[0].parent)


def test_eval_with_the_fact_removed_adds_a_row_of_copies_read_without_their_answer(tmp_path: Path):
    squad = tmp_path / "tiny.json"
    squad.write_text(json.dumps(TINY_SQUAD, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "squad.json"

    done = run_qa("eval", "--squad", str(squad), "--index-dir", str(tmp_path / "index"), "--json", str(out),
                  "--fact-missing")

    assert done.returncode == 0, done.stderr
    assert "fact removed" in done.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["overall"]["questions"] == 4  # the copies are a row of their own, not part of "all"
    removed = data["per_kind"]["fact removed"]
    assert removed["questions"] == 4 and removed["answerable"] == 0
    copies = [q for q in data["questions"] if q["kind"] == "fact removed"]
    golds = {q["question"]: q["answers"] for q in data["questions"] if q["kind"] == "squad"}
    assert len(copies) == 4 and all(q["answers"] == [] for q in copies)
    for q in copies:  # whatever is said, the answer's sentence was not read
        assert not any(gold in q["answer_text"] for gold in golds[q["question"]]), q
    assert removed["abstention_recall"] == sum(q["abstained"] for q in copies) / 4
    # the trade-off of the threshold, read off each question's P(answerable), agrees with the verdicts
    curve, threshold = data["threshold_curve"], data["meta"]["abstain_threshold"]
    assert set(curve) == {"threshold", "answered & holds", "fact removed: declined"}
    for t, share in zip(curve["threshold"], curve["fact removed: declined"], strict=True):
        assert share == sum(q["probability"] is None or q["probability"] < t for q in copies) / 4
    assert all(q["abstained"] == (q["probability"] is None or q["probability"] < threshold) for q in data["questions"])
    assert "the decline threshold's trade-off" in done.stdout
