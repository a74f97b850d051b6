"""Made-up articles for tests that need many distinct passages: one short story per inspection
team, every sentence distinct (no seed, held-out or benchmark text)."""
from __future__ import annotations

import json
from pathlib import Path

PLACES = ["xã Tân Hòa", "phường Bình Minh", "huyện Sông Lam", "thị trấn Hồng Phúc", "xã An Khê", "xã Phú Lộc"]
WORKS = ["trường học", "cây cầu", "trạm y tế", "con đường", "nhà văn hóa", "kênh thủy lợi"]


def inspection_articles(n: int, sentences: int) -> list[dict[str, str]]:
    """`n` articles of `sentences` sentences each, as JSON Lines records (id, title, body)."""
    articles = []
    for i in range(n):
        place = PLACES[i % len(PLACES)]
        body = [
            f"Ngày {1 + (i + k) % 28} tháng {1 + k % 12}, đoàn kiểm tra số {i} đến {place} xem {WORKS[k % len(WORKS)]} "
            f"thứ {k + 1}, nơi có {12 * i + 5 * k + 3} người đang làm việc."
            for k in range(sentences)
        ]
        articles.append({"id": f"doan-{i}", "title": f"Đoàn kiểm tra số {i} về {place}", "body": " ".join(body)})
    return articles


def inspection_corpus(folder: Path, n: int, sentences: int) -> Path:
    """A corpus folder holding `inspection_articles(n, sentences)` as one JSON Lines file."""
    folder.mkdir()
    lines = (json.dumps(a, ensure_ascii=False) for a in inspection_articles(n, sentences))
    (folder / "tin.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder
