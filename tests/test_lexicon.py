"""Names in questions and whether a text mentions them (qa.lexicon): the evidence that a question is
about an article the archive does not have."""
from __future__ import annotations

import pytest

from qa.lexicon import FoldedText, administrative_unit_in_full, named_entities


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("Cần Thơ ký với Savannakhet năm nào?", ["Cần Thơ", "Savannakhet"]),
        ("Còn Cần Thơ thì sao?", ["Cần Thơ"]),
        ("Đà Nẵng đón bao nhiêu tàu?", ["Đà Nẵng"]),  # `Đà` is not `đã`
        ("Đã có bao nhiêu đoàn đến?", []),
        ("Tỉnh Champasak có bao nhiêu huyện?", ["Champasak"]),
        ("Đường dây 110 kV Sơn Lâm dài bao nhiêu?", ["Sơn Lâm"]),  # the `V` of `kV` opens no name
        ("Mạng 5G Sơn Lâm phủ mấy xã?", ["Sơn Lâm"]),
        ("Ai đỗ thủ khoa khối C03 của Sơn Lâm?", ["C03", "Sơn Lâm"]),  # a code keeps its digits
        ("Đội U19 Bình Sơn thắng mấy trận?", ["Đội U19", "Bình Sơn"]),  # … and ends its name
        ("Ai vẽ bức tranh “Mùa gặt trên đồi” của Sơn Lâm?", ["Mùa gặt trên đồi", "Sơn Lâm"]),  # a title whole
        ("Ai nói “ván đấu thứ 2” của Sơn Lâm?", ["Sơn Lâm"]),  # a quoted phrase, not a title
        ("Đội nào đoạt giải Nhì Hội thi Bình Sơn?", ["Hội", "Bình Sơn"]),  # a prize's rank is no name
        ("Giải Khuyến khích trị giá bao nhiêu?", []),
    ],
)
def test_names_of_a_question(question, names):
    assert named_entities(question) == names


def test_a_name_is_mentioned_as_whole_words_with_its_accents():
    text = FoldedText("Nâng cao năng lực thuế; lãnh đạo Thừa Thiên Huế và tỉnh Sơn La.")

    assert not text.mentions("Nẵng")  # `nâng`, `năng` fold to the same letters
    assert text.mentions("Huế") and text.mentions("Thừa Thiên Huế")
    assert text.mentions("Sơn La") and text.mentions("son la")
    assert not text.mentions("La Sơn")


def test_a_person_is_mentioned_by_the_given_name_after_an_honorific():
    text = FoldedText("Riêng ông Hải hưởng lợi 2 tỷ đồng; bà Lan nhận 6 năm tù.")

    assert text.mentions("Phạm Văn Hải") and text.mentions("Đỗ Thị Mai Lan") and text.mentions("pham van hai")
    assert not text.mentions("Mạc Hải")  # two words: a place or a short name, not said this way
    assert not text.mentions("Trần Văn Lợi")  # `lợi` without an honorific before it


def test_a_person_is_mentioned_by_the_last_two_words_of_the_name():
    text = FoldedText("Ở chung kết, Minh Khoa, tay vợt 22 tuổi, thắng ngược; Văn Hải bị loại.")

    assert text.mentions("Trần Minh Khoa") and text.mentions("tran minh khoa")  # typed without diacritics
    assert not text.mentions("Lê Văn Hải")  # a middle name and the given name are not said this way
    assert not text.mentions("Cục Minh Khoa")  # no surname leads it: not a person's name
    # … nor a surname that is an everyday word too (`Đoàn`, "delegation").
    assert not FoldedText("Các đô vật Sơn Lâm thắng 3 trận.").mentions("Đoàn Sơn Lâm")


def test_a_place_named_with_an_abbreviated_unit_is_mentioned_by_the_unit_in_full():
    text = FoldedText("Đoàn đại biểu Thành phố Đông Phú làm việc tại thị xã Sơn Hòa.")
    assert text.mentions("TP Đông Phú") and text.mentions("TP. Đông Phú") and text.mentions("TX Sơn Hòa")
    assert not text.mentions("TP Sơn Hòa") and not text.mentions("Tỉnh Đông Phú")  # another unit of that name
    assert administrative_unit_in_full("TP.Đông Phú") == "thành phố Đông Phú"
    assert administrative_unit_in_full("Tỉnh Đông Phú") == "Tỉnh Đông Phú"
    assert text.mentions("TP Dong Phu") and not text.mentions("TP Son Hoa")  # typed without diacritics


def test_lao_names_are_matched_across_spellings():
    text = FoldedText("Ông Vilayvong Boutdakham, Bí thư tỉnh Champasak")

    assert text.mentions("Vilayvong Butdakham")
    assert not text.mentions("Savannakhet")
