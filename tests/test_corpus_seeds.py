"""The five shipped seed pages come out as clean articles: every sentence of the article, none of the
page around it, and the metadata the page and sources.json give."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from qa.corpus import Corpus, load_corpus
from qa.types import Article

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
VN = timezone(timedelta(hours=7))

# Per seed: metadata, fragments the body must hold (lead, body, second story, captions with facts)
# and fragments it must not (teaser titles and their summaries, sidebar cells, title-only captions,
# tail sections, byline).
EXPECTED: dict[str, dict] = {
    "000_100a3ebbe7a71b1f": {
        "title": "Thành phố Hồ Chí Minh và tỉnh Champasak, Lào ký thỏa thuận hợp tác hữu nghị",
        "published": None,
        "url": "https://tacnghiep.thoidai.com.vn/thanh-pho-ho-chi-minh-va-tinh-champasak-lao-ky-thoa-thuan-hop-tac-huu-nghi-179441.html",
        "author": None,
        "category": None,
        "must": [
            "Theo đó, giai đoạn 2022 - 2025, TP Hồ Chí Minh và tỉnh Champasak sẽ tăng cường trao đổi đoàn",
            "Trung tâm thương mại Champasak - TP Hồ Chí Minh tại Champasak",
            "Đề án “Gia đình Việt với sinh viên Lào”",
            "Chủ tịch UBND TP Hồ Chí Minh Phan Văn Mãi và ông Vilayvong Boutdakham, "
            "Bí thư - Tỉnh trưởng tỉnh Champasak ký",
            "Lãnh đạo UBND TP Hồ Chí Minh và lãnh đạo chính quyền tỉnh Champasak cùng bày tỏ quyết tâm",
            "đã tiếp Chủ tịch Liên minh Nghị sĩ Hữu nghị Nhật - Việt Tsumotu Takebe",
            "kế hoạch tổ chức Lễ hội Việt Nhật dự kiến vào tháng 2/2023",
        ],
        "must_not": [
            "Hội nghị Bộ trưởng đặc biệt về lao động",
            "Nhân dịp kỷ niệm 47 Quốc khánh nước CHDCND Lào",
            "Quang cảnh buổi tiếp",
            "Đoàn công tác tỉnh Kon Tum",
            "Trường Tiểu học Hữu nghị tỉnh Champasak",
            "Cầu Hữu nghị Lào - Thái Lan số 5",
            "Mâm cơm tưởng niệm",
            "Miền đất - Con người",
            "khai thác IUU",
            "World Travel Awards",
            "Thiếu tướng Lào kể chuyện",
            "![]()",
            "|",
        ],
    },
    "001_7b0da2fc71653c30": {
        "title": "Thành phố Hồ Chí Minh và Thủ đô Vientiane (Lào) tăng cường hợp tác",
        "published": datetime(2022, 5, 26, 17, 2, tzinfo=VN),
        "url": None,
        "author": "Theo VOV",
        "category": "Chính trị - Xã hội Chuyện tuần này",
        "must": [
            "hợp tác giữa Vientiane và TP HCM trong thời gian qua.",  # the lead, before the teasers
            "Trong khuôn khổ chuyến thăm và làm việc tại Lào, sáng 26/5",
            "Ủy viên Bộ Chính trị, Bí thư Thành ủy Thành phố Hồ Chí Minh Nguyễn Văn Nên",
            "Bí thư Thành ủy, Chủ tịch HĐND Thủ đô Vientiane Anouphab Tounalom.",
            "đã chuẩn bị 7 hoạt động lớn",
            "“Năm Đoàn kết Hữu nghị Việt Nam – Lào, Lào – Việt Nam 2022”",
        ],
        "must_not": [
            "Việt Nam và Cuba tăng cường hợp tác trong lĩnh vực tư pháp",
            "hợp tác giữa ASEAN và Đan Mạch",
            "Thủ tướng chỉ đạo tăng cường các biện pháp hỗ trợ người lao động",
            "Doanh nghiệp Áo mong muốn hợp tác",
            "Quang cảnh buổi làm việc",
            "Theo VOV",
            "Lực lượng công an Việt - Lào",
            "Olympic Toán quốc tế",
            "infographic",
            "Xin chờ trong giây lát",
            "Phiên bản di động",
        ],
    },
    "002_e60b61f85d68355c": {
        "title": "Tỉnh Nghệ An và Thủ đô Vientiane (Lào) ký kết thỏa thuận hợp tác giai đoạn 2025–2028",
        "published": datetime(2025, 5, 12, 18, 0, tzinfo=VN),
        "url": "https://www.thoidai.com.vn/tinh-nghe-an-va-thu-do-vientiane-lao-ky-ket-thoa-thuan-hop-tac-giai-doan-2025-2028-213424.html",
        "author": "Nhật Nguyệt",
        "category": "Chính trị - Xã hội",
        "must": [
            "Sáng 12/5, lãnh đạo tỉnh Nghệ An và Đoàn đại biểu cấp cao thủ đô Vientiane",
            "Bí thư Tỉnh ủy Nghệ An Nguyễn Đức Trung",  # `Tỉnh uỷ` on the page: normalised
            "Buổi Hội đàm và ký kết thỏa thuận hợp tác giữa hai Nghệ An và Vientiane giai đoạn 2025-2028.",
            "trao đổi chuyên môn giữa các Ban của hội đồng nhân dân hai địa phương.",
        ],
        "must_not": [
            "bản sắc văn hóa trong không gian Pháp ngữ",
            "Quan hệ Việt Nam - Trung Quốc duy trì đà phát triển",
            "Hợp tác kinh tế Việt Nam-Liên bang Nga",
            "Việt Nam-Belarus",
            "Nhật Nguyệt",
            "Christopher Luxon",
            "Quốc vương và Hoàng hậu Bhutan",
        ],
    },
    "003_d395516c9eb881bd": {
        "title": "Tăng cường quan hệ hợp tác giữa tỉnh Bình Phước và Champasak (Lào)",
        "published": datetime(2022, 8, 22, 14, 7, tzinfo=VN),
        "url": "https://thoidai.com.vn/tang-cuong-quan-he-hop-tac-giua-tinh-binh-phuoc-va-champasak-lao-174205.html",
        "author": "Hạnh Trần (t/h)",
        "category": "Hữu nghị Bốn phương kết bạn",
        "must": [
            "Ngày 22/8, lãnh đạo tỉnh Bình Phước đã có buổi đón tiếp",
            # After the teasers' summaries and a blank line: a paragraph of the article (the rule).
            "Đây là một trong những sự kiện quan trọng thể hiện sự quyết tâm của lãnh đạo 2 tỉnh",
            "2 suất học bổng toàn phần tiếng Lào",
            "Trần Tuệ Hiền và đồng chí Vilayvong Butdakham, Ủy viên Trung ương Đảng Nhân dân cách mạng Lào",
            "góp phần củng cố, phát triển mối quan hệ hữu nghị hợp tác cùng có lợi",
        ],
        "must_not": [
            "Tỉnh Sơn La và Xay Sổm Bun (Lào) tăng cường quan hệ hợp tác",
            "Ngày 20/8, Đoàn đại biểu cấp cao tỉnh Sơn La",
            "Quảng Bình và Khăm Muộn (Lào) tăng cường phối hợp",
            "ngành Tư pháp và Toà án hai tỉnh Quảng Bình",
            "Quảng Ngãi và Champasak (Lào)",
            "Quảng Trị - Quảng Bình - Savanakhet",
            "Hạnh Trần",
            "Vĩnh Long - Ehime",
        ],
    },
    "004_2a6ae27854253012": {
        "title": "Xúc tiến, mở rộng hợp tác các lĩnh vực thế mạnh giữa TP Cần Thơ và các địa phương Lào",
        "published": datetime(2022, 9, 5, 16, 33, tzinfo=VN),
        "url": "https://thoidai.com.vn/xuc-tien-mo-rong-hop-tac-cac-linh-vuc-the-manh-giua-tp-can-tho-va-cac-dia-phuong-lao-174904.html",
        "author": "Hà Vy",
        "category": "Hữu nghị Bốn phương kết bạn",
        "must": [
            "Ngày 5/9, Phó Chủ tịch UBND TP Cần Thơ Nguyễn Thực Hiện có buổi tiếp",
            "Ông Nguyễn Thực Hiện, Phó Chủ tịch UBND TP Cần Thơ, tặng quà lưu niệm cho bà Phimpha Keomixay",
            "Năm 2009, Cần Thơ ký Bản ghi nhớ với tỉnh Savannakhet",
            "Lãnh đạo UBND TP Cần Thơ cùng các sở, ngành liên quan chụp ảnh lưu niệm",
            "đặc biệt là lĩnh vực sản xuất và chế biến sản phẩm nông nghiệp, du lịch, dịch vụ và thương mại…",
        ],
        "must_not": [
            "Quang cảnh buổi tiếp",
            "Đà Nẵng với các địa phương Hàn Quốc",
            "TP Cần Thơ và tỉnh Champasak (Lào) đẩy mạnh hợp tác đa lĩnh vực",
            "Chiều ngày 24/8, Lãnh đạo TP Cần Thơ đã có buổi tiếp thân mật",
            "Đồng Tháp - Champasak",
            "Ngày 27/8, Đoàn đại biểu cấp cao tỉnh Đồng Tháp",
            "Tối ngày 4/9, Liên hiệp các tổ chức hữu nghị",
            "Hà Vy",
            "Ký túc xá quốc tế 550 tỷ đồng",
        ],
    },
}


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(SEEDS)


@pytest.fixture(params=sorted(EXPECTED))
def seed(request: pytest.FixtureRequest, corpus: Corpus) -> tuple[Article, dict]:
    article = next(a for a in corpus.articles if a.id == request.param)
    return article, EXPECTED[request.param]


def test_every_seed_loads_without_problems(corpus: Corpus) -> None:
    assert [a.id for a in corpus.articles] == sorted(EXPECTED)
    assert corpus.problems == []
    assert [p.name for p in corpus.files] == [f"{stem}.txt" for stem in sorted(EXPECTED)]


def test_metadata(seed: tuple[Article, dict]) -> None:
    article, expected = seed
    assert article.title == expected["title"]
    assert article.published == expected["published"]
    if article.published is not None:
        assert article.published.utcoffset() == timedelta(hours=7)
    assert article.url == expected["url"]
    assert article.author == expected["author"]
    assert article.category == expected["category"]
    assert article.source_path == str(SEEDS / f"{article.id}.txt")


def test_body_keeps_the_article(seed: tuple[Article, dict]) -> None:
    article, expected = seed
    missing = [fragment for fragment in expected["must"] if fragment not in article.body]
    assert not missing


def test_body_drops_the_page_around_it(seed: tuple[Article, dict]) -> None:
    article, expected = seed
    leaked = [fragment for fragment in expected["must_not"] if fragment in article.body]
    assert not leaked


def test_body_shape(seed: tuple[Article, dict]) -> None:
    article, _ = seed
    assert "Nguồn:" not in article.body
    assert "\n\n\n" not in article.body and article.body == article.body.strip()
    paragraphs = article.body.split("\n\n")
    assert all(p and "\n" not in p and p == p.strip() for p in paragraphs)
    for paragraph in paragraphs:
        half = len(paragraph) // 2
        assert paragraph[:half].strip() != paragraph[-half:].strip(), f"doubled title left: {paragraph}"
        assert paragraph != article.title


def test_lead_is_kept_although_its_text_recurs_in_the_body(corpus: Corpus) -> None:
    """001's lead paragraph and its fourth paragraph differ only in their last words; both stay."""
    article = next(a for a in corpus.articles if a.id == "001_7b0da2fc71653c30")
    paragraphs = article.body.split("\n\n")
    assert paragraphs[0].endswith("hợp tác giữa Vientiane và TP HCM trong thời gian qua.")
    assert any(p.endswith("nhất là việc hỗ trợ lẫn nhau trong giai đoạn Covid-19.") for p in paragraphs)


def test_alt_text_and_caption_pair_is_kept_once(corpus: Corpus) -> None:
    article = next(a for a in corpus.articles if a.id == "003_d395516c9eb881bd")
    assert article.body.count("ký kết Biên bản ghi nhớ hợp tác giữa 2 tỉnh giai đoạn 2022-2026 (Ảnh") == 1
