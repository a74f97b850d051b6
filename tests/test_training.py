"""The training data's reading and split (training/data.py), on a made-up SQuAD file: every question
keeps its document's title, the split is by that title, and articles are named as `qa eval --squad`
names them. Fast: nothing is indexed."""
from __future__ import annotations

import json
import zlib

from training.data import held_out, squad_benchmark

SQUAD = {
    "data": [
        {"title": "Cầu Mới", "paragraphs": [
            {"context": "Cầu dài 800 m.", "qas": [
                {"id": "q1", "question": "Cầu dài bao nhiêu?", "answers": [{"text": "800 m", "answer_start": 8}]},
                {"id": "q2", "question": "Cầu tên gì?", "answers": [], "is_impossible": True},
            ]},
        ]},
        {"title": "Lễ Hội", "paragraphs": [
            {"context": "Lễ hội kéo dài ba ngày.", "qas": [
                {"id": "q3", "question": "Lễ hội kéo dài mấy ngày?",
                 "answers": [{"text": "ba ngày", "answer_start": 14}]},
            ]},
        ]},
    ]
}


def test_questions_keep_their_document_title_and_the_split_follows_it(tmp_path):
    path = tmp_path / "dev.json"
    path.write_text(json.dumps(SQUAD, ensure_ascii=False), encoding="utf-8")

    benchmark = squad_benchmark("made-up", path)

    assert [a.id for a in benchmark.articles] == ["cau-moi-0", "le-hoi-0"]
    by_id = {q.id: q for q in benchmark.questions}
    assert by_id["q1"].split_key == by_id["q2"].split_key == "Cầu Mới"
    assert by_id["q1"].gold_titles == ("Cầu Mới",) and by_id["q2"].gold_titles == ()  # q2 answers nothing
    assert by_id["q3"].held_out == held_out("Lễ Hội") == (zlib.crc32("Lễ Hội".encode()) % 2 == 1)
    assert by_id["q1"].held_out == by_id["q2"].held_out  # one article, one side of the split
