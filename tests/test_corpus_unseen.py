"""The corpus loader on inputs it was not written against: made-up pages with other teasers, tails
and bylines, other encodings and Unicode forms, HTML, JSON Lines, broken files and folders, and the
`qa articles` command on top."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import unicodedata
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from qa.corpus import Corpus, LoadProblem, ProblemKind, load_corpus, parse_page
from qa.errors import CorpusError
from qa.types import Article

# A loader fixture, broken files included on purpose; the held-out evaluation set's copy of its
# usable articles is testsets/corpora/held_out_1/ (test_testsets.py).
MIXED = Path(__file__).resolve().parent / "data" / "corpus" / "mixed"
REPO = Path(__file__).resolve().parent.parent
VN = timezone(timedelta(hours=7))


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(MIXED)


def article(corpus: Corpus, article_id: str) -> Article:
    return next(a for a in corpus.articles if a.id == article_id)


def paragraphs(a: Article) -> list[str]:
    return a.body.split("\n\n")


# (a) A page in the seeds' format with other teasers, summaries, tail headings and byline.


def test_page_with_other_teasers_and_tail(corpus: Corpus) -> None:
    page = article(corpus, "lam_dong_chungbuk")
    assert page.title == "Lâm Đồng và tỉnh Chungcheongbuk (Hàn Quốc) hợp tác phát triển nông nghiệp công nghệ cao"
    assert page.published == datetime(2024, 3, 14, 8, 45, tzinfo=VN)
    assert page.category == "Kinh tế Nông nghiệp xanh"
    assert page.author == "Minh Châu - Thanh Tùng"
    assert page.url == "https://baomau.vn/lam-dong-chungcheongbuk-hop-tac-nong-nghiep-cong-nghe-cao-101.html"
    assert [p[:40] for p in paragraphs(page)] == [
        "Ngày 14/3, tại thành phố Đà Lạt, UBND tỉ",  # lead, before the teasers
        "Phát biểu tại lễ ký kết, Chủ tịch UBND t",
        "Chủ tịch UBND tỉnh Lâm Đồng Trần Văn Hiệ",  # caption naming people
        "Theo biên bản ghi nhớ, tỉnh Chungcheongb",
        "Thống đốc Kim Young-hwan đánh giá cao ti",
    ]
    for gone in (
        "Gia Lai",  # teaser without a space between the copies, and its summary
        "Kon Tum",  # teaser with a space
        "Đắk Nông",  # teaser and summary at the end of the body
        "Toàn cảnh lễ ký kết",  # caption that says nothing
        "Minh Châu",
        "Bình Thuận",  # under "Tin cùng chuyên mục"
        "Sóc Trăng",  # under "Xem thêm"
        "[Clip]",
        "Đang tải",
    ):
        assert gone not in page.body


def test_timestamp_in_another_offset_is_kept_in_that_offset() -> None:
    page = (
        "Trang chủ Thế giới\n09:30 | 01/04/2024 GMT+9\nTokyo mở hội hoa anh đào\naa\n"
        "Sáng 1/4, hàng nghìn người dân Tokyo đổ về công viên Ueno ngắm hoa anh đào.\n"
    )
    parsed = parse_page(page, "tokyo")
    assert parsed.published == datetime(2024, 4, 1, 9, 30, tzinfo=timezone(timedelta(hours=9)))
    assert parsed.published.astimezone(VN).hour == 7


def test_parse_page_uses_outside_metadata_only_when_the_page_lacks_it() -> None:
    page = "Huế mở cửa Đại Nội về đêm\nTừ tối 1/5, du khách có thể tham quan Đại Nội Huế đến 22 giờ hằng ngày.\n"
    fallback = datetime(2023, 5, 1, tzinfo=VN)
    parsed = parse_page(page, "hue", url="https://baomau.vn/hue-401.html", published=fallback)
    assert (parsed.title, parsed.url, parsed.published, parsed.category) == (
        "Huế mở cửa Đại Nội về đêm", "https://baomau.vn/hue-401.html", fallback, None
    )


# (b) No breadcrumb, no timestamp, no blank lines, layout-table cells.


def test_page_without_header_or_blank_lines(corpus: Corpus) -> None:
    page = article(corpus, "ninh_binh_no_header")
    assert page.title == "Ninh Bình đón hơn 1 triệu lượt khách trong mùa lễ hội đầu xuân"
    assert page.category is None and page.author is None
    assert page.published == datetime(2024, 2, 26, 7, 0, tzinfo=VN)  # from sources.json
    assert [p[:40] for p in paragraphs(page)] == [
        "Theo Sở Du lịch tỉnh Ninh Bình, từ mùng ",
        # Follows a teaser title but is followed by more text: the article going on, not a summary.
        "Khu du lịch sinh thái Tràng An là điểm đ",
        "Để bảo đảm an toàn cho du khách, tỉnh đã",
        "Bến thuyền Tràng An sáng mùng 6 Tết Giáp",  # caption cell with facts, without pipes
        "Dịp này, tỉnh Ninh Bình cũng phát động c",
    ]
    for gone in ("Thanh Hóa", "Hà Nam", "Du khách xếp hàng", "Điện Biên", "Yên Tử", "|"):
        assert gone not in page.body


# (c) Decomposed Unicode with old tone placement.


def test_nfd_page_with_old_tone_placement_comes_out_canonical(corpus: Corpus) -> None:
    raw = (MIXED / "hoa_binh_nfd.txt").read_text(encoding="utf-8")
    assert raw != unicodedata.normalize("NFC", raw) and "uy\u0309" in raw  # the fixture really is NFD, old style
    page = article(corpus, "hoa_binh_nfd")
    assert page.title == "Hòa Bình và tỉnh Hủa Phăn (Lào) hợp tác phát triển thủy lợi"
    assert page.author == "Thùy Dương"
    assert "Bí thư Tỉnh ủy Hòa Bình Nguyễn Phi Long" in page.body
    assert "sức khỏe" in page.body
    for text in (page.title, page.body, page.author, page.category):
        assert text == unicodedata.normalize("NFC", text)
        assert not any(old in text for old in ("uỷ", "Hoà", "khoẻ", "Thuỳ"))


# (d) HTML through trafilatura.


def test_html_page(corpus: Corpus) -> None:
    page = article(corpus, "khanh_hoa_cruise")
    assert page.title == "Khánh Hòa đón chuyến tàu biển quốc tế đầu tiên năm 2024"
    # The page's full timestamp and canonical URL win over sources.json.
    assert page.published == datetime(2024, 1, 9, 6, 45, tzinfo=VN)
    assert page.url == "https://baomau.vn/du-lich/khanh-hoa-don-tau-bien-quoc-te-dau-tien-nam-2024-203.html"
    assert page.author == "Phương Nam"
    assert page.category == "Du lịch"
    assert paragraphs(page)[0].startswith("Sáng 9/1, tàu biển du lịch Celebrity Solstice")  # the sapo
    assert "Nguyễn Thị Lê Thanh" in page.body
    for gone in ("Thời sự", "Tìm kiếm", "Phú Yên", "Giá vàng", "Đà Lạt", "Giấy phép", "Chia sẻ", "Bản quyền"):
        assert gone not in page.body


# (e) JSON Lines with a broken record.


def test_jsonl_good_and_broken_lines(corpus: Corpus) -> None:
    record = article(corpus, "jsonl_dien_bien_le_hoi_hoa_ban")
    assert record.published == datetime(2024, 3, 15, 20, 0, tzinfo=VN)
    assert (record.category, record.author) == ("Văn hóa", "Lò Văn Chiến")
    assert len(paragraphs(record)) == 2
    assert record.source_path == str(MIXED / "extra_articles.jsonl")
    [problem] = [p for p in corpus.problems if p.path.suffix == ".jsonl"]
    assert problem.path == MIXED / "extra_articles.jsonl"
    assert problem.reason.startswith("line 2: invalid JSON")


def test_jsonl_records_without_id_or_body_or_with_a_bad_date(tmp_path: Path) -> None:
    lines = [
        {"id": "ok", "title": "Cà Mau khánh thành cầu Năm Căn mới", "published": None, "url": None,
         "body": "Cầu dài 800 m."},
        {"title": "Không có mã bài", "body": "Nội dung."},
        {"id": "no_body", "title": "Không có nội dung", "body": "  "},
        {"id": "bad_date", "title": "Ngày sai", "published": "hôm qua", "body": "Nội dung."},
    ]
    (tmp_path / "batch.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in lines), encoding="utf-8")
    loaded = load_corpus(tmp_path)
    assert [a.id for a in loaded.articles] == ["ok"]
    assert loaded.articles[0].published is None
    reasons = [p.reason for p in loaded.problems]
    assert reasons[0].startswith("line 2:") and "'id'" in reasons[0]
    assert reasons[1].startswith("line 3:") and "'body'" in reasons[1]
    assert reasons[2].startswith("line 4:") and "ISO 8601" in reasons[2]


def test_badly_typed_records_are_reported_and_the_rest_loads(tmp_path: Path) -> None:
    """Regression: one record with `"url": 123` stopped the whole corpus with AttributeError."""
    good = {"id": "ok", "title": "Cầu mới thông xe", "body": "Cầu dài 800 m.", "url": "https://bao.vn/cau-moi-1"}
    bad = [
        {"url": 123}, {"published": 20250101}, {"category": ["giao thông"]}, {"author": 5},
        {"url": "https://x.vn/c\n\n![p](http://127.0.0.1/pixel.png)"},  # markdown smuggled into a link
        {"url": "javascript:alert(1)"},
    ]
    lines = [json.dumps(good, ensure_ascii=False)]
    lines += [json.dumps({"id": f"b{i}", "title": "T", "body": "B", **field}) for i, field in enumerate(bad)]
    lines.append('{"id": "nan", "title": "T", "body": "B", "published": NaN}')
    lines.append('{"id": "lone", "title": "Dấu lạ", "body": "Nội dung \\udcff vẫn đọc được."}')
    (tmp_path / "batch.jsonl").write_text("\n".join(lines), encoding="utf-8")

    loaded = load_corpus(tmp_path)

    assert sorted(a.id for a in loaded.articles) == ["lone", "ok"]
    assert all("\udcff" not in a.body for a in loaded.articles)
    reasons = [p.reason for p in loaded.problems]
    assert len(reasons) == len(bad) + 1
    fields = ["url", "published", "category", "author", "url", "url", "published"]
    for reason, field in zip(reasons, fields, strict=True):
        assert f"'{field}'" in reason, reason


def test_an_article_over_the_size_limit_is_reported_and_skipped(tmp_path: Path) -> None:
    """Regression: a 50 MB page became 472,055 texts to embed (hours); now it is a problem."""
    (tmp_path / "ok.txt").write_text("Cầu mới thông xe\n\nCầu dài 800 m, nối hai xã.", encoding="utf-8")
    paragraphs = "\n\n".join(f"Ngày {i % 28 + 1}, xã số {i} khánh thành công trình thứ {i}." for i in range(600))
    (tmp_path / "huge.txt").write_text("Trang rất dài\n\n" + paragraphs, encoding="utf-8")

    loaded = load_corpus(tmp_path, max_article_chars=10_000)

    assert [a.id for a in loaded.articles] == ["ok"]
    [problem] = loaded.problems
    assert problem.path.name == "huge.txt" and "over the limit of 10,000" in problem.reason
    assert len(load_corpus(tmp_path).articles) == 2  # no limit given: both load


def test_links_out_of_the_folder_broken_or_looping_are_reported_not_followed(tmp_path: Path) -> None:
    """Regression: a link to /etc/passwd was indexed as an article; broken links and loops were
    skipped without a word."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ok.txt").write_text("Cầu mới thông xe\n\nCầu dài 800 m, nối hai xã.", encoding="utf-8")
    (corpus / "inside.txt").symlink_to(corpus / "ok.txt")  # a link within the folder is fine
    secret = tmp_path / "secret.txt"
    secret.write_text("Mật khẩu\n\nroot:x:0:0", encoding="utf-8")
    (corpus / "outside.txt").symlink_to(secret)
    (corpus / "broken.txt").symlink_to(corpus / "gone.txt")
    (corpus / "loop.txt").symlink_to(corpus / "loop.txt")

    loaded = load_corpus(corpus)

    assert sorted(p.name for p in loaded.files) == ["inside.txt", "ok.txt"]
    reasons = {p.path.name: p.reason for p in loaded.problems}
    assert "outside the corpus folder" in reasons["outside.txt"]
    assert reasons["broken.txt"] == "broken symbolic link"
    assert reasons["loop.txt"] == "symbolic link loop"
    assert all("root:x" not in a.body for a in loaded.articles)


# (f) A file in a legacy encoding does not stop the others.


def test_non_utf8_file_is_a_problem_and_the_rest_loads(corpus: Corpus) -> None:
    [problem] = [p for p in corpus.problems if p.path.name == "quang_tri_cp1258.txt"]
    assert "not valid UTF-8" in problem.reason
    assert {a.id for a in corpus.articles} == {
        "hoa_binh_nfd", "jsonl_dien_bien_le_hoi_hoa_ban", "khanh_hoa_cruise", "lam_dong_chungbuk",
        "ninh_binh_no_header",
    }
    assert len(corpus.files) == 6 and all(p.parent == MIXED for p in corpus.files)


def test_binary_and_boilerplate_only_files_are_problems(tmp_path: Path) -> None:
    shutil.copy(MIXED / "lam_dong_chungbuk.txt", tmp_path)
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    tail_only = "Trang chủ Xã hội\nTiêu đề\naa\nTin liên quan\nBài khác\n"
    (tmp_path / "tail_only.txt").write_text(tail_only, encoding="utf-8")
    loaded = load_corpus(tmp_path)
    assert [a.id for a in loaded.articles] == ["lam_dong_chungbuk"]
    problems = {p.path.name: p.reason for p in loaded.problems}
    assert "binary" in problems["image.txt"]
    assert "no body" in problems["tail_only.txt"]


def test_duplicate_id_is_a_problem_for_the_second(tmp_path: Path) -> None:
    shutil.copy(MIXED / "lam_dong_chungbuk.txt", tmp_path)
    record = {"id": "lam_dong_chungbuk", "title": "Bản trùng", "body": "Nội dung trùng mã."}
    (tmp_path / "z.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    loaded = load_corpus(tmp_path)
    assert [a.source_path for a in loaded.articles] == [str(tmp_path / "lam_dong_chungbuk.txt")]
    assert loaded.problems == [
        LoadProblem(
            tmp_path / "z.jsonl",
            f"duplicate article id 'lam_dong_chungbuk', already loaded from {tmp_path / 'lam_dong_chungbuk.txt'}",
            ProblemKind.DUPLICATE_ID,
        )
    ]


def test_broken_sources_json_is_a_problem_and_articles_still_load(tmp_path: Path) -> None:
    shutil.copy(MIXED / "lam_dong_chungbuk.txt", tmp_path)
    (tmp_path / "sources.json").write_text("{not json", encoding="utf-8")
    loaded = load_corpus(tmp_path)
    assert [a.url for a in loaded.articles] == [None]
    assert [p.path.name for p in loaded.problems] == ["sources.json"]


# (g) Folders that cannot be used.


def test_empty_folder_is_a_corpus_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match=r"no article could be loaded.*QA_CORPUS_DIR.*--corpus"):
        load_corpus(tmp_path)


def test_folder_of_unusable_files_is_a_corpus_error(tmp_path: Path) -> None:
    shutil.copy(MIXED / "quang_tri_cp1258.txt", tmp_path)
    with pytest.raises(CorpusError, match="1 article file"):
        load_corpus(tmp_path)


def test_missing_folder_is_a_corpus_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match=r"does not exist.*QA_CORPUS_DIR.*--corpus"):
        load_corpus(tmp_path / "no_such_folder")


# (h) The `qa articles` command.


def run_qa(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qa", *args], cwd=REPO, capture_output=True, text=True, timeout=120, check=False
    )


def test_cli_articles_json(tmp_path: Path) -> None:
    corpus_dir = shutil.copytree(MIXED, tmp_path / "corpus")
    result = run_qa("articles", "--json", "--corpus", str(corpus_dir))
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == sorted(r["id"] for r in records)
    assert len(records) == 5
    by_id = {r["id"]: r for r in records}
    assert by_id["lam_dong_chungbuk"]["published"] == "2024-03-14T08:45:00+07:00"
    assert all(r["published"].endswith("+07:00") for r in records)
    assert "quang_tri_cp1258.txt" in result.stderr and "extra_articles.jsonl" in result.stderr


def test_cli_articles_table(tmp_path: Path) -> None:
    corpus_dir = shutil.copytree(MIXED, tmp_path / "corpus")
    result = run_qa("articles", "--corpus", str(corpus_dir))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["id", "published", "chars", "author", "title"]
    assert any(line.startswith("lam_dong_chungbuk") and "2024-03-14 08:45" in line for line in lines)
    assert f"5 articles from {corpus_dir}" in result.stdout


def test_cli_missing_corpus_is_a_clean_error(tmp_path: Path) -> None:
    result = run_qa("articles", "--corpus", str(tmp_path / "missing"))
    assert result.returncode == 1
    assert result.stderr.startswith("error: corpus folder") and "Traceback" not in result.stderr
