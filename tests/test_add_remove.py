"""`qa add` and `qa remove` in-process on conftest's fake encoder, over a copy of the seed pages plus
a made-up multi-record `.jsonl` file: what is added is retrievable and only its texts are embedded;
a bad file is refused with its reason; a removed article (a page, one record of a `.jsonl`) is gone
and the others stay; an unknown id or a missing confirmation changes nothing."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import FAKE_ENCODER_NAME, SEEDS, fake_settings_for

from qa.api import Pipeline
from qa.cli import main
from qa.corpus import ProblemKind, files_fingerprint, load_corpus
from qa.manage import add_files, check_files

# Made-up articles (no real events).
NEWS = [
    {
        "id": "tin-lua-gao",
        "title": "Hợp tác xã Lạc Xanh thu hoạch vụ lúa sớm",
        "published": "2024-03-12T08:00:00+07:00",
        "url": "https://vi.example.org/lac-xanh-lua-som",
        "body": "Hợp tác xã Lạc Xanh ở xã Đông Mộc đã thu hoạch xong 120 héc-ta lúa vụ sớm.\n\n"
        "Theo ban quản lý Lạc Xanh, năng suất đạt 6,8 tấn mỗi héc-ta, cao hơn năm trước.",
    },
    {
        "id": "tin-cau-tre",
        "title": "Làng Vân Khê khánh thành cầu tre mới",
        "published": "2023-11-02T09:30:00+07:00",
        "url": None,
        "body": "Người dân làng Vân Khê góp công dựng chiếc cầu tre dài 48 mét qua kênh Bến Sậy.\n\n"
        "Cầu tre Vân Khê giúp học sinh đi học không phải lội nước vào mùa mưa.",
    },
    {
        "id": "tin-thu-vien",
        "title": "Thư viện lưu động Hoa Sen về vùng cao",
        "published": "2024-06-20T07:00:00+07:00",
        "url": "https://vi.example.org/thu-vien-hoa-sen",
        "body": "Chiếc xe thư viện lưu động Hoa Sen mang 3.000 cuốn sách lên các bản vùng cao Tà Xùa.\n\n"
        "Thư viện Hoa Sen dự kiến ghé mười hai điểm trường trong mùa hè.",
    },
]
NEW = {
    "id": "tin-chim-hac",
    "title": "Đàn chim hạc Mây Trắng trở về đầm Nghi Lạc",
    "published": "2025-01-15T06:00:00+07:00",
    "url": "https://vi.example.org/chim-hac-may-trang",
    "body": "Hơn bốn trăm con chim hạc Mây Trắng đã trở về đầm Nghi Lạc sau hai năm vắng bóng.\n\n"
    "Ban quản lý đầm Nghi Lạc cho biết chim hạc Mây Trắng làm tổ trên các bãi lau sậy.",
}
PAGE = (  # a scraped page in the seeds' .txt format: title, then the body
    "Phố đi bộ Hồ Ngọc Lam mở cửa mỗi tối cuối tuần\n"
    "Phố đi bộ quanh hồ Ngọc Lam sẽ mở cửa từ 19 giờ đến 23 giờ các tối thứ bảy và chủ nhật.\n"
    "Ủy ban phường Ngọc Lam cho biết phố đi bộ có thêm 40 gian hàng thủ công.\n"
)


def jsonl(*records: dict) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS, folder)
    (folder / "ban_tin.jsonl").write_text(jsonl(*NEWS), encoding="utf-8")
    return folder


@pytest.fixture
def flags(qa_environment, corpus, tmp_path, capsys) -> list[str]:
    """The flags of a corpus copy whose index is built."""
    argv = ["--index-dir", str(tmp_path / "index"), "--corpus", str(corpus), "--model", FAKE_ENCODER_NAME]
    assert main(["build", *argv]) == 0
    capsys.readouterr()
    return argv


def article_ids(corpus: Path) -> set[str]:
    return {a.id for a in load_corpus(corpus).articles}


def retrieved_ids(corpus: Path, tmp_path: Path, fake_encoder, question: str) -> list[str]:
    pipeline = Pipeline(fake_settings_for(tmp_path / "index", corpus), encoder=fake_encoder)
    pipeline.prepare()
    return [p.article_id for p in pipeline.retrieve(question, 3)]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_add_embeds_only_the_new_article(flags, corpus, tmp_path, fake_encoder, capsys):
    before = set(fake_encoder.passages)
    seen = len(fake_encoder.passages)
    new_file = tmp_path / "chim_hac.jsonl"
    new_file.write_text(jsonl(NEW), encoding="utf-8")

    assert main(["add", str(new_file), *flags]) == 0

    out = capsys.readouterr().out
    assert "added chim_hac.jsonl: 1 article(s)" in out
    assert "tin-chim-hac  Đàn chim hạc Mây Trắng trở về đầm Nghi Lạc  (2025-01-15, https://vi.example.org/" in out
    embedded = fake_encoder.passages[seen:]
    assert embedded and f"embedded {len(embedded)} new texts" in out
    assert not set(embedded) & before  # nothing embedded before is embedded again
    assert all("Nghi Lạc" in text or "Mây Trắng" in text for text in embedded), embedded
    assert (corpus / "chim_hac.jsonl").read_bytes() == new_file.read_bytes()
    assert "tin-chim-hac" in article_ids(corpus)
    ids = retrieved_ids(corpus, tmp_path, fake_encoder, "Chim hạc Mây Trắng về đầm Nghi Lạc bao nhiêu con?")
    assert ids[0] == "tin-chim-hac"


def test_add_a_page_takes_its_file_name_as_id(flags, corpus, tmp_path, fake_encoder, capsys):
    page = tmp_path / "pho_di_bo.txt"
    page.write_text(PAGE, encoding="utf-8")

    assert main(["add", str(page), *flags]) == 0

    out = capsys.readouterr().out
    assert "pho_di_bo  Phố đi bộ Hồ Ngọc Lam mở cửa mỗi tối cuối tuần  (no date, no url," in out
    ids = retrieved_ids(corpus, tmp_path, fake_encoder, "Phố đi bộ hồ Ngọc Lam mở cửa mấy giờ?")
    assert ids[0] == "pho_di_bo"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("trong.jsonl", "\n", "no article could be read from it (empty)"),
        ("hong.jsonl", '{"id": "x", "title": "Tiêu đề"}\nnot json\n', "no article could be read from it"),
        ("bai.pdf", "%PDF-1.4", "unsupported file type '.pdf'"),
        ("nhi_phan.txt", "Tiêu đề\x00\n", "no article could be read from it"),
        ("ban_tin.jsonl", jsonl(NEW), "the corpus already has a file named ban_tin.jsonl; --replace"),
        ("trung.jsonl", jsonl(NEWS[0]), "no article could be read from it"),
    ],
)
def test_a_bad_file_is_refused_with_its_reason(flags, corpus, tmp_path, capsys, name, content, reason):
    before = snapshot(corpus)
    bad = tmp_path / name
    bad.write_text(content, encoding="utf-8")

    assert main(["add", str(bad), *flags]) == 1

    captured = capsys.readouterr()
    assert f"refused {bad}: {reason}" in captured.err
    assert "error: nothing added" in captured.err and "Traceback" not in captured.err
    assert snapshot(corpus) == before


def test_each_refusal_and_skipped_record_has_its_kind(corpus, tmp_path):
    """The kind is what the chat says in Vietnamese (`LoadProblem.vi`): each check gives the right one."""
    given = tmp_path / "given"
    given.mkdir()
    files = {
        ".an.txt": PAGE, "bai.pdf": "%PDF-1.4", "ban_tin.jsonl": jsonl(NEW), "lon.txt": "Tiêu đề\n" + "chữ " * 2000,
        "nhi_phan.txt": "Tiêu đề\x00\n", "trong.txt": "",
        "tron.jsonl": jsonl(NEW) + "not json\n" + "\n".join(json.dumps(r, ensure_ascii=False) for r in [
            ["a list"], {"id": "thieu", "title": "Không có thân bài"}, {**NEW, "id": "so", "author": 7},
            {**NEW, "id": "lien-ket", "url": "javascript:alert(1)"}, {**NEW, "id": "ngay", "published": "hôm qua"},
            NEWS[1],
        ]) + "\n",
    }
    for name, content in files.items():
        (given / name).write_text(content, encoding="utf-8")
    (given / "latin1.txt").write_bytes("Tiêu đề\nNội dung.\n".encode("cp1258", errors="replace") + b"\xff")
    (given / "thu_muc.txt").mkdir()
    again = tmp_path / "again"
    again.mkdir()
    (again / "trong.txt").write_text(PAGE, encoding="utf-8")
    paths = [given / name for name in [*files, "latin1.txt", "thu_muc.txt", "khong_co.txt"]]
    paths += [again / "trong.txt", corpus / "ban_tin.jsonl"]
    settings = fake_settings_for(tmp_path / "index", corpus, max_file_bytes=5000)

    checks = {f"{c.path.parent.name}/{c.name}": c for c in check_files(settings, paths)}

    refusals = {name: c.refusal.kind if c.refusal else None for name, c in checks.items()}
    assert refusals == {
        "given/.an.txt": ProblemKind.HIDDEN_FILE, "given/bai.pdf": ProblemKind.UNSUPPORTED_TYPE,
        "given/ban_tin.jsonl": ProblemKind.NAME_TAKEN, "given/lon.txt": ProblemKind.TOO_BIG,
        "given/nhi_phan.txt": ProblemKind.NO_ARTICLE, "given/trong.txt": ProblemKind.NO_ARTICLE,
        "given/tron.jsonl": None, "given/latin1.txt": ProblemKind.NO_ARTICLE,
        "given/thu_muc.txt": ProblemKind.NOT_A_FILE, "given/khong_co.txt": ProblemKind.NO_SUCH_FILE,
        "again/trong.txt": ProblemKind.GIVEN_TWICE, "corpus/ban_tin.jsonl": ProblemKind.OWN_FILE,
    }
    assert [p.kind for p in checks["given/nhi_phan.txt"].problems] == [ProblemKind.BINARY]
    assert [p.kind for p in checks["given/trong.txt"].problems] == [ProblemKind.EMPTY]
    assert [p.kind for p in checks["given/latin1.txt"].problems] == [ProblemKind.NOT_UTF8]
    assert [(p.line, p.kind) for p in checks["given/tron.jsonl"].problems] == [
        (2, ProblemKind.INVALID_JSON), (3, ProblemKind.NOT_AN_OBJECT), (4, ProblemKind.MISSING_FIELDS),
        (5, ProblemKind.BAD_FIELD), (6, ProblemKind.BAD_URL), (7, ProblemKind.BAD_DATE),
        (None, ProblemKind.DUPLICATE_ID),  # against the corpus, after reading: no line
    ]


def test_record_problems_are_reported_and_the_rest_added(flags, corpus, tmp_path, capsys):
    mixed = tmp_path / "tron.jsonl"
    mixed.write_text(jsonl(NEW, {"id": "thieu", "title": "Không có thân bài"}, NEWS[1]), encoding="utf-8")
    big = tmp_path / "lon.txt"
    big.write_text("Tiêu đề\n" + "chữ " * 2000, encoding="utf-8")

    assert main(["add", str(mixed), str(big), *flags, "--max-file-bytes", "5000"]) == 1  # one refused

    captured = capsys.readouterr()
    assert "added tron.jsonl: 1 article(s)" in captured.out
    assert "line 2: missing or empty 'body'" in captured.err
    assert "duplicate article id 'tin-cau-tre', already in ban_tin.jsonl" in captured.err
    assert f"refused {big}: " in captured.err and "QA_MAX_FILE_BYTES" in captured.err
    assert "tin-chim-hac" in article_ids(corpus) and not (corpus / "lon.txt").exists()


def test_replace_overwrites_and_gives_up_the_replaced_ids(flags, corpus, tmp_path, capsys):
    new_version = tmp_path / "ban_tin.jsonl"
    new_version.write_text(jsonl(NEWS[0], NEW), encoding="utf-8")

    assert main(["add", str(new_version), "--replace", *flags]) == 0

    assert "replaced ban_tin.jsonl: 2 article(s)" in capsys.readouterr().out
    ids = article_ids(corpus)
    assert {"tin-lua-gao", "tin-chim-hac"} <= ids and "tin-cau-tre" not in ids


def test_remove_a_page(flags, corpus, tmp_path, fake_encoder, capsys):
    page = next(p for p in sorted(corpus.glob("*.txt")))
    others = article_ids(corpus) - {page.stem}
    content = page.read_bytes()

    assert main(["remove", page.stem, "--yes", *flags]) == 0

    out = capsys.readouterr().out
    assert f"[file {page.name}]" in out and "removed 1 article(s)" in out
    assert not page.exists() and article_ids(corpus) == others
    saved = list((tmp_path / "index").glob(f"*/removed/*/{page.name}"))
    assert len(saved) == 1 and saved[0].read_bytes() == content  # kept, to be added back
    assert main(["articles", *flags]) == 0
    assert page.stem not in capsys.readouterr().out
    pipeline = Pipeline(fake_settings_for(tmp_path / "index", corpus), encoder=fake_encoder)
    pipeline.prepare()
    assert page.stem not in pipeline.index.article_by_id and set(pipeline.index.article_by_id) == others


def test_remove_one_record_of_a_jsonl_file(flags, corpus, tmp_path, fake_encoder, capsys):
    seen = len(fake_encoder.passages)

    assert main(["remove", "tin-cau-tre", "--yes", *flags]) == 0

    out = capsys.readouterr().out
    assert "[a record of ban_tin.jsonl]" in out and "embedded 0 new texts" in out
    assert len(fake_encoder.passages) == seen  # what stays was embedded already
    lines = (corpus / "ban_tin.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["tin-lua-gao", "tin-thu-vien"]
    ids = retrieved_ids(corpus, tmp_path, fake_encoder, "Cầu tre làng Vân Khê dài bao nhiêu mét?")
    assert "tin-cau-tre" not in ids
    (saved,) = (tmp_path / "index").glob("*/removed/*/ban_tin.jsonl")
    assert json.loads(saved.read_text(encoding="utf-8"))["id"] == "tin-cau-tre"


def test_removing_every_record_removes_the_file(flags, corpus, capsys):
    assert main(["remove", "tin-cau-tre", "tin-lua-gao", "tin-thu-vien", "--yes", *flags]) == 0
    assert not (corpus / "ban_tin.jsonl").exists()


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["remove", "tin-cau-tre", "khong-co-bai-nay"], "error: no article with id 'khong-co-bai-nay'"),
        (["remove", "tin-cau-tre"], "error: not confirmed: stdin is not a terminal; pass --yes"),
    ],
)
def test_remove_refused_changes_nothing(flags, corpus, capsys, monkeypatch, argv, expected):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False, raising=False)
    before = snapshot(corpus)

    assert main([*argv, *flags]) == 1

    captured = capsys.readouterr()
    assert captured.err.startswith(expected) and captured.err.count("\n") == 1
    assert snapshot(corpus) == before


def test_two_adds_at_once_keep_both_files(flags, corpus, tmp_path, fake_encoder):
    """The copies are atomic and take turns; a name taken meanwhile is refused, not overwritten."""
    import threading

    settings = fake_settings_for(tmp_path / "index", corpus)
    files = []
    for n in range(4):
        path = tmp_path / f"song_song_{n}.jsonl"
        path.write_text(jsonl({**NEW, "id": f"tin-song-song-{n}"}), encoding="utf-8")
        files.append(path)
    results: list = []
    threads = [threading.Thread(target=lambda p=p: results.extend(add_files(settings, [p]))) for p in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [c.refused for c in results] == [None] * 4
    assert {f"tin-song-song-{n}" for n in range(4)} <= article_ids(corpus)
    assert not [p for p in corpus.iterdir() if p.name.startswith(".")]  # no temporary file left
    before = files_fingerprint(corpus)
    (again,) = add_files(settings, [files[0]])
    assert again.refused is not None and again.refused.startswith("the corpus already has")
    assert files_fingerprint(corpus) == before
