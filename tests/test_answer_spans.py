"""What kind of answer a question asks for, and which spans of a sentence can be that answer
(qa.question.expected_answer_type, qa.spans.answer_spans): plain functions, tested on made-up
sentences of the kinds news prose has."""
from __future__ import annotations

import pytest

from qa.question import (
    AnswerType,
    asked_alternatives,
    asked_dimension,
    asked_measure,
    asked_office,
    asks_a_country,
    asks_for_money,
    counted_noun,
    counted_phrase,
    counts_otherwise,
    counts_things,
    expected_answer_type,
    is_list_question,
    looks_english,
    negated_words,
    numbers_of_things,
    offices_said,
    place_noun,
    says_another_rank_of_office,
    says_no,
    says_words,
    without_cue,
)
from qa.spans import Span, answer_spans, is_amount_of_money, months_named


def texts(sentence: str, kind: AnswerType, exclude: str = "") -> list[str]:
    return [span.text for span in answer_spans(sentence, kind, exclude=exclude)]


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Lễ khai mạc diễn ra vào ngày nào?", AnswerType.DAY),
        ("Vao ngay nao?", AnswerType.DAY),
        ("On what day was it signed?", AnswerType.DAY),
        ("Cây cầu được khánh thành khi nào?", AnswerType.DATE),
        ("When was the bridge opened?", AnswerType.DATE),
        ("Since when has the clinic lacked medicine?", AnswerType.DATE),
        ("In 2026, when did the ferry start?", AnswerType.DATE),
        ("How many tiles were replaced when the temple roof was rebuilt?", AnswerType.NUMBER),  # `when` of a clause
        ("Hai tỉnh ký kết năm nào?", AnswerType.YEAR),
        ("Thỏa thuận cho giai đoạn nào?", AnswerType.PERIOD),
        ("Có bao nhiêu đại biểu?", AnswerType.NUMBER),
        ("Cầu thông xe vào tháng mấy?", AnswerType.DATE),  # which month, not how many
        ("Mỗi tháng mấy chuyến tàu cập cảng?", AnswerType.NUMBER),  # a count per month
        ("Việc tu bổ ngôi chùa mất bao lâu?", AnswerType.MEASURE),
        ("Khu công nghiệp cách cảng biển bao xa?", AnswerType.MEASURE),
        ("How long did the final last?", AnswerType.MEASURE),
        ("How tall is the new lighthouse?", AnswerType.MEASURE),
        ("How old is the youngest rower?", AnswerType.NUMBER),  # an age: `15 tuổi`
        ("At which station does the new tram line end?", AnswerType.PLACE),  # a kind of place, as `ga nào`
        ("In which district of the city is the market?", AnswerType.PLACE),
        ("Which coastal industrial park hosts the plant?", AnswerType.PLACE),
        ("Which company runs the station?", AnswerType.ORGANISATION),  # the kind asked comes first
        ("What event took place at the harbour?", None),  # "take place" asks no place
        ("What share of the loans went to farmers?", AnswerType.MEASURE),  # a share, in %
        ("Ai chủ trì hội nghị?", AnswerType.PERSON),
        ("Hội nghị tổ chức ở đâu?", AnswerType.PLACE),
        # A person asked for by title: "which player", "which vice-chairman", "the director's name".
        ("Cầu thủ nào ghi bàn thắng quyết định?", AnswerType.PERSON),
        ("Phó Chủ tịch UBND tỉnh Sơn Lâm nào tiếp đoàn?", AnswerType.PERSON),
        ("Giám đốc Sở Y tế tỉnh Sơn Lâm tên là gì?", AnswerType.PERSON),
        ("giam doc so y te tinh son lam ten la gi", AnswerType.PERSON),
        ("Tay vợt nào thắng trận bán kết?", AnswerType.PERSON),  # sportspeople
        ("Xạ thủ nào phá kỷ lục?", AnswerType.PERSON),
        ("Vị lãnh đạo Sở Công Thương nào chủ trì?", AnswerType.PERSON),
        ("Which deputy minister opened the fair?", AnswerType.PERSON),
        ("Which vice-chairwoman of the district spoke first?", AnswerType.PERSON),
        ("Which swimmer set the record?", AnswerType.PERSON),
        ("Which station does the line end at?", AnswerType.PLACE),  # no person noun: a kind of place
        ("Lãnh đạo tỉnh nào dự lễ?", AnswerType.PERSON),  # `lãnh đạo tỉnh`, the provincial leadership: which leader
        ("Lanh dao UBND huyen nao den hien truong?", AnswerType.PERSON),
        ("Lãnh đạo của tỉnh nào dự lễ?", AnswerType.PLACE),  # the leaders of which province
        ("Huyện nào có nhiều hộ nghèo nhất?", AnswerType.PLACE),  # an administrative unit asked
        ("Hàng được chở qua cửa khẩu nào?", AnswerType.PLACE),  # a kind of place asked by name
        ("Bến cảng nào đón nhiều tàu nhất?", AnswerType.PLACE),
        ("Ho nao duoc ho tro?", None),  # `hộ nào` (which household), not `hồ nào` (which lake)
        ("Nhà xuất bản nào in cuốn sách?", None),  # `bản`, here no hamlet
        ("Ứng dụng mới của công ty có tên là gì?", None),  # a thing's name
        ("Cầu thủ thi đấu như thế nào?", None),
        ("Đơn vị nào thi công cây cầu?", AnswerType.ORGANISATION),  # a body, not `vị nào` "which person"
        ("Doanh nghiệp nào làm chủ đầu tư?", AnswerType.ORGANISATION),
        # Cues are whole words: `ông nào` "which man" ends neither `sông nào` nor `hàng không nào`.
        ("Tàu chở hàng đi trên con sông nào?", AnswerType.PLACE),
        ("Hãng hàng không nào mở đường bay mới?", AnswerType.ORGANISATION),
        ("Hang hang khong nao mo duong bay moi?", AnswerType.ORGANISATION),
        ("Which company built the bridge?", AnswerType.ORGANISATION),
        # A market is a country or a region, not a school (`trường nào`): `thị trường nào` asks a place.
        ("Gạo thơm xuất đi thị trường nào?", AnswerType.PLACE),
        ("Gao thom xuat di thi truong nao?", AnswerType.PLACE),
        ("Trường nào giành giải nhất hội thi?", AnswerType.ORGANISATION),
        # "What is the … <quantity>?" asks a number, as "how much" does; not a thing's name or kind.
        ("What was the vacancy rate among rental flats?", AnswerType.NUMBER),
        ("What is the approved budget for the new library?", AnswerType.NUMBER),
        ("What yearly interest rate does the credit fund pay?", AnswerType.NUMBER),
        ("What name was given to the new tax rate?", None),  # a name, not the rate
        ("What kind of rice does the village grow?", None),
        ("What does the factory produce?", None),
    ],
)
def test_expected_answer_type(question, kind):
    assert expected_answer_type(question) is kind


@pytest.mark.parametrize(
    ("question", "is_list"),
    [
        ("Đoàn đã ghé thăm những thị trấn nào ven biển?", True),
        ("Trường tổ chức các hoạt động ngoại khóa nào?", True),  # four words between
        ("Những ai được khen thưởng?", True),
        ("Đoàn đã mang về những gì?", True),
        ("Liệt kê các xã bị ngập.", True),
        ("Which provinces signed the agreement?", True),
        # A plural marker elsewhere in the question: its subject, not the thing asked.
        ("Các trường phải nộp hồ sơ trước ngày nào?", False),
        ("Những cụ già trong làng nhận mấy suất quà?", False),
        ("Lượng khách trong những ngày nghỉ Tết tăng bao nhiêu?", False),
        ("Chị Hồng Nhung nuôi bao nhiêu con bò sữa?", False),  # `Nhung`, a name, folds to `nhung`
        ("Xã có bao nhiêu hộ, thuộc huyện nào?", False),  # `bao nhiêu` is no `nhiều`
    ],
)
def test_a_list_is_asked_by_a_plural_in_the_phrase_asked(question, is_list):
    assert is_list_question(question) is is_list


@pytest.mark.parametrize(
    ("question", "english"),
    [
        ("How many bridges are there on the Son Lam – Dong Phu expressway?", True),  # a dash is no Vietnamese
        ("Who is the director of the Son Lam Department of Health?", True),
        ("Which film won the prize, \"Mùa gió\"?", True),  # a Vietnamese title quoted
        ("When did work on the Sơn Lâm – Đông Phú coastal road in Hà Nam begin?", True),  # names, accented
        ("Giam doc So Y te huyen Can Son la ai?", False),  # `so`, `can`: Vietnamese syllables typed bare
        ("Đường ven biển Sơn Lâm khởi công khi nào?", False),
        ("Ai là giám đốc Sở Y tế?", False),
    ],
)
def test_a_question_in_english_is_told_from_vietnamese_typed_without_diacritics(question, english):
    assert looks_english(question) is english


def test_a_day_question_is_not_answered_by_a_year():
    sentence = "Năm 2026, sáng 14/3, thành phố khai mạc lễ hội."

    assert texts(sentence, AnswerType.DAY) == ["sáng 14/3"]
    assert texts("Lễ hội được tổ chức lần đầu năm 2019.", AnswerType.DAY) == []
    # "khi nào" takes a year when the sentence has no day.
    assert texts("Lễ hội được tổ chức lần đầu năm 2019.", AnswerType.DATE) == ["năm 2019"]


def test_a_date_keeps_the_hour_it_is_given_with():
    assert texts("Lũ quét ập đến khoảng 3 giờ sáng 14/10.", AnswerType.DATE) == ["3 giờ sáng 14/10"]
    assert texts("Sự cố xảy ra lúc 4h sáng ngày 7/11.", AnswerType.DATE) == ["4h sáng ngày 7/11"]
    assert texts("Đoàn có 2 giờ để tham quan, sáng 5/6.", AnswerType.DATE) == ["sáng 5/6"]  # no hour of the day


def test_a_day_naming_a_street_or_a_square_is_no_date():
    sentence = "Sáng 20/3, lễ hội khai mạc tại Quảng trường 2/9, gần đường 3/2."
    assert texts(sentence, AnswerType.DAY) == ["Sáng 20/3"]
    assert texts(sentence, AnswerType.DATE) == ["Sáng 20/3"]
    named = "Cống được lắp trên các đường Lê Lợi, 30 Tháng 4, Hai Bà Trưng từ tháng 5/2026."
    assert texts(named, AnswerType.DATE) == ["tháng 5/2026"]
    assert texts("Tháng 4/2026, dự án khởi công.", AnswerType.DATE) == ["Tháng 4/2026"]


def test_day_and_month_are_not_read_inside_a_month_and_year():
    assert texts("Dự án hoàn thành trong tháng 5/2025.", AnswerType.DAY) == []
    assert texts("Dự án hoàn thành trong tháng 5/2025.", AnswerType.DATE) == ["tháng 5/2025"]
    assert texts("Hai nước (5/9/1962 - 5/9/2022) kỷ niệm.", AnswerType.DAY) == ["5/9/1962", "5/9/2022"]


def test_a_quarter_is_a_date_whole():
    assert texts("Nhà ga dự kiến khai thác trong quý II/2027.", AnswerType.DATE) == ["quý II/2027"]
    assert texts("Dự án hoàn thành vào quý IV năm 2030.", AnswerType.DATE) == ["quý IV năm 2030"]


def test_the_ends_of_a_period_are_no_year_asked():
    sentence = "Đê chắn sóng làm trong giai đoạn 2031–2033, khởi công năm 2030."
    assert texts(sentence, AnswerType.YEAR) == ["2030"]
    assert texts(sentence, AnswerType.PERIOD) == ["2031–2033"]
    assert texts("Đê chắn sóng làm trong giai đoạn 2031 - 2033.", AnswerType.DATE) == []


def test_years_before_1800_are_years():
    assert texts("Thương nhân Nhật Bản đến buôn bán từ năm 1593.", AnswerType.YEAR) == ["1593"]
    assert texts("Thương nhân Nhật Bản đến buôn bán từ năm 1593.", AnswerType.DATE) == ["năm 1593"]


def test_words_of_the_question_are_excluded_as_whole_words_only():
    # `ba` is a word of its own, not the first letters of `bao nhiêu`.
    assert texts("Đội bị giữ trong ba lượt chơi.", AnswerType.NUMBER, exclude="Bao nhiêu lượt?") == ["ba"]
    assert texts("Hai tỉnh ký năm 2009.", AnswerType.YEAR, exclude="Hai tỉnh ký năm 2009?") == []


def test_a_rank_out_of_a_total_is_one_number():
    assert texts("Chỉ số của huyện xếp thứ 12/40, hạng 3/9 khu vực.", AnswerType.NUMBER) == ["12/40", "3/9"]
    assert texts("Ngày 12/4 có 40 ca.", AnswerType.NUMBER) == ["40"]  # a day is none


def test_a_magnitude_alone_or_a_digit_inside_a_code_is_no_number():
    # `hàng nghìn` is "thousands", no count; `A0`, `5G`, `COVID-19`, `1A` are names with digits.
    assert texts("Hàng nghìn người đến, trong đó 312 người ở lại.", AnswerType.NUMBER) == ["312 người"]
    assert "tư" not in texts("Ba phần tư số hộ ở Sơn Lâm trồng lúa.", AnswerType.NUMBER)  # a denominator
    assert texts("Trạm A0 phủ sóng 5G trên quốc lộ 1A từ sau COVID-19.", AnswerType.NUMBER) == []
    assert texts("Có hai trăm khách và 30% số xe.", AnswerType.NUMBER) == ["hai trăm", "30%"]
    assert texts("Độ mặn ở cống Sơn Lâm là 2,5‰, tức 2,5 phần nghìn.", AnswerType.NUMBER) == ["2,5‰", "2,5 phần nghìn"]


def test_one_and_five_count_only_before_a_word():
    sentence = "Năm 2010 có năm nghệ nhân và một nửa số khách."

    assert texts(sentence, AnswerType.NUMBER) == ["năm", "một nửa"]  # `2010` is the date's


def test_people_are_surname_led_or_foreign_and_never_a_place():
    sentence = (
        "Ông Vilayvong Butdakham gặp Bí thư Nguyễn Văn Nên tại phường Minh An, "
        "cùng Đoàn Thanh niên hai nước Việt Nam - Lào."
    )

    assert texts(sentence, AnswerType.PERSON) == ["Nguyễn Văn Nên", "Vilayvong Butdakham"]


@pytest.mark.parametrize(
    ("sentence", "places"),
    [
        ("Hội chợ mở tại Khu công nghệ cao Sơn Lâm, kéo dài ba ngày.", ["Khu công nghệ cao Sơn Lâm"]),
        ("Lễ hội diễn ra tại Công viên Bình Minh, Đông Phú.", ["Công viên Bình Minh"]),
        ("Hội thảo tại Trường Cao đẳng Kỹ thuật Sơn Lâm – cơ sở 2.", ["Trường Cao đẳng Kỹ thuật Sơn Lâm"]),
        ("Đêm nhạc tại Công viên Bình Sơn bên bờ sông Lam.", ["Công viên Bình Sơn"]),
        ("Đoàn đến tại Khu vực biên giới phía tây.", []),  # a venue's kind alone names no place
        ("Lễ hội diễn ra tại Sơn Lâm và Đông Phú.", ["Sơn Lâm"]),
        ("Sở Nội vụ phối hợp tổ chức.", []),  # `ở` inside `Sở` is no place word
        ("Nhà máy mới của TX Sơn Hòa đi vào hoạt động.", ["Sơn Hòa"]),  # an abbreviated unit leads a place
    ],
)
def test_a_venue_is_named_whole(sentence, places):
    assert texts(sentence, AnswerType.PLACE) == places


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("Chủ đầu tư là Công ty cổ phần Phát triển hạ tầng Sơn Lâm, thuộc Tập đoàn Đông Phú.",
         ["Công ty cổ phần Phát triển hạ tầng Sơn Lâm", "Tập đoàn Đông Phú"]),
        ("Liên danh do Tổng công ty Bình Sơn đứng đầu.", ["Tổng công ty Bình Sơn"]),
        ("Ban Quản lý dự án đầu tư các công trình thủy lợi hoàn thành sớm nhất.", ["Ban Quản lý"]),
        ("Theo Giám đốc Sở Y tế Đông Phú Trần Văn Bình, bệnh viện đã sẵn sàng.", ["Sở Y tế Đông Phú"]),
        ("Hai bên ký hợp tác với Bệnh viện Trung ương Đông Phú.", ["Bệnh viện Trung ương Đông Phú"]),
        ("Học sinh Trường THPT số 2 Sơn Lâm đỗ cả.", ["Trường THPT số 2 Sơn Lâm"]),  # a number in the name
        ("Công ty Quản lý đường bộ Đông Phú 4D bảo trì đèo.", ["Công ty Quản lý đường bộ Đông Phú 4D"]),  # a code
        ("Công ty Bình Sơn 3 năm liền đạt giải.", ["Công ty Bình Sơn"]),  # a number after the name is not of it
        # `bị` of `Thiết bị` (equipment) is also the passive marker.
        ("Hàng về kho của Trung tâm Thiết bị Sơn Lâm.", ["Trung tâm Thiết bị Sơn Lâm"]),
        ("Gói thầu về tay Liên danh MTV Kỹ thuật.", ["Liên danh MTV Kỹ thuật"]),  # a syllable alone after `TNHH`
        ("Công ty Sơn Lâm bị phạt.", ["Công ty Sơn Lâm"]),
        ("Công ty Bình và Công ty Sơn Lâm ký hợp đồng.", ["Công ty Bình", "Công ty Sơn Lâm"]),
        ("Viện trưởng Trần Văn Bình phát biểu.", []),  # the head of an institute, a person
        # A name after a kind written in lowercase; the first name ends where the next kind starts.
        ("Đội Sơn Lâm thắng đội Đông Phú Gaming 3-1.", ["Đội Sơn Lâm", "Đông Phú Gaming"]),
        ("Chuyến bay của hãng hàng không Bình Sơn Air cất cánh.", ["Bình Sơn Air"]),
        ("Hãng hàng không tư nhân Bình Sơn Air ra mắt.", ["Hãng hàng không tư nhân Bình Sơn Air"]),
    ],
)
def test_an_organisation_is_named_from_its_kind(sentence, names):
    assert texts(sentence, AnswerType.ORGANISATION) == names


def test_the_kind_of_organisation_the_question_says_stays_in_the_answer():
    sentence = "Chủ đầu tư là Công ty cổ phần Sơn Lâm."
    question = "Công ty nào làm chủ đầu tư?"
    assert texts(sentence, AnswerType.ORGANISATION, exclude=question) == ["Công ty cổ phần Sơn Lâm"]


def test_words_the_question_says_are_no_part_of_a_name():
    sentence = "Theo Giám đốc Sở Y tế Sơn Lâm Trần Văn Bình, tỉnh đã sẵn sàng."
    assert texts(sentence, AnswerType.PERSON, exclude="Ai là Giám đốc Sở Y tế Sơn Lâm?") == ["Trần Văn Bình"]


@pytest.mark.parametrize(
    ("sentence", "question", "name"),
    [
        # `Phan` is not the `phần` of `cổ phần`, `Đinh` not the `định` of `quyết định`.
        ("Ông Phan Minh Đức, người đứng đầu Tập đoàn cổ phần Đông Phú, nói vậy.",
         "Ai đứng đầu Tập đoàn cổ phần Đông Phú?", "Phan Minh Đức"),
        ("Ông Đinh Văn Hòa đã ký quyết định thành lập ban.", "Ai ký quyết định thành lập ban?", "Đinh Văn Hòa"),
        # Typed without diacritics, a question cannot tell them apart, and says the place all the same.
        ("Theo Chánh thanh tra Sở Đông Phú Trần Văn Bình, tỉnh đã sẵn sàng.", "Chanh thanh tra So Dong Phu ten gi?",
         "Trần Văn Bình"),
        # A question that writes names capitalised says no surname in lowercase: `Đoàn` is not the
        # `đoàn` (delegation) it says, nor `Trương` its `truong` (head).
        ("Đoàn khảo sát do TS Đoàn Văn Hải dẫn đầu.", "Ai dẫn đoàn khảo sát tới Sơn Lâm?", "Đoàn Văn Hải"),
        ("Nhóm do Trương Văn Hải làm trưởng nhóm.", "ai lam truong nhom o Son Lam", "Trương Văn Hải"),
        # A question in lowercase throughout tells nothing by case: its words are dropped as before.
        ("Chủ tịch Hội Nông dân Sơn Lâm Trần Văn Bình phát biểu.", "chu tich hoi nong dan son lam la ai",
         "Trần Văn Bình"),
    ],
)
def test_a_surname_is_no_other_word_of_the_question(sentence, question, name):
    assert texts(sentence, AnswerType.PERSON, exclude=question) == [name]


def test_a_name_keeps_its_initials():
    assert texts("Bài thơ được Peter T. Lawson dịch.", AnswerType.PERSON) == ["Peter T. Lawson"]


def test_a_name_may_follow_a_place_after_a_place_word():
    sentence = "Chủ tịch UBND tỉnh Đông Phú Trần Văn Bình tiếp đoàn tại phường Minh An."
    assert texts(sentence, AnswerType.PERSON) == ["Trần Văn Bình"]


def test_a_place_named_after_a_person_is_no_person():
    # `TP` is capitalised, so it opens the run the name is in; `Thành phố` may open the sentence.
    assert texts("Ông Trần Văn Hải công tác tại TP Lê Lợi.", AnswerType.PERSON) == ["Trần Văn Hải"]
    assert texts("Đoàn đến TP. Ngô Quyền hôm qua.", AnswerType.PERSON) == []
    assert texts("Đoàn đến TX. Ngô Quyền hôm qua.", AnswerType.PERSON) == []
    assert texts("Thành phố Ngô Gia Tự có thêm 5 trạm sạc.", AnswerType.PERSON) == []
    assert texts("Chủ tịch Ngô Gia Tự phát biểu.", AnswerType.PERSON) == ["Ngô Gia Tự"]


def test_an_organisations_name_after_its_kind_is_no_person():
    sentence = "Trường Đại học Sơn Lâm và Tập đoàn Kavero Nanotech (Nhật Bản) mở phòng thí nghiệm."
    assert texts(sentence, AnswerType.PERSON) == []
    assert texts("Đại diện hãng Lumora Air, ông John Perry, phát biểu.", AnswerType.PERSON) == ["John Perry"]
    assert texts("Công ty Hoàng Long do ông Trần Khải Đông điều hành.", AnswerType.PERSON) == ["Trần Khải Đông"]
    # A person named after the organisation, and a head of a body written in lowercase, stay people.
    assert texts("Đại diện Tập đoàn Kavero Trần Khải Đông phát biểu.", AnswerType.PERSON) == ["Trần Khải Đông"]
    assert texts("Ý kiến của trưởng ban Trần Khải Đông được ghi nhận.", AnswerType.PERSON) == ["Trần Khải Đông"]


def test_surnames_of_the_mountain_peoples_start_a_name_without_a_middle_name():
    assert texts("Ông Bế Quang Minh, Phó Chủ tịch Hội, phát biểu.", AnswerType.PERSON) == ["Bế Quang Minh"]
    assert texts("Bà Vi Ngọc Lan cho biết.", AnswerType.PERSON) == ["Vi Ngọc Lan"]


def test_the_syllable_before_a_middle_name_starts_a_name_listed_surname_or_not():
    # `Lù` is in no surname list; a place may end in a surname (`Sơn Lâm`).
    assert texts("Giám đốc Sở Xây dựng Lù Thị Hạnh phát biểu.", AnswerType.PERSON) == ["Lù Thị Hạnh"]
    assert texts("Chủ tịch UBND xã Sơn Lâm Trần Văn Hải phát biểu.", AnswerType.PERSON) == ["Trần Văn Hải"]
    assert texts("Sở Văn hóa tỉnh Đông Phú tổ chức lễ hội.", AnswerType.PERSON) == []


def test_a_degree_or_a_function_word_opening_a_run_is_no_part_of_a_name():
    sentence = "Theo TS.BS Đỗ Văn Khôi, trường có thêm 200 học viên."
    assert texts(sentence, AnswerType.PERSON) == ["Đỗ Văn Khôi"]
    assert texts("Theo ThS Marie Dubois, dự án kéo dài.", AnswerType.PERSON) == ["Marie Dubois"]


def test_a_name_right_after_a_place_the_question_says_is_the_rest_of_its_run():
    sentence = "Phó Thống đốc tỉnh Kanagawa Suzuki Haruto cho rằng hai bên còn nhiều dư địa."
    assert texts(sentence, AnswerType.PERSON) == []  # no surname marks it
    assert texts(sentence, AnswerType.PERSON, exclude="Phó Thống đốc tỉnh Kanagawa là ai?") == ["Suzuki Haruto"]
    # A place the question does not say stays a place; one syllable left is no name.
    assert texts(sentence, AnswerType.PERSON, exclude="Ai là Phó Thống đốc?") == []
    assert texts("Đoàn đến tỉnh Đông Phú Nam hôm qua.", AnswerType.PERSON, exclude="Tỉnh Đông Phú ở đâu?") == []
    # A name the finders read already is not read again in part.
    glued = "Chủ tịch UBND tỉnh Đông Phú Trần Văn Bình phát biểu."
    assert texts(glued, AnswerType.PERSON, exclude="Chủ tịch tỉnh Đông là ai?") == ["Trần Văn Bình"]
    # Without a place word before it, the place said is two words or more.
    dash = "Trưởng Ban Quản lý Khu chế xuất Sơn Lâm – Đông Phú Vi Đức Khải cho biết."
    assert texts(dash, AnswerType.PERSON, exclude="Ai là Trưởng Ban Quản lý Khu chế xuất Sơn Lâm – Đông Phú?") == [
        "Vi Đức Khải"
    ]
    assert texts("Sơn Tịnh Đông Phú khai mạc hội chợ.", AnswerType.PERSON, exclude="Ai khai mạc hội chợ ở Sơn?") == []


def test_the_plural_of_a_foreign_name_the_question_says_is_no_answer():
    sentence = "Đội đã vào chung kết ba lần ở các Grand Prixes trước, dưới thời Tomas Berger."
    question = "Ai dẫn dắt đội ở chung kết Grand Prix?"
    assert texts(sentence, AnswerType.PERSON, exclude=question) == ["Tomas Berger"]
    # Not said in the question, the run is a foreign name as any other.
    assert texts(sentence, AnswerType.PERSON, exclude="Ai dẫn dắt đội?") == ["Grand Prixes", "Tomas Berger"]


def test_a_kind_of_place_asked_for_is_the_word_before_the_answer():
    question = "Lễ ký được tổ chức tại khách sạn nào?"
    sentence = "Lễ ký diễn ra tại khách sạn Mường Thanh, tỉnh Nghệ An."

    assert place_noun(question) == "khach san"
    assert [s.text for s in answer_spans(sentence, AnswerType.PLACE, question, after=place_noun(question))] == [
        "Mường Thanh"
    ]
    assert place_noun("Hội nghị diễn ra ở địa điểm nào?") is None  # any place answers it


def test_a_kind_of_place_asked_first_is_the_word_before_the_answer():
    question = "Hàng hóa được xuất qua cửa khẩu nào?"
    sentence = "Lô hàng đầu tiên được xuất qua cửa khẩu Sơn Lâm của tỉnh Đông Phú."

    assert expected_answer_type(question) is AnswerType.PLACE
    assert place_noun(question) == "cua khau"
    assert [s.text for s in answer_spans(sentence, AnswerType.PLACE, question, after=place_noun(question))] == [
        "Sơn Lâm"
    ]


@pytest.mark.parametrize(
    ("question", "kind", "names"),
    [
        ("At which station does the new tram line end?", "ga", ["Hòa Bình"]),
        ("Which coastal port received the first ship?", "cang", ["Sơn Lâm"]),  # a word between
        ("The shoe factory lies in which industrial park?", "khu cong nghiep", ["Đông Phú"]),
    ],
)
def test_a_kind_of_place_asked_in_english_is_its_vietnamese_word_before_the_answer(question, kind, names):
    sentence = "Chuyến đầu tiên dừng ở ga Hòa Bình, cách cảng Sơn Lâm 3 km, gần khu công nghiệp Đông Phú."
    assert expected_answer_type(question) is AnswerType.PLACE
    assert place_noun(question) == kind
    assert [s.text for s in answer_spans(sentence, AnswerType.PLACE, question, after=kind)] == names
    assert place_noun("In which district does the driver live?") is None  # a `huyện` or a `quận`: any name


@pytest.mark.parametrize(
    ("question", "country"),
    [
        ("Lô hàng được xuất sang nước nào?", True),
        ("Đoàn khách đến từ quốc gia nào?", True),
        ("Huấn luyện viên mang quốc tịch nào?", True),
        ("Doan khach den tu nuoc nao?", True),  # typed without diacritics
        ("Which country bought the most coffee?", True),
        ("What nationality is the new coach?", True),
        ("Thị xã là thủ phủ của nhà nước nào?", False),  # a state
        ("Hội nghị diễn ra ở tỉnh nào?", False),
        ("Lễ hội được tổ chức ở đâu?", False),
    ],
)
def test_a_question_asking_for_a_country(question, country):
    assert asks_a_country(question) is country
    assert expected_answer_type(question) is AnswerType.PLACE


@pytest.mark.parametrize(
    ("sentence", "countries"),
    [
        ("Lô hàng đầu tiên được xuất sang Nhật Bản, sau đó là Ghana.", ["Nhật Bản", "Ghana"]),
        ("Tập đoàn Sunwoo Hàn Quốc rót thêm vốn vào nhà máy.", ["Hàn Quốc"]),  # the end of a longer run
        ("Vận động viên người Peru dẫn đầu, trước hai người Nam Mỹ.", ["Peru"]),  # `Nam Mỹ`: no country
        ("Về nhì là vận động viên người Peru Carlos Mendoza.", ["Peru"]),  # the country before a name
        ("Đoàn đã ghé Mỹ Tho và Lào Cai.", []),  # places that open with a country's word
        ("Anh cho biết đoàn sẽ sang Úc vào tháng sau.", ["Úc"]),  # `Anh` opening it: a pronoun
        ("Anh Lê Văn Bình là kỹ sư ở Mỹ Tho.", []),  # part of a name, not a country
        ("Sản phẩm được bán tại Pháp và Đức.", ["Đức"]),  # the question's own country is no answer
    ],
)
def test_the_countries_a_sentence_names(sentence, countries):
    question = "Sản phẩm của Pháp còn được bán sang nước nào?"
    assert [s.text for s in answer_spans(sentence, AnswerType.PLACE, question, countries=True)] == countries


@pytest.mark.parametrize(
    ("question", "noun"),
    [
        ("Có bao nhiêu đoàn đến thăm?", "doan"),
        ("Giải thưởng hạng mấy?", "hang"),
        ("Dân số là bao nhiêu người?", "nguoi"),
        ("Mất bao nhiêu thời gian?", None),  # a measure, not a count
        ("Giá lúa tăng bao nhiêu ở vụ này?", None),  # `ở` counts nothing
        ("Nhà máy của công ty Sơn Lâm tuyển bao nhiêu công nhân?", "cong"),  # `máy` is no `mấy`
        ("Nha may cua cong ty Son Lam tuyen bao nhieu cong nhan?", "cong"),  # … typed without diacritics
        ("Nhà máy vào hoạt động được mấy năm?", "nam"),
        # Money "counted" is an amount asked: `2.945 tỷ đồng`, not a number of `vốn`.
        ("Con đường cần bao nhiêu vốn đầu tư?", None),
        ("Xã dành bao nhiêu kinh phí sửa trường?", None),
        ("xa danh bao nhieu kinh phi sua truong", None),
        ("Có bao nhiêu gia đình nhận hỗ trợ?", "gia"),  # `gia` is no `giá`
        ("Có bao nhiêu chi hội nông dân?", "chi"),  # nor `chi` a `chi phí`
        ("Bao nhiêu cầu thủ nhận tiền thưởng?", "cau"),  # money named after what is counted
        ("Nhà máy phát bao nhiêu điện mỗi năm?", None),  # a measure, energy (`asked_measure`)
        ("Cửa hàng bán được bao nhiêu điện thoại?", "dien"),  # phones counted
        ("Trạm xá có bao nhiêu diện tích?", None),  # an area asked, no `điện`
        ("Trường Sơn Lâm nhận hồ sơ của bao nhiêu thí sinh?", "thi"),  # `thí`, as written, is no `thì`
    ],
)
def test_counted_noun(question, noun):
    assert counted_noun(question) == noun


@pytest.mark.parametrize(
    ("question", "things"),
    [
        ("How many bridges are on the new road?", True),
        ("How many people took part?", True),
        ("How many years did the work take?", False),  # a measure: the answer carries its unit
        ("How many square kilometres does the park cover?", False),
        ("How much did the bridge cost?", False),
        ("Có bao nhiêu cây cầu?", False),  # Vietnamese names what it counts (`counted_noun`)
    ],
)
def test_an_english_question_counting_things(question, things):
    assert counts_things(question) is things


def test_what_a_question_counts_ends_at_a_function_word_or_a_verb():
    assert counted_phrase("Xã nhận bao nhiêu chiếc xe buýt điện?") == ("chiec", "xe", "buyt", "dien")
    assert counted_phrase("Có bao nhiêu quốc gia tham dự hội nghị?") == ("quoc", "gia")
    assert counted_phrase("Tỉnh đã tổ chức mấy đoàn sang thăm?") == ("doan",)
    assert counted_phrase("Mất bao nhiêu thời gian?") == ()
    assert counted_phrase("Nhà máy điện gió Sơn Lâm có bao nhiêu kỹ sư?") == ("ky", "su")  # not `máy điện …`
    assert counted_phrase("Bến xe đón bao nhiêu hành khách mỗi ngày?") == ("hanh", "khach")  # a rate ends it
    assert counted_phrase("Bến xe đón bao nhiêu hành khách hằng ngày?") == ("hanh", "khach")


@pytest.mark.parametrize(
    ("question", "counted"),
    [
        # `hàng` says "per" only before a calendar noun: `ngân hàng`, `gian hàng` are nouns.
        ("Có bao nhiêu ngân hàng tham gia chương trình?", ("ngan", "hang")),
        ("Chợ phiên có bao nhiêu gian hàng?", ("gian", "hang")),
        ("Cho phien co bao nhieu gian hang?", ("gian", "hang")),
        ("Trường tuyển bao nhiêu sinh viên hàng năm?", ("sinh", "vien")),
        ("Truong tuyen bao nhieu sinh vien hang nam?", ("sinh", "vien")),
        # Typed without diacritics, a Vietnamese word may spell an English function word (`án`, `an`).
        ("Tinh co bao nhieu du an dien gio?", ("du", "an", "dien", "gio")),
    ],
)
def test_what_a_question_counts_runs_through_words_that_only_look_like_its_end(question, counted):
    assert counted_phrase(question) == counted


@pytest.mark.parametrize(
    ("question", "money"),
    [
        ("Vé vào cửa giá bao nhiêu?", True),
        ("Tổng vốn đầu tư là bao nhiêu?", True),
        ("What is the budget of the agreement?", True),
        ("Có bao nhiêu quốc gia tham gia?", False),  # `gia` in `quốc gia`, `tham gia` is not a price
        ("co bao nhieu quoc gia tham gia", False),
        ("Học phí mỗi kỳ là bao nhiêu?", True),
        ("hoc phi moi ky la bao nhieu", True),
        ("Bao nhiêu người được khám miễn phí?", False),  # `miễn phí` names no amount
        ("Câu lạc bộ có bao nhiêu tiền đạo?", False),  # nor does `tiền đạo`, "a striker"
        # The amount named by what it is spent, paid or invested for, in each way of typing.
        ("Tổng mức đầu tư của cây cầu là bao nhiêu?", True),
        ("tong muc dau tu cua cay cau la bao nhieu", True),
        ("Xã đã chi bao nhiêu để sửa con đường?", True),
        ("Mỗi công nhân được trả công bao nhiêu một ngày?", True),
        ("How much did the town spend on the new school?", True),
        ("How much cash did the police seize?", True),
        ("What is the combined value of the two orchards?", True),  # a value: an amount
        # A money word beginning a name names no amount; one opening the question does.
        ("Huyện Lương Sơn có bao nhiêu xã?", False),
        ("Tiền Phong có bao nhiêu xã?", False),
        ("Giá vé vào cửa là bao nhiêu?", True),
        # A currency asked right after `bao nhiêu`, in each way of typing; not `đồng` opening another word.
        ("Đoàn khách mang theo bao nhiêu đô la Mỹ?", True),
        ("Cửa hàng thu về bao nhiêu USD?", True),
        ("cua hang thu ve bao nhieu usd", True),
        ("Có bao nhiêu đồng bào được hỗ trợ?", False),
        ("Mỗi bếp ăn phát bao nhiêu bát cháo?", False),
    ],
)
def test_questions_about_money(question, money):
    assert asks_for_money(question) is money


@pytest.mark.parametrize(
    ("sentence", "number", "money"),
    [
        ("Dự án cầu Sơn Lâm có tổng vốn 120 tỷ đồng.", "120", True),
        ("Mỗi hộ được hỗ trợ 5 triệu đồng/hộ.", "5", True),
        ("Nhà máy Sơn Lâm có 3.600 lao động.", "3.600", False),  # `động` is no `đồng`, though folded alike
        ("Moi ho duoc ho tro 5 trieu dong.", "5", True),  # typed without diacritics: read folded
        ("Vé vào cửa giá $30 mỗi người.", "30", True),
        ("Tuyến buýt mới chạy 40 phút, đồng thời nối hai bến xe.", "40", False),  # another clause
        ("Xã có 40 hộ (đồng bào dân tộc).", "40", False),
        ("Gói tham quan trọn gói giá 1.500 SGD mỗi khách.", "1.500", True),  # a foreign amount by its ISO code
        ("Đoàn có 15 người Singapore.", "15", False),
    ],
)
def test_an_amount_of_money_has_its_currency_in_its_clause(sentence, number, money):
    start = sentence.index(number)
    assert is_amount_of_money(sentence, Span(start, start + len(number), number)) is money


@pytest.mark.parametrize(
    ("question", "unit"),
    [
        ("Cây cầu mới dài bao nhiêu?", "km"),
        ("cay cau moi dai bao nhieu", "km"),  # typed without diacritics
        ("Tỷ lệ hộ nghèo của xã là bao nhiêu?", "%"),
        ("Giá xăng tăng bao nhiêu %?", "%"),
        ("Khu đô thị có diện tích bao nhiêu?", "ha"),
        ("Nhà máy điện có công suất bao nhiêu?", "MW"),
        ("Lễ hội kéo dài bao lâu?", "ngày"),  # `kéo dài bao lâu` is a time, not a length
        ("Khu công nghiệp cách cảng bao xa?", "km"),
        ("What percentage of students passed?", "%"),
        ("Chiếc cối đá nặng bao nhiêu?", "kg"),
        ("Đường kính miệng giếng cổ Sơn Lâm là bao nhiêu?", "m"),
        ("Bán kính vùng cấm bay là bao nhiêu?", "km"),
        ("Lượng mưa đêm qua là bao nhiêu?", "mm"),
        ("Trang trại gió Sơn Lâm sản xuất bao nhiêu điện trong một năm?", "kWh"),  # energy, not power
        ("Sản lượng điện của thủy điện Đông Phú đạt bao nhiêu?", "GWh"),
        ("How much electricity does the Son Lam wind farm generate a year?", "MWh"),
        ("Cửa hàng ở Đông Phú bán được bao nhiêu điện thoại?", None),  # `điện` opens `điện thoại`
        ("Cua hang o Dong Phu ban duoc bao nhieu dien thoai?", None),  # … typed without diacritics
        ("Nhiệt độ không khí trên đỉnh Sơn Lâm là bao nhiêu?", "độ C"),  # a word the cue opens is a kind of it
        ("How much does the stone mortar weigh?", "tấn"),
        ("Bao nhiêu phần trăm xã viên dùng nước giếng khoan?", "%"),
        ("Xe khách chạy với vận tốc bao nhiêu?", "km/h"),
        ("Tốc độ tăng trưởng kinh tế của tỉnh là bao nhiêu?", "%"),  # a rate of growth
        ("Tốc độ mạng 5G đạt bao nhiêu?", "Mbps"),
        ("How fast can the new ferry travel?", "km/h"),
        ("What was the average poverty rate of the district?", "%"),  # a rate, in %
        ("What is the average yield of the coffee farms?", "tấn"),  # a crop's yield: `2,8 tấn/ha`
        ("How many hectares of coffee did the frost damage?", "ha"),  # a unit counted
        ("How many square kilometres does the reserve cover?", "km2"),  # an area, not a length
        ("How many tonnes of fish were caught?", "tấn"),
        ("How much does a farmer save per hectare?", None),  # a rate, not an area
        ("Lễ hội kéo dài bao nhiêu ngày?", None),  # `kéo dài`: how long it lasts
        ("Dự án mở rộng bao nhiêu?", None),
        ("Có bao nhiêu người tham dự?", None),
    ],
)
def test_the_measure_a_question_names_asks_for_its_units(question, unit):
    units = asked_measure(question)
    assert (unit in units) if unit else units == ()


@pytest.mark.parametrize(
    ("question", "dimension"),
    [
        ("Cây cầu dài bao nhiêu?", "dài"),
        ("Cay cau dai bao nhieu met?", "dài"),
        ("Ngọn tháp có chiều cao bao nhiêu?", "cao"),
        ("Giếng khoan sâu khoảng bao nhiêu mét?", "sâu"),
        ("Luồng tàu được nạo vét tới độ sâu bao nhiêu?", "sâu"),
        ("Sân bóng rộng bao nhiêu mét vuông?", "rộng"),
        ("Lễ hội kéo dài bao nhiêu ngày?", None),  # how long it lasts
        ("Khu công nghiệp được mở rộng bao nhiêu ha?", None),
        ("Ket qua co sau bao nhieu ngay?", None),  # typed without diacritics, `sau` is "after"
        ("How long is the new bridge?", None),
        ("Có bao nhiêu người tham dự?", None),
    ],
)
def test_the_dimension_a_question_asks_a_size_in(question, dimension):
    assert asked_dimension(question) == dimension


def test_the_office_asked_for_a_deputy_s_its_own():
    assert asked_office("Ai là Giám đốc Sở Du lịch tỉnh Khánh Hòa?") == "giam doc"
    assert asked_office("Ai là Tổng Giám đốc tập đoàn?") == "tong giam doc"
    assert asked_office("Ai là Phó Chủ tịch UBND tỉnh?") == "pho chu tich"
    assert asked_office("Chi cục trưởng ở Đông Phú là ai?") == "chi cuc truong"  # not `cục trưởng`
    assert asked_office("Phó Cục trưởng ở Đông Phú là ai?") == "pho cuc truong"
    assert asked_office("Trưởng phòng kỹ thuật Đông Phú là ai?") == "truong phong"
    assert asked_office("Ai dẫn đầu đoàn?") is None
    assert asked_office("Who is the Director of the provincial Department of Health?") == "giam doc"
    assert asked_office("Who is the Vice Chairman of the city People's Committee?") == "pho chu tich"
    assert asked_office("Who led the delegation?") is None


@pytest.mark.parametrize(
    ("office", "sentence", "another"),
    [
        ("giam doc", "Bà Lê Hạ Vy, Phó Giám đốc trại giống Đông Phú, cho biết …", True),  # only the deputy
        ("pho giam doc", "Ông Trần Khải Đông, Giám đốc trại giống Đông Phú, cho biết …", True),  # only the director
        ("giam doc", "Giám đốc Trần Khải Đông và Phó Giám đốc Lê Hạ Vy dự lễ.", False),  # both
        ("giam doc", "Ông Trần Khải Đông, Phó Chủ tịch xã Đông Phú, dự lễ.", False),  # another office
        ("giam doc", "Phó Tổng Giám đốc Lê Hạ Vy dự lễ.", False),  # `tổng giám đốc` is another
        ("giam doc", "Ông Trần Khải Đông cho biết …", False),  # none
    ],
)
def test_only_the_other_rank_of_the_office_asked(office, sentence, another):
    assert says_another_rank_of_office(office, offices_said(sentence)) is another


def test_hyphenated_foreign_names_are_one_name():
    sentence = "Phó Hiệu trưởng Park Seung-ho và ông Khăm Phăn dự lễ."

    assert texts(sentence, AnswerType.PERSON) == ["Park Seung-ho"]


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("Sơn Lâm có mấy huy chương bạc?", (("huy chương bạc", "huy chương vàng", "huy chương đồng"),)),
        ("Kim ngach nhap khau dat bao nhieu?", (("nhập khẩu", "xuất khẩu"),)),  # typed without diacritics
        ("Kim ngạch xuất nhập khẩu đạt bao nhiêu?", ()),  # both asked
        ("Giải thưởng trị giá bao nhiêu?", ()),
        ("Chiếc thuyền nhỏ nhất dài bao nhiêu?", (("nhỏ nhất", "lớn nhất"),)),  # an end of a scale
        ("Thuyen nho nhat dai bao nhieu?", (("nhỏ nhất", "lớn nhất"),)),
        ("Giá vé giảm bao nhiêu?", (("giảm", "tăng"),)),
        ("Vào giờ thấp điểm, xe chạy mấy phút một chuyến?", (("thấp điểm", "cao điểm"),)),
        ("Trận bán kết diễn ra ở đâu?", (("bán kết", "tứ kết", "chung kết"),)),
        ("Giam doc so la ai?", ()),  # folded, one syllable is no alternative: `giám đốc`, not `giảm`
    ],
)
def test_the_alternative_asked_comes_first(question, asked):
    assert asked_alternatives(question) == asked


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("Tháng 8/2025, xã thu 5 tỷ đồng.", {8}),
        ("Từ tháng 2 đến hết tháng 5/2025, …", {2, 3, 4, 5}),
        ("Trong tháng 2–4, …", {2, 3, 4}),
        ("Trong quý II/2025, …", {4, 5, 6}),
        ("Trong quy 3 nam 2024, …", {7, 8, 9}),  # typed without diacritics
        ("6 tháng đầu năm 2025, …", set(range(1, 7))),
        ("9 tháng năm 2025, …", set(range(1, 10))),
        ("3 tháng cuối năm, …", {10, 11, 12}),
        ("Nửa đầu năm, …", set(range(1, 7))),
        ("Ngày 20/8/2025, …", set()),  # a day
        ("Kéo dài 3 tháng, đến tháng 13 …", set()),  # a length of time; no month 13
        ("Đảo Phú Quý có tháng 8 đến 2.000 khách.", {8}),  # no range to 2,000
    ],
)
def test_the_months_a_text_names(text, months):
    assert months_named(text) == months


def test_no_count_or_measure_is_read_inside_a_date():
    sentence = "Ngày 3 tháng 4 năm 1975, đoàn đi bộ 12 ngày, đến tháng 11 năm 1976 mới về, 9 người trở lại."
    assert texts(sentence, AnswerType.MEASURE) == texts(sentence, AnswerType.NUMBER) == ["12", "9 người"]
    assert texts("Từ ngày 5 đến 8/6, 40 thành viên đoàn sang thăm.", AnswerType.NUMBER) == ["40"]


def test_a_day_and_a_month_as_dates_write_them():
    sentence = "Tỉnh xếp thứ 21/63, tăng hai bậc, công bố ngày 14/7 và ngày 31 tháng 12."
    assert texts(sentence, AnswerType.DAY) == ["ngày 14/7", "ngày 31 tháng 12"]
    assert texts("Sơn Lâm xếp thứ 21/63 cả nước.", AnswerType.DAY) == []


def test_a_month_asked_is_answered_with_its_word():
    assert texts("Cầu dự kiến thông xe vào tháng 9, sớm hơn kế hoạch.", AnswerType.DATE, "Cầu thông xe tháng mấy?") == [
        "tháng 9"
    ]


@pytest.mark.parametrize(
    ("question", "denied"),
    [
        ("Loại vé nào không được hoàn tiền?", ("hoàn", "tiền")),
        ("Những gì không phải là thành phần của món ăn?", ("thành", "phần")),  # past `phải là`
        ("Mặt hàng nào chưa bán được ở chợ?", ("bán",)),  # `được` links, ends it
        ("Khu nào không được bao gồm trong dự án?", ("bao", "gồm")),  # `bao gồm`, no `bao nhiêu`
        ("Ai không bao giờ vắng mặt?", ("vắng", "mặt")),
        ("Loai ve nao khong hoan tien?", ("hoan", "tien")),  # typed without diacritics: folded
        ("Ông có đồng ý hay không?", ()),  # yes or no
        ("Dự án đã xong chưa?", ()),
        ("Hãng hàng không nào mở đường bay?", ()),  # `hàng không`, aviation
        ("Không có gì thay đổi sao?", ()),  # a question word right after
        ("Chua Mot Cot o dau?", ()),  # `chua` typed without diacritics may be `chùa`
    ],
)
def test_what_a_question_denies(question, denied):
    assert negated_words(question) == denied


def test_a_sentence_that_says_no():
    assert says_no("Vé ngày lễ không được hoàn tiền.") and says_no("Trẻ em được miễn vé.")
    assert not says_no("Hãng hàng không hoàn tiền vé ngày lễ.")
    assert says_no("Ve ngay le khong hoan tien.", accented=False)
    assert says_words("Vé ngày thường được hoàn tiền.", ("hoàn", "tiền"))
    assert not says_words("Vé được hoàn lại tiền.", ("hoàn", "tiền"))  # the words in a row
    assert says_words("Vé được hoàn tiền.", ("hoan", "tien"), accented=False)


@pytest.mark.parametrize(
    ("text", "numbered"),
    [
        ("Đoàn đi qua 3 cây cầu và ba con sông.", {("cây", "3", False), ("con", "3", False)}),
        ("Tuyến thứ hai của dự án dài 12 km.", {("tuyến", "2", True), ("km", "12", False)}),
        ("Trong 6 tháng, xã có 1.200 hộ mới.", {("tháng", "6", False), ("hộ", "1200", False)}),  # a count of months too
        ("Năm 2024, ngày 8/4, tỷ số 2-3, 5% vốn.", set()),
        ("Có hai mươi ba người và 2,5 triệu khách.", {("người", "2 mươi 3", False), ("khách", "25 triệu", False)}),
        ("Đội có một người và năm nay thêm hai.", set()),  # `một`, `năm`: "a", "year"; a count needs a noun
        ("Mạng 5G phủ 20 xã, đội U16 có 18 cầu thủ.", {("xã", "20", False), ("cầu", "18", False)}),  # codes
        ("Xa co 3 cay cau va ba con song.", {("cay", "3", False)}),  # without diacritics: digits only
        ("Xa don 2,5 trieu khach.", {("khach", "25 trieu", False)}),  # … and magnitudes, folded
    ],
)
def test_the_things_a_text_counts_or_numbers(text, numbered):
    assert numbers_of_things(text, accented=text[0] != "X") == numbered


def test_a_text_that_counts_a_thing_only_by_another_number():
    question = "Ai xây 3 cây cầu qua sông?"
    assert counts_otherwise(question, "Công ty Sơn Lâm xây 4 cây cầu qua sông.")
    assert not counts_otherwise(question, "Công ty Sơn Lâm xây ba cây cầu, trong đó 2 cây cầu treo.")  # 3 too
    assert not counts_otherwise(question, "Công ty Sơn Lâm xây cầu qua sông.")  # it counts none
    scene = "Đoàn còn 9 km nữa."  # the sentence before may set the scene
    assert counts_otherwise("Đoàn đi 9 km cuối mất bao lâu?", "Ở 5 km tiếp theo, đoàn đi chậm lại.")
    assert not counts_otherwise("Đoàn đi 9 km cuối mất bao lâu?", "Ở 5 km tiếp theo, đoàn đi chậm lại.", scene)
    assert counts_otherwise("Tuyến thứ hai đi qua đâu?", "Tuyến thứ nhất đi qua xã Đông Phú, tuyến thứ 3 qua xã Tây.")
    assert not counts_otherwise("Tuyến thứ hai đi qua đâu?", "Tuyến 2 đi qua xã Đông Phú.")  # a count is no ordinal
    assert counts_otherwise("Đợt tập huấn thứ hai có bao nhiêu người?", "Đợt tập huấn đầu tiên có 40 người.")
    # asked, `đầu tiên` is mostly "the first to …", which the sentence may number otherwise
    assert not counts_otherwise("Ai là người chèo thuyền đầu tiên về đích?", "Người chèo thuyền thứ ba về đích là An.")


def test_the_first_written_in_words_is_read_as_an_ordinal_when_asked_for():
    text = "Đợt tập huấn đầu tiên và lớp thứ nhất có 40 người."
    assert numbers_of_things(text, firsts=True) == {("huấn", "1", True), ("lớp", "1", True), ("người", "40", False)}
    assert numbers_of_things(text) == {("người", "40", False)}
    assert numbers_of_things("Thứ nhất, đợt đầu tiên …", firsts=True) == {("đợt", "1", True)}  # a word before it


@pytest.mark.parametrize("question", ["Tàu chở hàng đi trên con sông nào?", "Hãng hàng không nào mở đường bay mới?"])
def test_a_question_without_its_cue_keeps_its_words_whole(question):
    left = without_cue(question).split()
    # no `s` left of `sông`, no `kh` of `không`
    assert left and all(word in question.rstrip("?").split() for word in left)
