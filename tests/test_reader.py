"""The reader's parts, each on made-up sentences: scoring, captions and credits, the short-answer
checks, choosing what to quote, the evidence and the model file. Fast: no encoder, no index."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime

import numpy as np
import pytest

from qa import answering
from qa.compounds import split_words, whole_words
from qa.corpus.dates import VIETNAM_TIME as VIETNAM
from qa.errors import ModelFileError
from qa.lexicon import TermWeights, named_entities
from qa.question import (
    AnswerType,
    QuestionAnalysis,
    asked_body,
    asked_rate,
    asks_ordinal,
    counted_noun,
    counts_money,
    counts_otherwise,
    expected_answer_type,
    organisation_kinds,
    words_of_a_body,
)
from qa.reader import (
    ANOTHER_ALTERNATIVE,
    ANOTHER_OFFICE,
    NEGATION_AFFIRMED,
    NO_FIGURE,
    OTHER_COUNT,
    Reader,
    SentenceScorer,
    counts_another_number,
    gives_no_figure,
    says_another_alternative,
    says_what_is_denied,
    titles_another_office,
)
from qa.reader.candidates import ScoredSentence, asks_about_credits
from qa.reader.choose import (
    best_quotable,
    choose,
    is_dateline,
    opens_with_pronoun,
    past_the_dateline,
    supported,
    typed_runner_up,
    with_antecedent,
)
from qa.reader.evidence import Evidence, question_names
from qa.reader.excerpt import clauses, excerpt
from qa.reader.model import MODEL_FILE, AnswerabilityModel
from qa.reader.ranker import RANKER_FILE
from qa.reader.short_answer import (
    Asked,
    a_time_of_day,
    changed_from,
    counts,
    distance,
    given_for_another_year,
    given_per,
    is_a_score,
    lead_sentence,
    numbered_things,
    offices_titled,
    other_office,
    said_as_bound,
    said_before,
    title_body,
    with_unit,
)
from qa.spans import Span, bare_day
from qa.types import Passage

VECTOR = np.zeros(4, dtype=np.float32)


def passage(article: str = "a1", chunk: str = "a1#0", text: str = "", rank_score: float = 0.5) -> Passage:
    return Passage(chunk_id=chunk, article_id=article, title="Tin thử", url=None, published=None, text=text,
                   score=rank_score)


def sentence(text: str, score: float = 0.5, article: str = "a1", start: int = 0,
             previous: str = "") -> ScoredSentence:
    return ScoredSentence(0, passage(article, f"{article}#0"), text, start, score, score, 0.0, previous)


def span_of(text: str, part: str) -> Span:
    start = text.index(part)
    return Span(start, start + len(part), part)


# --- candidates ----------------------------------------------------------------------------------

class _Sentence:
    def __init__(self, text: str, start: int) -> None:
        self.text, self.start, self.vector = text, start, VECTOR


WEIGHTS = TermWeights({"hai": 2, "ba": 2, "mot": 2, "cau": 9}, 10)


def test_a_sentence_shared_by_overlapping_passages_is_scored_once_under_the_better_rank():
    first, second = passage("a1", "a1#0"), passage("a1", "a1#1")
    sentences = {
        "a1#0": [_Sentence("Câu một.", 0), _Sentence("Câu hai.", 9)],
        "a1#1": [_Sentence("Câu hai.", 9), _Sentence("Câu ba.", 18)],
    }
    scored = SentenceScorer(WEIGHTS).score("Câu ba?", VECTOR, [first, second], sentences.__getitem__)
    assert sorted((s.text, s.passage_rank) for s in scored) == [("Câu ba.", 1), ("Câu hai.", 0), ("Câu một.", 0)]
    assert scored[0].text == "Câu ba." and scored[0].previous == "Câu hai."  # the words asked outweigh the rank
    assert [s.score for s in scored] == sorted((s.score for s in scored), reverse=True)


def test_a_sentence_that_asks_is_no_candidate_but_the_next_reads_it_as_before():
    sentences = {"a1#0": [_Sentence("Vì sao câu ba khó?", 0), _Sentence("Câu ba dài.", 20),
                          _Sentence("“Câu hai thì sao?”", 32)]}
    scored = SentenceScorer(WEIGHTS).score("Vì sao câu ba khó?", VECTOR, [passage()], sentences.__getitem__)
    assert [(s.text, s.previous) for s in scored] == [("Câu ba dài.", "Vì sao câu ba khó?")]


def test_a_sentence_holding_the_kind_asked_for_gains_the_typed_weight():
    sentences = {"a1#0": [_Sentence("Có ba cây.", 0), _Sentence("Câu hai.", 30)]}
    question = "Câu hai có bao nhiêu cây?"
    asked = Asked.of(question, AnswerType.NUMBER)
    assert asked.holds("Có ba cây.") and not asked.holds("Câu hai.")

    def top(weight: float) -> str:
        scorer = SentenceScorer(WEIGHTS, typed_weight=weight)
        return scorer.score(question, VECTOR, [passage()], sentences.__getitem__, asked.holds)[0].text

    assert top(0.0) == "Câu hai."  # it holds the rarer word asked
    assert top(1.0) == "Có ba cây."
    untyped = SentenceScorer(WEIGHTS, typed_weight=1.0).score(question, VECTOR, [passage()], sentences.__getitem__)
    assert untyped[0].text == "Câu hai."  # no kind asked: no weight


def test_credits_are_left_out_of_the_quote_and_a_credit_line_is_a_caption():
    prose = sentence("Hai tỉnh ký biên bản hợp tác về du lịch (Ảnh: Minh Anh).")
    assert prose.quote == "Hai tỉnh ký biên bản hợp tác về du lịch."
    assert prose.is_caption  # a short line closed by a credit
    long_prose = sentence("Theo kế hoạch, " + "các bên sẽ phối hợp tổ chức hoạt động giao lưu, " * 4 + "(Nguồn: Sở)")
    assert not long_prose.is_caption
    assert not sentence("Hội nghị diễn ra tại thành phố (cũ) vào sáng nay.").is_caption


def test_credits_stay_when_the_question_asks_about_the_photo_or_source():
    assert asks_about_credits("Ảnh về lễ ký kết là của tác giả nào?")
    assert not asks_about_credits("Cơn bão ảnh hưởng tới những tỉnh nào?")


# --- the short answer's checks -------------------------------------------------------------------

def test_a_number_must_count_the_noun_asked_about():
    text = "Năm 2023, trường trao 45 suất học bổng cho 12 học sinh."
    assert counts(text, span_of(text, "45"), "suat")
    assert not counts(text, span_of(text, "12"), "suat")
    percent = "Tỷ lệ tăng 15% so với cùng kỳ."
    assert counts(percent, span_of(percent, "15%"), "phan")
    share = "Xã đã cấp 40% hồ sơ, tức 120 hồ sơ."
    assert not counts(share, span_of(share, "40%"), "ho") and counts(share, span_of(share, "120"), "ho")
    days = "Hội chợ Sơn Lâm mở cửa ngày 21 tháng 9 và kéo dài 5 ngày."
    assert counts(days, span_of(days, "5"), "ngay") and not counts(days, span_of(days, "21"), "ngay")
    # The noun is the number's in its own clause only, and one before it not when a unit follows.
    clause = "Ở nội dung súng ngắn 2 tư thế, xạ thủ Lê Văn Sơn giành huy chương vàng."
    assert not counts(clause, span_of(clause, "2"), "xa")
    age = "Kỳ thủ 12 tuổi Trần Đông Phú thắng cả 9 ván trước 380 kỳ thủ khác."
    assert not counts(age, span_of(age, "12"), "ky") and counts(age, span_of(age, "380"), "ky")
    rank = "Đội Sơn Lâm giành vị trí 4."
    assert counts(rank, span_of(rank, "4"), "tri")


def test_an_ordinal_asked_is_answered_by_the_number_after_its_noun():
    question = "Đội khách ghi bàn ở phút thứ mấy?"
    assert counted_noun(question) == "phut" and asks_ordinal(question)
    assert not asks_ordinal("Có bao nhiêu phút bù giờ?")
    text = "Sau 120 phút thi đấu, bàn thắng duy nhất đến ở phút 57."
    assert counts(text, span_of(text, "57"), "phut", ordinal=True)
    assert not counts(text, span_of(text, "120"), "phut", ordinal=True)
    assert Asked.of(question, AnswerType.NUMBER).fitting_spans(text) == [span_of(text, "57")]


def test_a_time_of_day_is_no_length_of_time():
    text = "Tàu rời cảng Sơn Lâm lúc 13 giờ và cập đảo Đông Phú sau 2 giờ 30 phút; chuyến về khởi hành 7 giờ sáng."
    assert a_time_of_day(text, span_of(text, "13")) and a_time_of_day(text, span_of(text, "7"))
    assert not a_time_of_day(text, span_of(text, "2"))
    evening = "Buổi hòa nhạc mở màn 8 giờ 15 phút tối và kéo dài 2 giờ 10 phút."
    assert a_time_of_day(evening, span_of(evening, "8")) and not a_time_of_day(evening, span_of(evening, "2"))
    asked = Asked.of("Tàu đi từ cảng Sơn Lâm ra đảo Đông Phú mất bao lâu?", AnswerType.NUMBER)
    assert asked.fitting_spans(text) == [span_of(text, "2")]


def test_a_figure_said_of_another_administrative_unit_does_not_answer():
    asked = Asked.of("Sau quý III, huyện Bình Sơn khoan được bao nhiêu giếng nước?", AnswerType.NUMBER)
    assert asked.places == ((2, "Bình Sơn"),)
    wider = "Sau quý III, tỉnh Sơn Lâm khoan được 820 giếng nước trong số 900 giếng dự kiến."
    whole = "Cư dân trong tỉnh khoan xong 820 giếng nước, bằng 90% chỉ tiêu 910 giếng."
    beside = "Đã có 820 giếng nước khoan xong ở huyện Đông Phú."
    assert asked.fitting_spans(wider) == asked.fitting_spans(whole) == asked.fitting_spans(beside) == []
    # The unit asked, by name or whole, or within a sentence that names it, answers.
    for said in (
        "Sau quý III, huyện Bình Sơn khoan được 820 giếng nước.",
        "Toàn huyện khoan được 820 giếng nước.",
        "Toàn tỉnh khoan 1.300 giếng nước, huyện Bình Sơn 820 giếng.",
        "Tại xã Hòa Phú, huyện Bình Sơn, tỉnh Sơn Lâm có 820 giếng nước mới.",
    ):
        assert span_of(said, "820") in asked.fitting_spans(said)
    # A unit the question names without its kind is no other.
    of_the_province = Asked.of("Huyện Bình Sơn của Sơn Lâm khoan bao nhiêu giếng nước?", AnswerType.NUMBER)
    assert span_of(wider, "820") in of_the_province.fitting_spans(wider)
    assert Asked.of("Tinh Son Lam khoan bao nhieu gieng nuoc?", AnswerType.NUMBER).places == ()


def test_an_amount_given_per_a_thing_counts_none():
    text = "Mỗi nhóm nhận 15 triệu đồng cho mỗi chiếc thuyền đóng thêm; làng đã đóng thêm 25 chiếc thuyền."
    assert not counts(text, span_of(text, "15 triệu đồng"), "chiec") and counts(text, span_of(text, "25"), "chiec")
    asked = Asked.of("Làng đã đóng thêm bao nhiêu chiếc thuyền?", AnswerType.NUMBER)
    assert asked.fitting_spans(text) == [span_of(text, "25")]


def test_an_amount_of_electricity_asked_is_one_in_units_of_energy():
    text = "Trang trại gió Sơn Lâm rộng 95 ha, mỗi năm hòa vào lưới điện khoảng 120 triệu kWh."
    asked = Asked.of("Trang trại gió Sơn Lâm đóng góp bao nhiêu điện?", AnswerType.NUMBER)
    assert asked.fitting_spans(text) == [span_of(text, "120 triệu")]


def test_a_count_of_people_is_read_again_as_a_count_of_anything_only_when_nobody_is_counted_as_people():
    asked = Asked.of("Chuyến phà đầu tiên chở bao nhiêu người?", AnswerType.NUMBER)
    text = "Chuyến phà đầu tiên chở 214 hành khách và 40 xe máy, dài 60 m."
    assert asked.paraphrasable and asked.fitting_spans(text) == []
    assert asked.as_count_of_things().fitting_spans(text) == [span_of(text, "214"), span_of(text, "40")]
    assert not Asked.of("Chuyến phà có bao nhiêu xe máy?", AnswerType.NUMBER).paraphrasable
    # … though not by a count of places, bodies or things: those are no people.
    text = "Xã Sơn Lâm di dời 930 hộ dân, gồm 2.140 nhân khẩu, bằng 36 chuyến xe."
    assert asked.as_count_of_things().fitting_spans(text) == [span_of(text, "2.140")]
    trips = Asked.of("Mùa lễ, phà Sơn Lâm chở mấy lượt khách?", AnswerType.NUMBER).as_count_of_things()
    assert trips.fitting_spans(text) == [span_of(text, "2.140")]
    times = Asked.of("Phà chạy bao nhiêu lần?", AnswerType.NUMBER).as_count_of_things()
    assert times.fitting_spans(text) == [span_of(text, "930"), span_of(text, "2.140"), span_of(text, "36")]


def test_a_figure_given_for_another_year_answers_no_other():
    text = "Xã Sơn Lâm đặt mục tiêu nâng doanh thu từ 12 tỷ đồng năm 2023 lên 30 tỷ đồng vào năm 2027."
    asked = Asked.of("Năm 2023, doanh thu của xã Sơn Lâm là bao nhiêu?", AnswerType.NUMBER)
    assert asked.fitting_spans(text) == [span_of(text, "12 tỷ đồng")]
    later = Asked.of("Doanh thu xã Sơn Lâm trong năm 2027 sẽ đạt mức nào?", AnswerType.NUMBER)
    assert later.fitting_spans(text) == [span_of(text, "30 tỷ đồng")]
    said = "Giá lúa đạt 8.200 đồng/kg năm 2024, tăng 5% so với năm 2023."
    assert given_for_another_year(said, span_of(said, "8.200"), "nam 2023 gia lua la bao nhieu")
    assert not given_for_another_year(said, span_of(said, "5%"), "nam 2024 gia lua tang bao nhieu")


def test_a_score_answers_no_count():
    text = "Đội Sơn Lâm thắng 21–15, 21–18 trước 2.300 khán giả, 12–14 cổ động viên mỗi xe."
    asked = Asked.of("Mấy lượt khán giả tới sân Sơn Lâm?", AnswerType.NUMBER).as_count_of_things()
    assert asked.fitting_spans(text) == [span_of(text, "2.300"), span_of(text, "12–14")]

    def score(sentence: str, pair: str) -> bool:
        return is_a_score(sentence, span_of(sentence, pair))

    assert score("Đội A thắng 21–15.", "21–15") and score("Thắng 4 - 3.", "4 - 3") and score("Hai đội hòa 2–2.", "2–2")
    assert score("Đội Sơn Lâm thắng tỷ số 2–0 (11–7, 9–11 rồi 11–8).", "9–11")
    assert not score("Mỗi xe chở 5–7 người.", "5–7") and not score("Xã Tân Hòa có 12–15 hộ.", "12–15")
    assert not score("Sau tỷ số đó, 30 người đến, 5–7 mỗi ngày.", "5–7")

    analysis = QuestionAnalysis.of("Chuyến phà đầu tiên chở bao nhiêu người?")
    texts = ["Chuyến phà đầu tiên rời bến lúc 6 giờ với 214 hành khách.", "Trên phà còn có 5 người của ban quản lý."]
    by_people = _reader().decide(analysis, VECTOR, [passage()], _sentences_of(texts))
    assert by_people.composed.short_answer == "5 người"  # a count by the noun asked, wherever quoted, comes first
    by_others = _reader().decide(analysis, VECTOR, [passage()], _sentences_of(texts[:1]))
    assert by_others.composed.short_answer == "214 hành khách" and by_others.evidence.no_subject_span == 0.0


def test_an_english_name_is_split_by_the_english_words_in_it():
    weights = TermWeights({w: 1 for w in ("bao", "son", "park", "festival", "tay", "hoa")}, 10)
    analysis = QuestionAnalysis.of("How many guests visited Bao Son Flower Park during the Tay Hoa Festival?")
    # `Flower` is unknown to the corpus; `Park` and `Festival` are known (an article quotes an English
    # name) but no Vietnamese syllable: the article writes the rest in Vietnamese.
    assert question_names(analysis, weights) == ["Bao Son", "Tay Hoa"]
    vietnamese = "Bao nhiêu khách đến Bảo Sơn Park Hotel?"  # a Vietnamese question's names stay as found
    assert question_names(QuestionAnalysis.of(vietnamese), weights) == named_entities(vietnamese)
    dated = QuestionAnalysis.of("How many guests visited Bao Son on 2 May 2025?")
    may = TermWeights({w: 1 for w in ("bao", "son", "may")}, 10)  # `may` is a Vietnamese syllable too
    assert question_names(dated, may) == ["Bao Son"]  # a month is no name


def test_an_english_question_counts_no_vietnamese_noun():
    # `may` is a month or a verb in English, not `mấy` typed without diacritics.
    for question in ("How many guests came to the May Flower Fair?", "How many people may attend the fair?"):
        assert counted_noun(question) is None and not asks_ordinal(question), question
    text = "Ban tổ chức đã đón 900 khách quốc tế."
    assert Asked.of("How many guests came to the May Flower Fair?", AnswerType.NUMBER).fits(text, span_of(text, "900"))


def test_typed_without_diacritics_bao_nhieu_is_the_cue_before_may():
    # `may` is also a word of names (`May Bình An`, a garment works): `bao nhieu` says what is counted.
    assert counted_noun("Xuong May Binh An can them bao nhieu tho?") == "tho"
    assert counted_noun("Doi bong da vo dich may lan?") == "lan"


def test_a_count_of_things_is_no_amount_of_money_where_money_words_come_later():
    asked = Asked.of("Bao nhiêu hộ được nhận tiền hỗ trợ sau bão?", AnswerType.NUMBER)
    text = "Xã đã chi 2 tỷ đồng cho 340 hộ bị ngập."
    assert not asked.money and asked.fitting_spans(text) == [span_of(text, "340")]
    for amount in ("Vốn làm cây cầu mới là bao nhiêu tỷ đồng?", "Kinh phí làm cầu là bao nhiêu?"):
        assert Asked.of(amount, AnswerType.NUMBER).money, amount
    assert counts_money(None) and counts_money("ty") and not counts_money("ho")


def test_an_amount_asked_per_year_is_one_given_per_year():
    question = "Tiền thuê mỗi gian hàng là bao nhiêu một năm?"
    assert asked_rate(question) == "nam" and counted_noun(question) is None
    assert asked_rate("Công ty chở bao nhiêu hàng trong năm đầu?") is None
    text = "Tiền thuê gian hàng là 7.500 USD/năm; chợ còn được rót 2 triệu USD để sửa mái."
    assert given_per(text, span_of(text, "7.500"), "nam") and not given_per(text, span_of(text, "2 triệu"), "nam")
    monthly = "Mỗi người nhận 3 triệu đồng mỗi tháng."
    assert given_per(monthly, span_of(monthly, "3 triệu"), "thang")
    assert Asked.of(question, AnswerType.NUMBER).fitting_spans(text) == [span_of(text, "7.500")]


SHARE = "Bao nhiêu phần trăm tiểu thương còn thu tiền mặt?"


@pytest.mark.parametrize(
    ("question", "text", "fitting", "unfitting"),
    [
        ("Cây cầu dài bao nhiêu?", "Cây cầu có 18 nhịp, dài 2,4 km.", "2,4 km", "18"),
        ("Tỷ lệ hồ sơ đúng hạn là bao nhiêu?", "Đã giải quyết 3.200 hồ sơ, đạt 87,5% đúng hạn.", "87,5%", "3.200"),
        ("Chiếc cối đá nặng bao nhiêu?", "Chiếc cối cao 1,1 m, nặng 2 tấn.", "2 tấn", "1,1 m"),
        # A share is no count of parts (`1.200 tiểu thương, phần lớn` counts no `phần`) …
        (SHARE, "Chợ có 1.200 tiểu thương, phần lớn thu tiền mặt; 35% đã dùng mã QR.", "35%", "1.200"),
        # … nor an amount of money, though the question names money too.
        (SHARE, "Mỗi ngày chợ thu 800 triệu đồng, phần lớn bằng tiền mặt.", None, "800 triệu đồng"),
        (
            "Tỷ lệ giải ngân vốn của huyện Sơn Lâm là bao nhiêu?",
            "Huyện Sơn Lâm đã giải ngân 120 tỷ đồng vốn, đạt 62% kế hoạch.",
            "62%",
            "120 tỷ đồng",
        ),
        ("Nhiệt độ thấp nhất là bao nhiêu?", "Suốt 3 ngày, nhiệt độ xuống còn 2 độ C.", "2 độ C", "3"),
        ("Khối lượng đất đá sạt xuống là bao nhiêu?", "Mưa 180 mm làm 9.000 m³ đất đá sạt xuống.", "9.000 m³", "180"),
        ("Bị cáo lãnh mức án bao nhiêu?", "Bị cáo 45 tuổi lãnh 7 năm tù.", "7 năm", "45"),
        # Money counted is an amount, with its currency: not the `tư` ("four") of `đầu tư`.
        ("Con đường cần bao nhiêu vốn?", "Con đường 4 làn xe được rót 1.250 tỷ đồng.", "1.250", "4"),
        # … and so is a currency counted.
        ("Nhóm buôn lậu mang theo bao nhiêu đô la?", "Nhóm 3 người giấu 52.000 USD trong ba lô.", "52.000 USD", "3"),
        # A speed, as a vehicle or a network has one.
        ("Đoàn tàu chạy với vận tốc bao nhiêu?", "Đoàn tàu 6 toa chạy 160 km/h.", "160", "6"),
        ("Tốc độ tải xuống của gói cước là bao nhiêu?", "Gói cước 2 tháng cho tốc độ 300 Mbps.", "300", "2"),
        # A unit asked in two words, written in them or as its symbol.
        ("Xe phải chạy thêm bao nhiêu cây số?", "Đoàn 12 xe phải chạy vòng thêm 38 km.", "38 km", "12"),
        ("Xe phải chạy thêm bao nhiêu cây số?", "Đoàn 12 xe phải chạy vòng thêm 38 cây số.", "38", "12"),
        # … and only after its number: `Km 74` is a place on a road.
        ("Xe phải chạy thêm bao nhiêu cây số?", "Sạt lở ở Km 74 buộc xe chạy vòng thêm 38 km.", "38 km", "74"),
        # An area asked by one spelling and written in another.
        ("Khu bảo tồn rộng bao nhiêu km2?", "Khu bảo tồn có 3 phân khu, rộng 1.200 km vuông.", "1.200 km vuông", "3"),
        ("Nhà kho rộng bao nhiêu mét vuông?", "Nhà kho 2 tầng rộng 800 m².", "800", "2"),
        # A dimension asked is not answered by a number said to be another, however it is asked.
        ("Bến cảng dài bao nhiêu mét?", "Bến cảng dài 320 m, rộng 25 m.", "320 m", "25 m"),
        ("Ben cang dai bao nhieu met?", "Bến cảng dài 320 m, rộng 25 m.", "320 m", "25 m"),
        ("Tháp nước cao bao nhiêu?", "Tháp nước có chiều rộng 8 m và cao khoảng 36 m.", "36 m", "8 m"),
        ("Hồ chứa có độ sâu bao nhiêu?", "Hồ chứa dài hơn 2 km, sâu tới 18 m.", "18 m", "2 km"),
        ("Con kênh rộng bao nhiêu mét?", "Con kênh được mở rộng 6 m, có chiều dài 4 km.", None, "4 km"),
    ],
)
def test_a_measure_asked_is_answered_by_a_number_in_its_units(question, text, fitting, unfitting):
    asked = Asked.of(question, AnswerType.NUMBER)
    if fitting is not None:
        assert asked.fits(text, span_of(text, fitting))
    assert not asked.fits(text, span_of(text, unfitting))


@pytest.mark.parametrize(
    ("question", "text", "fitting", "unfitting"),
    [
        # An English count of things is no length, weight or sum of money …
        ("How many bridges does the Son Lam road have?", "Con đường dài 2.150 m, có 17 cầu.", "17", "2.150"),
        ("How many families received rice?", "Xã cấp 40 tấn gạo cho 215 hộ dân.", "215", "40"),
        ("How many schools were built?", "Tỉnh chi 64 tỷ đồng xây 9 trường học.", "9", "64 tỷ đồng"),
        # A money word in the question names no amount asked: it still counts workers.
        ("How many workers are paid above the wage floor?", "Xưởng có 85 thợ được trả 9 triệu đồng.", "85", "9"),
        # … unless it counts a unit: then the unit is what answers it.
        ("How many hectares were planted?", "Xã trồng 40 ha rừng cùng 3 đội tình nguyện.", "40", None),
    ],
)
def test_an_english_count_of_things_is_no_amount_measured(question, text, fitting, unfitting):
    asked = Asked.of(question, AnswerType.NUMBER)
    assert asked.fits(text, span_of(text, fitting))
    if unfitting is not None:
        assert not asked.fits(text, span_of(text, unfitting))


def test_when_answered_by_a_year_is_led_as_a_year():
    asked = Asked.of("Nhà máy khởi công khi nào?", AnswerType.DATE)
    text = "Nhà máy khởi công năm 2019."
    assert asked.shown(text, span_of(text, "năm 2019")) == "2019"
    assert lead_sentence("2019", AnswerType.DATE) == "Năm 2019."
    assert lead_sentence("tháng 5/2025", AnswerType.DATE) == "Tháng 5/2025."


def test_when_answered_by_a_day_is_led_as_a_day_keeping_its_hour():
    """"Khi nào" answered by a day: the day without its `ngày` (`14/6`, led `Ngày 14/6.`); an hour
    it is given with stays, and leads it."""
    asked = Asked.of("Hội chợ sách đóng cửa khi nào?", AnswerType.DATE)
    text = "Hội chợ sách mở cửa tới ngày 14/6, rồi chuyển sang bán trực tuyến."
    assert asked.shown(text, span_of(text, "ngày 14/6")) == "14/6"
    assert lead_sentence("14/6", AnswerType.DATE) == "Ngày 14/6."
    text = "Lũ về lúc 2 giờ sáng ngày 3/10."
    assert asked.shown(text, span_of(text, "2 giờ sáng ngày 3/10")) == "2 giờ sáng ngày 3/10"
    assert lead_sentence("2 giờ sáng ngày 3/10", AnswerType.DATE) == "2 giờ sáng ngày 3/10."


def test_which_day_is_answered_by_the_day_alone():
    assert bare_day("Sáng 8/4") == "8/4"
    assert bare_day("2 giờ sáng ngày 3/10") == "3/10"
    assert bare_day("ngày 28 tháng 5 năm 2012") == "28 tháng 5 năm 2012"
    assert lead_sentence("8/4", AnswerType.DAY) == "Ngày 8/4."
    asked = Asked.of("Lễ hội khai mạc vào ngày nào?", AnswerType.DAY)
    text = "Tối 3/6, lễ hội khai mạc."
    assert asked.shown(text, span_of(text, "Tối 3/6")) == "3/6"


def test_a_count_in_words_is_no_unit_of_its_own():
    asked = Asked.of("Ông gắn bó với nghề bao lâu?", AnswerType.MEASURE)
    assert asked.fitting_spans("Năm nay, ông đã gắn bó hơn 40 năm với nghề.") == [
        span_of("Năm nay, ông đã gắn bó hơn 40 năm với nghề.", "40")
    ]
    assert asked.fitting_spans("Ông gắn bó năm năm với nghề.") == [span_of("Ông gắn bó năm năm với nghề.", "năm năm")]


def test_how_long_is_answered_by_a_time_and_shown_whole():
    asked = Asked.of("Việc thi công mất bao lâu?", AnswerType.MEASURE)
    text = "Sau 18 tháng thi công với 300 công nhân, công trình hoàn thành."
    assert asked.fitting_spans(text) == [span_of(text, "18")]
    assert asked.shown(text, span_of(text, "18")) == "18 tháng"


def test_a_deputy_or_another_office_does_not_answer_who_holds_it_nor_the_other_way_round():
    text = "Phó Giám đốc Sở Tài chính Trần Văn Bình và Giám đốc Sở Y tế Lê Thị Hoa dự họp."
    assert other_office(text, span_of(text, "Trần Văn Bình"), "giam doc")
    assert not other_office(text, span_of(text, "Lê Thị Hoa"), "giam doc")
    assert not other_office("Ông Phạm An phát biểu.", span_of("Ông Phạm An phát biểu.", "Phạm An"), "giam doc")
    # A title does not reach across another person's name; the first title after a name is its own.
    two = "Chủ tịch UBND tỉnh Đông Phú Trần Văn Bình và ông Somsack Keovilay, Ủy viên Trung ương, Bí thư Tỉnh ủy."
    assert not other_office(two, span_of(two, "Trần Văn Bình"), "chu tich")
    assert other_office(two, span_of(two, "Somsack Keovilay"), "chu tich")
    # A deputy asked for: the director does not answer.
    assert not other_office(text, span_of(text, "Trần Văn Bình"), "pho giam doc")
    assert other_office(text, span_of(text, "Lê Thị Hoa"), "pho giam doc")
    # The title right after another name is that one's apposition, not the next person's title.
    three = "Dự lễ có ông Trần Văn Bình, Phó Chủ tịch UBND tỉnh Đông Phú, và ông Sato Kenta, Phó Thống đốc tỉnh Aomori."
    assert not other_office(three, span_of(three, "Sato Kenta"), "pho thong doc")
    assert other_office(three, span_of(three, "Trần Văn Bình"), "pho thong doc")
    # A title run straight into the next name is that name's, even right after another name.
    run_on = "Dự lễ có Phó Giám đốc Sở Lê Thị Hoa, Phó Hiệu trưởng Đại học Sơn Lâm Kim Min-jun và khách mời."
    assert other_office(run_on, span_of(run_on, "Kim Min-jun"), "giam doc")
    assert not other_office(run_on, span_of(run_on, "Kim Min-jun"), "pho hieu truong")
    # A person holds every office of the clauses after the name that each open with one.
    both = "Ông Hà Minh Trí, Phó Chủ tịch UBND tỉnh, Trưởng Ban tổ chức, đề nghị Giám đốc các sở báo cáo."
    assert not other_office(both, span_of(both, "Hà Minh Trí"), "truong ban")
    assert not other_office(both, span_of(both, "Hà Minh Trí"), "pho chu tich")
    assert other_office(both, span_of(both, "Hà Minh Trí"), "giam doc")
    # The title reaches across a long name of what the person heads.
    long = "Trưởng Ban Quản lý Khu chế xuất kỹ thuật cao Sơn Lâm – Đông Phú Vi Đức Khải cho biết."
    assert other_office(long, span_of(long, "Vi Đức Khải"), "chu tich")
    assert not other_office(long, span_of(long, "Vi Đức Khải"), "truong ban")


def test_the_head_of_another_body_of_the_kind_asked_does_not_answer():
    question = "Khi đó Giám đốc Trung tâm Khảo nghiệm giống Bình Sơn là ai?"
    assert asked_body(question) == {"khao", "binh son"}
    asked = Asked.of(question, AnswerType.PERSON)
    other = "Theo ông Trần Khải Đông, Giám đốc Trung tâm Thủy văn (TTV) Sơn Lâm, đã có 31 mẫu."
    body = title_body(other, span_of(other, "Trần Khải Đông"), "giam doc")
    assert body.strip() == "Trung tâm Thủy văn (TTV) Sơn Lâm"
    assert not asked.fits(other, span_of(other, "Trần Khải Đông"))  # `Sơn Lâm` is not `Bình Sơn`
    before = "Giám đốc Trung tâm Thủy văn Lê Hạ Vy cho biết."
    assert not asked.fits(before, span_of(before, "Lê Hạ Vy"))
    # The body asked, a title naming none, or no title at all: it may answer.
    for text in (
        "Giám đốc Trung tâm Khảo nghiệm giống Bình Sơn Lê Hạ Vy cho biết.",
        "Bà Lê Hạ Vy, Giám đốc Trung tâm, nói thêm.",
        "Bà Lê Hạ Vy cho biết đã gieo 900 mẫu.",
        # Each title of an apposition names its own body; a body may be written without its place.
        "Bà Lê Hạ Vy, Phó Chủ tịch Hội Nông học Lâm Hạ, Giám đốc Trung tâm Khảo nghiệm Bình Sơn, cho biết.",
        "Giám đốc Trung tâm Khảo nghiệm Lê Hạ Vy cho biết.",
    ):
        assert asked.fits(text, span_of(text, "Lê Hạ Vy")), text
    assert asked_body("Chủ tịch Hội Nông học là ai?") == {"nong"} and not asked_body("Who heads the Binh Son farm?")
    assert words_of_a_body("Hội Nông học tỉnh Sơn Lâm") == {"nong", "son lam"}  # not the kind's words


def test_a_name_titled_with_another_office_where_read_holds_that_one_where_it_speaks_untitled():
    read = ["Dự lễ có Phó Giám đốc Sở Xây dựng Lê Thị Hoa.", "Bà Lê Thị Hoa cho biết dự án xong trong năm."]
    untitled = read[1]
    span = span_of(untitled, "Lê Thị Hoa")
    assert offices_titled(read) == {"Lê Thị Hoa": {"pho giam doc"}}
    assert not Asked.of("Ai là Giám đốc Sở Xây dựng?", AnswerType.PERSON, read=read).fits(untitled, span)
    assert Asked.of("Ai là Phó Giám đốc Sở Xây dựng?", AnswerType.PERSON, read=read).fits(untitled, span)
    assert Asked.of("Ai là Giám đốc Sở Xây dựng?", AnswerType.PERSON, read=read[1:]).fits(untitled, span)


def test_the_span_nearest_the_question_words_wins():
    text = "Ngày 3/4 đoàn đến; ngày 9/4 hai bên ký kết."
    assert distance(text, span_of(text, "9/4"), {"ky"}) < distance(text, span_of(text, "3/4"), {"ky"})


def test_the_span_led_by_most_of_the_question_s_words_wins():
    text = "Thành phố kỷ niệm ngày thành lập (3/2/1975) và ngày khánh thành cầu Sơn Lâm (20/11/1998)."
    terms = {"khanh", "thanh", "cau", "son", "lam"}
    assert said_before(text, span_of(text, "20/11/1998"), terms) > said_before(text, span_of(text, "3/2/1975"), terms)
    asked = Asked.of("Cầu Sơn Lâm được khánh thành vào ngày nào?", AnswerType.DAY)
    found = asked.answer_in([sentence(text)], (), terms)
    assert found is not None and found[1].text == "20/11/1998"


@pytest.mark.parametrize(
    ("question", "day"),
    [
        ("Hội chợ sách kết thúc vào ngày nào?", "12/4/2027"),  # its end, said `đến`
        ("Hoi cho sach ket thuc vao ngay nao?", "12/4/2027"),  # typed without diacritics
        ("When did the book fair end?", "12/4/2027"),
        ("Hội chợ sách bắt đầu từ ngày nào?", "5/3"),  # its start, said `từ`
        ("Hội chợ sách diễn ra vào ngày nào?", "5/3"),  # neither asked: the nearest, as before
    ],
)
def test_an_end_of_a_range_of_days_asked_is_answered_by_that_end(question, day):
    text = "Hội chợ sách diễn ra từ ngày 5/3 đến hết ngày 12/4/2027, tối 13/4 bế giảng."
    asked = Asked.of(question, expected_answer_type(question))  # "When …?" asks a date: `ngày 6/9/2026`
    found = asked.answer_in([sentence(text)], (), {"hoi", "cho", "sach"})
    assert found is not None and found[1].text.endswith(day)
    assert said_as_bound(text, span_of(text, "13/4")) is None  # `tối`, "evening", is no `tới`, "until"


@pytest.mark.parametrize(
    ("question", "figure"),
    [
        ("Sau khi mở tuyến phà mới, qua sông mất bao lâu?", "15 phút"),  # as it is now: after the change
        ("Qua sông bây giờ mất bao lâu?", "15 phút"),
        ("Trước khi có phà mới, qua sông mất bao lâu?", "40 phút"),  # before it, asked in so many words
    ],
)
def test_a_figure_that_changed_is_asked_as_it_is_now(question, figure):
    text = "Với phà mới, mỗi chuyến qua sông rút từ 40 phút xuống khoảng 15 phút."
    asked = Asked.of(question, AnswerType.MEASURE)
    found = asked.answer_in([sentence(text)], (), {"qua", "song", "phut", "pha"})
    assert found is not None and asked.shown(text, found[1]) == figure


@pytest.mark.parametrize(
    ("question", "figure"),
    [
        ("Vụ trước, đàn bò của xã có bao nhiêu con?", "42 con"),  # the earlier figure, compared with
        ("Cùng kỳ năm trước, đàn bò của xã có bao nhiêu con?", "42 con"),
        ("Đàn bò của xã có bao nhiêu con?", "57 con"),  # now: the comparison is left to the other rules
        ("Đàn bò của xã tăng bao nhiêu so với cùng kỳ?", "57"),  # the comparison itself is asked: no preference
    ],
)
def test_a_figure_asked_as_it_was_is_the_one_compared_with(question, figure):
    text = "Đàn bò của xã hiện có 57 con, so với 42 con của cùng kỳ."
    asked = Asked.of(question, AnswerType.NUMBER)
    found = asked.answer_in([sentence(text)], (), {"dan", "bo", "xa", "con"})
    assert found is not None and asked.said(text, found[1]) == figure


def test_the_ends_of_a_range_are_no_change():
    text = "Lớp bơi nhận trẻ từ 6 đến 10 tuổi; đàn bò của xã tăng từ 40 lên 65 con."
    assert not changed_from(text, span_of(text, "6"))
    assert changed_from(text, span_of(text, "40")) and not changed_from(text, span_of(text, "65"))


@pytest.mark.parametrize(
    ("question", "kind", "years"),
    [
        ("Vụ án được khởi tố năm nào?", AnswerType.YEAR, ["2023"]),  # a birth year says nothing of it
        ("Ông Trần Văn B sinh năm nào?", AnswerType.YEAR, ["1990", "2023"]),  # … unless a birth is asked
        ("In what year was Tran Van B born?", AnswerType.YEAR, ["1990", "2023"]),
    ],
)
def test_a_birth_year_answers_only_a_birth(question, kind, years):
    text = "Trần Văn B (SN 1990, nguyên kế toán) bị khởi tố vào năm 2023."
    assert [span.text for span in Asked.of(question, kind).fitting_spans(text)] == years


def test_numbered_things_are_read_with_their_number():
    text = "Đợt 2 của chương trình, lần thứ XIV của giải và chặng 8, trong giai đoạn 2025–2028."
    assert numbered_things(text) == (("dot", 2), ("lan thu", 14), ("chang", 8))  # a period is none


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("Đợt 2 của chương trình được cấp 40 tỷ đồng.", []),  # another round's
        ("Đợt 2 được cấp 40 tỷ đồng, đợt 3 được cấp 47 tỷ đồng.", ["40 tỷ đồng", "47 tỷ đồng"]),
        ("Chương trình được cấp tất cả 90 tỷ đồng.", ["90 tỷ đồng"]),  # no round named: it may answer
        ("Đợt III được cấp 47 tỷ đồng.", ["47 tỷ đồng"]),
        ("Đợt 3 được cấp 47 tỷ đồng, nhiều hơn so với 40 tỷ đồng ở đợt 2.", ["47 tỷ đồng", "40 tỷ đồng"]),
    ],
)
def test_a_sentence_about_another_numbered_thing_does_not_answer(text, figures):
    asked = Asked.of("Chương trình được cấp bao nhiêu tiền cho đợt 3?", AnswerType.NUMBER)
    assert [span.text for span in asked.spans_in(sentence(text))] == figures


@pytest.mark.parametrize(
    ("question", "text", "published", "figures"),
    [
        ("Năm 2024, xã Sơn Lâm đón bao nhiêu lượt khách?", "Năm 2025, xã Sơn Lâm đón 14.000 lượt khách.", None, []),
        ("Năm 2024, xã Sơn Lâm đón bao nhiêu lượt khách?", "Năm 2024, xã Sơn Lâm đón 12.000 lượt khách.", None,
         ["12.000"]),
        # A sentence naming no year speaks of its article's.
        ("Năm 2024, xã Sơn Lâm đón bao nhiêu lượt khách?", "Cả năm, xã Sơn Lâm đón 14.000 lượt khách.",
         datetime(2025, 7, 2, tzinfo=VIETNAM), []),
        ("Năm 2024, xã Sơn Lâm đón bao nhiêu lượt khách?", "Cả năm, xã Sơn Lâm đón 12.000 lượt khách.",
         datetime(2024, 7, 2, tzinfo=VIETNAM), ["12.000"]),
        ("Năm học 2026–2027, xã Sơn Lâm mở bao nhiêu lớp bơi?", "Năm học 2024–2025, xã Sơn Lâm mở 9 lớp bơi.", None,
         []),
        # An earlier figure asked: the year may be the one compared with.
        ("Cùng kỳ năm 2024, xã Sơn Lâm đón bao nhiêu lượt khách?",
         "Năm 2025, xã Sơn Lâm đón 14.000 lượt khách, tăng so với mức 12.000 lượt của năm 2024.", None,
         ["14.000", "12.000"]),
        # A year the question reasons from is none it asks about.
        ("Trước năm 2024, xã Sơn Lâm mở bao nhiêu lớp bơi?", "Năm 2022, xã Sơn Lâm mở 9 lớp bơi.", None,
         ["9"]),
        # The same period of a year before (`cùng kỳ`) is a year compared with.
        ("Năm 2025, xã Sơn Lâm đón bao nhiêu lượt khách?",
         "Nửa đầu năm, xã Sơn Lâm đón 9.000 lượt khách, thấp hơn mức 9.500 lượt của cùng kỳ năm 2024.",
         datetime(2025, 7, 2, tzinfo=VIETNAM), ["9.000", "9.500"]),
    ],
)
def test_a_sentence_about_another_year_does_not_answer(question, text, published, figures):
    read = ScoredSentence(0, replace(passage(), published=published), text, 0, 0.5, 0.5, 0.0, "")
    asked = Asked.of(question, AnswerType.NUMBER)
    assert [span.text for span in asked.spans_in(read)] == figures


@pytest.mark.parametrize(
    ("question", "text", "figures"),
    [
        ("Quý II/2025, xã Sơn Lâm thu bao nhiêu tiền phí?", "Trong quý I/2025, xã Sơn Lâm thu 410 triệu đồng.", []),
        ("Quý II/2025, xã Sơn Lâm thu bao nhiêu tiền phí?", "Trong tháng 5, xã Sơn Lâm thu 150 triệu đồng.",
         ["150 triệu đồng"]),  # a month of the quarter asked
        ("Quý II/2025, xã Sơn Lâm thu bao nhiêu tiền phí?", "6 tháng đầu năm, xã Sơn Lâm thu 820 triệu đồng.",
         ["820 triệu đồng"]),  # a span of months holding it
        ("Tháng 8, xã Sơn Lâm thu bao nhiêu tiền phí?", "Từ tháng 9 đến tháng 10, xã Sơn Lâm thu 500 triệu đồng.",
         []),
        # A day is when it was said; a month compared with is not the one spoken of.
        ("Tháng 8, xã Sơn Lâm thu bao nhiêu tiền phí?", "Ngày 2/9, xã Sơn Lâm cho biết đã thu 170 triệu đồng.",
         ["170 triệu đồng"]),
        ("Tháng 8, xã Sơn Lâm thu bao nhiêu tiền phí?", "Xã Sơn Lâm thu 170 triệu đồng, tăng so với tháng 7.",
         ["170 triệu đồng"]),
        # An earlier figure asked may be the one compared with; a month reasoned from is none asked.
        ("Cùng kỳ tháng 7, xã Sơn Lâm thu bao nhiêu tiền phí?",
         "Tháng 8, xã Sơn Lâm thu 170 triệu đồng, tăng so với 120 triệu đồng của tháng 7.",
         ["170 triệu đồng", "120 triệu đồng"]),
        ("Từ tháng 8, xã Sơn Lâm thu bao nhiêu tiền phí?", "Trong tháng 10, xã Sơn Lâm thu 180 triệu đồng.",
         ["180 triệu đồng"]),
    ],
)
def test_a_figure_of_other_months_does_not_answer(question, text, figures):
    asked = Asked.of(question, AnswerType.NUMBER)
    assert [span.text for span in asked.spans_in(sentence(text))] == figures


def test_a_person_asked_of_an_event_in_one_month_is_named_where_other_months_are():
    text = "Bà Đinh Thị Vân, Phó Chủ tịch xã Sơn Lâm, nói 5 tháng đầu năm xã thu 600 triệu đồng."
    asked = Asked.of("Ai dẫn đoàn xã Sơn Lâm đi Huế tháng 8?", AnswerType.PERSON)
    assert [span.text for span in asked.spans_in(sentence(text))] == ["Đinh Thị Vân"]


def test_the_time_a_question_names_still_rules_out_sentences_of_another_when_read_in_its_articles():
    analysis = QuestionAnalysis.of("Năm 2025, xã Sơn Lâm đón bao nhiêu lượt khách?")
    assert "2025" not in analysis.without_time().text and analysis.without_time().whole == analysis.text
    texts = ["Năm 2024, xã Sơn Lâm đón 12.000 lượt khách."]
    of_2025 = replace(passage(text=texts[0]), published=datetime(2025, 2, 7, tzinfo=VIETNAM))
    decision = _reader().decide_in_time(analysis, VECTOR, [of_2025], _sentences_of(texts), 0.5)
    assert decision is None or decision.composed.short_answer is None


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("Riêng mặt hàng gạo, xuất khẩu lên tới 2,1 tỷ USD.", []),  # exports, not the imports asked
        ("Riêng mặt hàng gạo, xuất khẩu lên tới 2,1 tỷ USD và nhập khẩu chỉ 0,4 tỷ USD.", ["2,1 tỷ", "0,4 tỷ"]),
        ("Riêng mặt hàng gạo, xuất nhập khẩu lên tới 2,5 tỷ USD.", ["2,5 tỷ"]),  # says both
        ("Riêng mặt hàng gạo lên tới 2,5 tỷ USD.", ["2,5 tỷ"]),  # says neither: it may answer
    ],
)
def test_a_sentence_only_about_another_alternative_does_not_answer(text, figures):
    asked = Asked.of("Rieng mat hang gao, nhap khau len toi bao nhieu?", AnswerType.NUMBER)
    assert [span.text for span in asked.spans_in(sentence(text))] == figures


@pytest.mark.parametrize(
    ("question", "text", "figure"),
    [
        ("Sơn Lâm có bao nhiêu huy chương bạc?", "Sơn Lâm có 21 huy chương vàng cùng 3 huy chương bạc, 8 đồng.",
         "3 huy chương bạc"),  # its own phrase says what it counts
        ("Sơn Lâm có bao nhiêu huy chương vàng?", "Sơn Lâm có 21 huy chương vàng cùng 3 huy chương bạc.",
         "21 huy chương vàng"),
        ("Gạo nhập khẩu lên tới bao nhiêu?", "Gạo xuất khẩu lên tới 4,5 tỷ USD, gạo nhập khẩu chỉ 0,6 tỷ USD.",
         "0,6 tỷ USD"),  # … else the words since the previous number
    ],
)
def test_the_figure_of_the_alternative_asked_answers(question, text, figure):
    asked = Asked.of(question, AnswerType.NUMBER)
    terms = {"son", "lam", "huy", "chuong", "vang", "bac", "gao", "nhap", "khau", "len", "toi"}
    found = asked.answer_in([sentence(text)], (), terms)
    assert found is not None and asked.said(text, found[1]) == figure


def test_a_year_alone_does_not_answer_how_many():
    asked = Asked.of("Có bao nhiêu người tham dự?", AnswerType.NUMBER)
    text = "Năm 2024 có 350 người tham dự."
    assert asked.fits(text, span_of(text, "350")) and not asked.fits(text, span_of(text, "2024"))


def test_the_short_answer_comes_from_a_sentence_about_the_question_s_subject():
    asked = Asked.of("Tỉnh Lào Cai ký kết vào năm nào?", AnswerType.YEAR)
    other = sentence("Tỉnh Yên Bái ký kết vào năm 2019.")
    own = sentence("Tỉnh Lào Cai ký kết vào năm 2021.")
    found = asked.answer_in([other, own], ["Lào Cai"], {"ky", "ket"})
    assert found is not None and found[0] is own and found[1].text == "2021"
    assert asked.answer_in([other], ["Lào Cai"], {"ky"}) is None


# --- choosing what to quote ----------------------------------------------------------------------

def test_a_caption_gives_way_to_prose_that_scores_nearly_as_well():
    caption = sentence("Toàn cảnh hội nghị (Ảnh: Văn Nam).", 0.9)
    prose = sentence("Hội nghị thông qua ba nghị quyết.", 0.8, start=40)
    assert best_quotable([caption, prose], caption_margin=0.15) is prose
    assert best_quotable([caption, prose], caption_margin=0.05) is caption


def test_a_pronoun_opening_brings_the_sentence_before_it():
    named = sentence("Ông Lê Văn Tám được bầu làm chủ tịch.", 0.2, start=0)
    best = sentence("Ông ấy từng là kỹ sư.", 0.9, start=40)
    assert opens_with_pronoun(best.text)
    assert with_antecedent([best], [best, named]) == [named, best]


def test_a_factoid_quotes_the_best_and_a_close_runner_up_a_list_one_per_article():
    scored = [
        sentence("A ký với B.", 0.9, "a1", 0),
        sentence("A còn ký với C.", 0.85, "a1", 20),
        sentence("D ký với E.", 0.8, "a2", 0),
        sentence("F ký với G.", 0.3, "a3", 0),
    ]
    margins = {"caption_margin": 0.15, "max_sentences": 3}
    assert choose(scored, is_list=False, second_margin=0.01, **margins) == scored[:1]
    assert choose(scored, is_list=False, second_margin=0.1, **margins) == scored[:2]
    assert choose(scored, is_list=True, second_margin=0.2, **margins) == [scored[0], scored[2]]
    # within one article only: that article's runners-up
    assert choose(scored, is_list=True, second_margin=0.06, **margins) == scored[:2]


def test_a_date_asked_puts_the_storys_next_date_before_its_dateline_when_it_scores_close():
    lead = sentence("Sáng 14/3, tỉnh tổ chức lễ khánh thành cây cầu.", score=1.3, start=0)
    began = sentence("Cây cầu được khởi công ngày 5/6/2024.", score=1.15, start=120)
    other_story = sentence("Ngày 2/9, tỉnh bạn khánh thành cây cầu khác.", score=1.25, article="a2", start=0)
    caption = sentence("Cây cầu ngày 5/6/2024 (Ảnh: Minh Anh).", score=1.28, start=60)
    asked = Asked.of("Cây cầu khởi công khi nào?", AnswerType.DATE)

    def holds(s: ScoredSentence) -> bool:
        return bool(asked.spans_in(s))

    scored = [lead, caption, other_story, began]
    assert is_dateline(lead) and not is_dateline(began) and not is_dateline(sentence(lead.text, start=40))
    assert past_the_dateline([lead], scored, holds, 0.2) == [began, lead]
    assert past_the_dateline([lead], scored, holds, 0.1) == [lead]  # it trails by 0.15
    assert past_the_dateline([began, lead], [began, lead], holds, 0.2) == [began, lead]  # the best is no dateline


def test_the_date_put_before_its_storys_dateline_is_the_short_answer():
    # The sentence put first says "the school", two sentences after the dateline that names it:
    # it is about what the dateline names, and its date answers, not the day the story was filed.
    analysis = QuestionAnalysis.of("Trường Sơn Lâm bắt đầu dạy thử từ ngày nào?")
    texts = [
        "Đông Phú, ngày 26/3/2025 – Trường Sơn Lâm bắt đầu dạy cho học sinh.",
        "Công trình có 30 phòng học.",
        "Từ ngày 9/3, trường đã dạy thử cho 400 học sinh.",
    ]
    decision = _reader().decide(analysis, VECTOR, [passage(text=" ".join(texts))], _sentences_of(texts))
    assert decision.composed.short_answer == "9/3"


def test_a_typed_question_brings_the_next_sentence_holding_its_kind_of_answer():
    scored = [sentence("Lễ ký diễn ra trang trọng.", 0.9), sentence("Tin khác.", 0.85, start=30),
              sentence("Lễ ký diễn ra ngày 3/4.", 0.75, start=60)]
    dated = scored[2]
    assert typed_runner_up(scored, scored[:1], lambda s: s is dated, typed_margin=0.2) == [dated]
    assert typed_runner_up(scored, scored[:1], lambda s: s is dated, typed_margin=0.1) == []


# --- one supporting sentence, long sentences in part ---------------------------------------------

def test_the_sentence_holding_the_short_answer_is_quoted_alone_unless_another_holds_a_rival():
    best = sentence("Hai tỉnh ký kết hợp tác năm 2019.", 0.9)
    same = sentence("Việc ký kết năm 2019 mở ra hướng mới.", 0.85, start=40)
    other = sentence("Năm 2021, hai tỉnh ký thêm một văn bản.", 0.8, start=80)
    asked = Asked.of("Hai tỉnh ký kết hợp tác năm nào?", AnswerType.YEAR)
    rival = asked.rival_to("2019")
    assert supported([best, same], best, 0.0, rival) == [best]  # the same year again is no rival
    assert supported([best, other], best, 0.0, rival) == [best, other]  # another year is
    assert supported([best, same], best, 0.1, rival) == [best, same]  # within the margin
    # The same answer written otherwise is no rival either.
    period = Asked.of("Hai huyện ký chương trình phối hợp giai đoạn nào?", AnswerType.PERIOD)
    dashed = sentence("Hai huyện ký chương trình phối hợp giai đoạn 2024–2027.", 0.9)
    spaced = sentence("Chương trình phối hợp giai đoạn 2024 - 2027 gồm năm nội dung.", 0.8, start=60)
    later = sentence("Giai đoạn 2028 - 2030 sẽ được bàn sau.", 0.7, start=130)
    assert supported([dashed, spaced, later], dashed, 0.0, period.rival_to("2024–2027")) == [dashed, later]


def test_a_supporting_sentence_opening_with_a_pronoun_keeps_the_one_naming_who():
    named = sentence("Ông Lê Văn Tám là giám đốc sở.", 0.7, start=0)
    pronoun = sentence("Ông ấy nhậm chức năm 2020.", 0.9, start=40)
    assert supported([named, pronoun], pronoun, 0.0) == [named, pronoun]
    assert supported([named, pronoun], named, 0.0) == [named]


def test_only_a_date_or_number_question_replaces_a_best_sentence_holding_none():
    dateless = sentence("Lễ ký kết diễn ra trang trọng.")
    dated = sentence("Lễ ký kết diễn ra năm 2019.")
    assert Asked.of("Lễ ký kết diễn ra năm nào?", AnswerType.YEAR).best_has_none(dateless)
    assert not Asked.of("Lễ ký kết diễn ra năm nào?", AnswerType.YEAR).best_has_none(dated)
    assert not Asked.of("Ai chủ trì lễ ký kết?", AnswerType.PERSON).best_has_none(dateless)  # names: never


def test_a_long_sentence_is_cut_to_the_clauses_around_the_answer():
    text = ("Sáng 3/4, tại thành phố Hải Dương, hội nghị xúc tiến đầu tư khai mạc với 200 đại biểu; "
            "ban tổ chức cho biết các doanh nghiệp đã đăng ký 15 dự án mới, tổng vốn 120 tỷ đồng, "
            "tập trung vào nông nghiệp, du lịch và công nghiệp chế biến.")
    short = "Một, hai; ba - bốn 1,5."
    assert [short[s:e] for s, e in clauses(short)] == ["Một,", "hai;", "ba", "bốn 1,5."]
    cut = excerpt(text, 90, lambda piece: "dự án" in piece, span_of(text, "15")[:2])
    assert cut == "… ban tổ chức cho biết các doanh nghiệp đã đăng ký 15 dự án mới, tổng vốn 120 tỷ đồng…"
    assert len(cut) <= 92 and "15 dự án" in cut
    assert excerpt(text, 90, lambda piece: 0.0, span_of(text, "15")[:2], longer_than=len(text)) == text
    assert excerpt(text, 0, lambda piece: 0.0, (0, 1)) == text  # no budget: whole
    # A clause longer than the budget is quoted whole: words are never cut.
    assert excerpt(text, 20, lambda piece: 0.0, span_of(text, "15")[:2]) == (
        "… ban tổ chức cho biết các doanh nghiệp đã đăng ký 15 dự án mới…")


@pytest.mark.parametrize(
    ("text", "number", "shown"),
    [
        ("Ngôi nhà mới rộng 60 m2, có hai phòng.", "60", "60 m2"),
        ("Nhiệt độ xuống âm 2,5 độ C vào sáng nay.", "2,5", "2,5 độ C"),
        ("Thương lái mua với giá 9.500 đồng/kg.", "9.500", "9.500 đồng"),
        ("Dự án gọi được 2,5 triệu USD.", "2,5 triệu", "2,5 triệu USD"),
        ("Tàu xếp dỡ xong trong 20 giờ.", "20", "20 giờ"),
        ("Cô về đích sau 1 giờ 5 phút 20 giây, phá kỷ lục.", "1", "1 giờ 5 phút 20 giây"),  # in parts
        ("Em chạy 200 m hết 24 giây 71, kỷ lục mới.", "24", "24 giây 71"),  # the hundredths
        ("Cô bơi 800 m hết 9 phút 3 giây 08.", "9", "9 phút 3 giây 08"),
        ("Chỉ sau 30 giây 5 xe đã qua.", "30", "30 giây"),  # one digit: a count, no hundredths
        ("Rừng bao phủ 45.000 km vuông.", "45.000", "45.000 km vuông"),  # the longest unit that fits
        ("Ca nô đạt 45 km/h khi chạy rỗng.", "45", "45 km/h"),  # a unit per unit
        ("Tàu chạy 30 hải lý/giờ, nhanh gấp đôi.", "30", "30 hải lý/giờ"),
        ("Xã có 120 giường bệnh.", "120", "120"),  # a counted noun, not a unit: the number alone
        ("Giá tăng 12, rồi giảm.", "12", "12"),  # nothing after it before the comma
    ],
)
def test_a_number_is_shown_with_the_unit_written_after_it(text, number, shown):
    assert with_unit(text, span_of(text, number)) == shown


@pytest.mark.parametrize(
    ("question", "text", "shown"),
    [
        ("Thương lái mua lúa với giá bao nhiêu?", "Thương lái mua lúa với giá 7.200 đồng/kg, cao hơn tuần trước.",
         "7.200 đồng/kg"),
        ("Hộ nuôi ong được hỗ trợ bao nhiêu?", "Mỗi hộ nuôi ong được hỗ trợ 300 nghìn đồng/tổ/tháng.",
         "300 nghìn đồng/tổ/tháng"),  # per two units
        ("Phà sang đảo cách nhau bao lâu?", "Mùa hè, phà sang đảo chạy 45 phút/lượt.", "45 phút/lượt"),
        ("Giá vé là bao nhiêu?", "Giá vé là 50.000 đồng/lượt.", "50.000 đồng/lượt"),  # the sentence's end
        ("Giá vé là bao nhiêu?", "Giá vé là 50.000 đồng/tin-tuc-moi.", "50.000 đồng"),  # a link's path
        ("Giá vé là bao nhiêu?", "Giá vé là 50.000 đồng/baomoi.vn đưa tin.", "50.000 đồng"),  # a site
        ("Bao nhiêu hộ nhận quà?", "Có 12 hộ/xã nhận quà.", "12"),  # a count: no unit, no rate
    ],
)
def test_a_measure_given_per_a_unit_keeps_it(question, text, shown):
    """`9.500 đồng` is not what a kilogram costs: the unit after a slash is the measure's."""
    kind = QuestionAnalysis.of(question).kind
    asked = Asked.of(question, kind)
    assert [asked.shown(text, span) for span in asked.fitting_spans(text)][:1] == [shown]


def test_a_country_asked_is_answered_by_a_country_not_any_place():
    """"Nước nào" asks a country: the province the sentence starts from is no answer."""
    text = "Từ tỉnh Sơn Lâm, lô vải đầu tiên được xuất sang Nhật Bản."
    asked = Asked.of("Lô vải đầu tiên được xuất sang nước nào?", AnswerType.PLACE)
    assert [asked.shown(text, span) for span in asked.fitting_spans(text)] == ["Nhật Bản"]
    where = Asked.of("Lô vải đầu tiên được sản xuất ở đâu?", AnswerType.PLACE)
    assert [where.shown(text, span) for span in where.fitting_spans(text)] == ["tỉnh Sơn Lâm"]


def test_a_place_asked_where_is_shown_with_its_administrative_unit():
    """"Ở đâu" names no kind of place: the answer says it (`xã Tân Hòa`); "xã nào" names it."""
    text = "Khu tái định cư được bố trí tại xã Tân Hòa, gần nước Lào."
    where = Asked.of("Khu tái định cư được bố trí ở đâu?", AnswerType.PLACE)
    which = Asked.of("Khu tái định cư được bố trí ở xã nào?", AnswerType.PLACE)
    assert [where.shown(text, span) for span in where.fitting_spans(text)] == ["xã Tân Hòa", "Lào"]
    assert [which.shown(text, span) for span in which.fitting_spans(text)] == ["Tân Hòa", "Lào"]


def test_the_parts_of_a_measure_are_no_answers_of_their_own():
    """`1 giờ 5 phút 20 giây` is one answer: its `5` and `20` are not candidates beside it, so that
    the one nearest the question's words cannot be a part (`20 giây`)."""
    asked = Asked.of("Đội về đích sau bao lâu?", AnswerType.MEASURE)
    text = "Với thành tích 1 giờ 5 phút 20 giây, đội về đích sớm hơn 3 phút so với năm ngoái."
    assert [asked.shown(text, span) for span in asked.fitting_spans(text)] == ["1 giờ 5 phút 20 giây", "3 phút"]
    counted = Asked.of("Bao nhiêu người dự lễ?", AnswerType.NUMBER)
    text = "Lễ có 300 người dự, kéo dài 2 giờ 30 phút."
    assert [span.text for span in counted.fitting_spans(text)] == ["300 người"]


@pytest.mark.parametrize(
    ("question", "text", "shown"),
    [
        ("Vé vào cửa giá bao nhiêu tiền?", "Vé vào cửa từ 40 đến 60 nghìn đồng, trẻ em 10 nghìn đồng.",
         ["40 đến 60 nghìn đồng", "10 nghìn đồng"]),
        ("Mỗi năm bờ sông lở bao nhiêu mét?", "Mỗi năm bờ sông lở 5–7 m, có đoạn 12 m.", ["5–7 m", "12 m"]),
        ("Trạm đón bao nhiêu người mỗi ngày?", "Mỗi ngày trạm đón khoảng 150 - 200 người.", ["150 - 200 người"]),
        # Years joined by a dash are a period, no range of numbers.
        ("Đề án có bao nhiêu hạng mục?", "Đề án 2021-2025 có 6 hạng mục.", ["6"]),
    ],
)
def test_a_range_of_numbers_is_one_answer(question, text, shown):
    asked = Asked.of(question, AnswerType.NUMBER)
    assert [asked.shown(text, span) for span in asked.fitting_spans(text)] == shown


def test_one_end_of_a_range_asked_is_no_range():
    text = "Vé vào cửa từ 40 đến 60 nghìn đồng."
    asked = Asked.of("Giá vé vào cửa tối đa là bao nhiêu?", AnswerType.NUMBER)
    assert [asked.shown(text, span) for span in asked.fitting_spans(text)] == ["60 nghìn đồng"]
    # A share written as a range is a measure: no count of things.
    counted = Asked.of("How many cattle died in the cold?", AnswerType.NUMBER)
    for joined in ("30–40%", "30 đến 40%"):
        text = f"Rét đậm làm chết {joined} đàn bò, khoảng 200 con."
        assert [span.text for span in counted.fitting_spans(text)] == ["200"]
    share = Asked.of("Rét đậm làm chết bao nhiêu phần trăm đàn bò?", AnswerType.NUMBER)
    assert [share.shown(text, span) for span in share.fitting_spans(text)] == ["30 đến 40%"]


def test_the_short_answer_says_what_is_counted():
    question = "Mỗi năm xã nhận bao nhiêu chiếc xe buýt điện?"
    asked = Asked.of(question, AnswerType.NUMBER)
    text = "Mỗi năm xã nhận 12 chiếc xe buýt điện mới."
    assert asked.shown(text, span_of(text, "12")) == "12"
    assert asked.said(text, span_of(text, "12")) == "12 chiếc xe buýt điện"
    decision = _reader().decide(QuestionAnalysis.of(question), VECTOR, [passage(text=text)], _sentences_of([text]))
    assert decision.composed.short_answer == "12 chiếc xe buýt điện"
    assert decision.composed.lead == "12 chiếc xe buýt điện."
    # A unit of measure says what the number counts: the short answer ends with it.
    for question in ("Trại mua bao nhiêu tấn cỏ voi?", "Trại mua bao nhiêu cỏ voi?"):
        tons = Asked.of(question, AnswerType.NUMBER)
        text = "Trại đã mua 80 tấn cỏ voi dự trữ."
        assert tons.shown(text, span_of(text, "80")) == "80 tấn"
        assert tons.said(text, span_of(text, "80")) == "80 tấn"
    burnt = Asked.of("Đám cháy thiêu rụi bao nhiêu rừng thông?", AnswerType.NUMBER)
    text = "Đám cháy thiêu rụi 12 ha rừng thông ba năm tuổi."
    assert burnt.said(text, span_of(text, "12 ha")) == "12 ha"


@pytest.mark.parametrize(
    ("text", "figure", "said"),
    [
        ("Huyện đã dựng 14 nhà văn hóa mới trong năm.", "14", "14 nhà văn hóa"),  # one word of three syllables
        ("Đội tuyển chọn 9 vận động viên trẻ.", "9", "9 vận động viên"),
        ("Xưởng đóng 3 thuyền gỗ cho ngư dân.", "3", "3 thuyền"),  # a syllable the dictionary has no word for
        ("Có 52 trên tổng số 60 hộ đã nhận gạo.", "52", "52"),  # `trên`: "of", no noun counted
        ("Con số ấy là 7, tăng gấp đôi.", "7", "7"),  # punctuation
        ("Đoàn có 6 đã về nước.", "6", "6"),  # a function word
        ("Trường nhận 20 Thạc sĩ về giảng dạy.", "20", "20"),  # a capitalised word may open a name
    ],
)
def test_an_english_count_says_the_noun_the_sentence_counts(text, figure, said):
    asked = Asked.of("How many were there?", AnswerType.NUMBER)
    assert asked.things and asked.said(text, span_of(text, figure)) == said


def test_syllables_are_grouped_into_the_longest_words_the_dictionary_knows():
    syllables = "Đội kỹ sư khu công nghiệp vừa họp".split()
    assert split_words(syllables) == ["Đội", "kỹ sư", "khu công nghiệp", "vừa", "họp"]
    assert split_words(syllables, longest=2) == ["Đội", "kỹ sư", "khu", "công nghiệp", "vừa", "họp"]
    assert split_words(["xyz", "qwv"]) == ["xyz", "qwv"] and split_words([]) == []
    assert whole_words("ca nô cứu hộ đã".split(), 3) == 4 and whole_words("ca nô cứu hộ".split(), 2) == 2
    assert whole_words(["xyz"], 1) == 1


def test_a_count_typed_without_diacritics_says_the_whole_word_its_repeat_stops_in():
    # Unaccented, `nhan` of `cong nhan` is also `nhận`, which ends what is counted: `công` alone.
    asked = Asked.of("Nha may dang can bao nhieu cong nhan det?", AnswerType.NUMBER)
    text = "Nhà máy đang cần 65 công nhân dệt trong quý tới."
    assert asked.counted_words == ("cong",) and asked.said(text, span_of(text, "65")) == "65 công nhân"


def test_a_short_answer_whose_passage_alone_names_the_subject_is_shown_but_not_counted_as_evidence():
    # The subject named two sentences before the answer: the short answer is shown, while the
    # evidence for declining still says no sentence about the subject holds one.
    texts = ["Cảng Long Hòa khởi công năm ngoái.", "Tàu cập cảng đều đặn.", "Bãi chứa hàng rộng 6 ha."]
    analysis = QuestionAnalysis.of("Bãi chứa hàng của cảng Long Hòa rộng bao nhiêu ha?")
    decision = _reader().decide(analysis, VECTOR, [passage(text=" ".join(texts))], _sentences_of(texts))
    assert decision.composed.short_answer == "6 ha"
    assert decision.evidence is not None and decision.evidence.no_subject_span == 1.0
    # A passage that never names it gives no short answer.
    texts[0] = "Cảng Phú An khởi công năm ngoái."
    decision = _reader().decide(analysis, VECTOR, [passage(text=" ".join(texts))], _sentences_of(texts))
    assert decision.composed.short_answer is None


def test_the_short_answer_to_how_much_carries_its_unit():
    text = "Cây cầu mới có mặt cắt ngang rộng 14 m."
    analysis = QuestionAnalysis.of("Cây cầu mới rộng bao nhiêu?")
    decision = _reader().decide(analysis, VECTOR, [passage(text=text)], _sentences_of([text]))
    assert decision.composed.short_answer == "14 m"


def test_the_answer_says_the_short_answer_then_the_part_of_its_sentence_that_supports_it():
    long = ("Theo kế hoạch được công bố hôm qua, dự án cầu vượt sông Hồng sẽ được khởi công vào năm 2026, "
            "với tổng vốn đầu tư dự kiến khoảng 9.000 tỷ đồng, do liên danh các nhà thầu trong nước thực hiện, "
            "và dự kiến hoàn thành sau ba năm thi công liên tục.")
    reader = _reader()
    reader.excerpt_from = 150
    reader.excerpt_chars = 90  # the lead's 10 characters count against it
    analysis = QuestionAnalysis.of("Dự án cầu vượt sông Hồng khởi công năm nào?")
    decision = reader.decide(analysis, VECTOR, [passage(text=long)], _sentences_of([long, "Cầu dài 2 km."]))
    answer = answering.from_extract(analysis.text, decision.extract, [passage(text=long)])
    assert decision.composed.short_answer == "2026"
    assert answer.text == "Năm 2026. … dự án cầu vượt sông Hồng sẽ được khởi công vào năm 2026 [1]…"
    assert [c.quote for c in answer.citations] == [long]  # the citation quotes the whole sentence
    assert lead_sentence("2026", AnswerType.YEAR) == "Năm 2026."


# --- evidence and the model ----------------------------------------------------------------------

def _reader(threshold=None, weights=None):
    model = AnswerabilityModel(
        np.zeros(len(Evidence.names())) if weights is None else weights, 0.0, 0.5, np.zeros(len(Evidence.names()))
    )
    return Reader(SentenceScorer(TermWeights({"ky": 2, "ket": 2, "nam": 5}, 10)), model, threshold=threshold)


def _sentences_of(texts):
    return lambda _chunk_id: [_Sentence(t, 40 * i) for i, t in enumerate(texts)]


def test_another_candidates_sentence_is_quoted_only_when_the_answer_is_in_doubt():
    analysis = QuestionAnalysis.of("Hai tỉnh ký kết vào năm nào?")
    texts = ["Hai tỉnh ký kết năm 2019.", "Hai tỉnh gặp lại năm 2021."]
    quoted = {}
    for hedge_below in (None, 0.6, 0.4):  # the model says P = 0.5
        reader = _reader()
        reader.hedge_below = hedge_below
        decision = reader.decide(analysis, VECTOR, [passage()], _sentences_of(texts))
        assert decision.composed.short_answer == "2019"
        quoted[hedge_below] = [s.text for s in decision.extract.sentences]
    assert quoted[None] == quoted[0.6] == texts  # in doubt: the rival year is quoted too
    assert quoted[0.4] == texts[:1]  # sure: the sentence of the short answer alone


def test_evidence_says_a_year_was_asked_and_the_quoted_sentence_holds_none():
    analysis = QuestionAnalysis.of("Hai tỉnh ký kết vào năm nào?")
    reader = _reader()
    without = reader.decide(analysis, VECTOR, [passage()], _sentences_of(["Hai tỉnh ký kết hợp tác."]))
    assert without.evidence is not None and without.evidence.no_span == 1.0
    assert without.composed.short_answer is None
    with_year = reader.decide(analysis, VECTOR, [passage()], _sentences_of(["Hai tỉnh ký kết năm 2019."]))
    assert with_year.evidence is not None and with_year.evidence.no_span == 0.0
    assert with_year.composed.short_answer == "2019"


def test_the_short_answer_comes_from_an_article_naming_the_subject_in_another_passage_read():
    analysis = QuestionAnalysis.of("Bệnh viện Sơn Lâm đã khám sàng lọc bao nhiêu trẻ em?")
    lead = passage("a1", "a1#0", text="Bệnh viện Sơn Lâm mở đợt khám mắt cho người nghèo.")
    later = passage("a1", "a1#4", text="Qua đợt này, bệnh viện khám sàng lọc được 640 trẻ em.")
    other = passage("a2", "a2#0", text="Bệnh viện Sơn Lâm nhận thêm máy mới.")
    texts = {p.chunk_id: [_Sentence(p.text, 60 * i)] for i, p in enumerate((lead, later, other))}

    def short_answer(read: list[Passage]) -> str | None:
        return _reader().decide(analysis, VECTOR, read, lambda chunk: texts[chunk]).composed.short_answer

    assert short_answer([later, lead]) == "640 trẻ em"
    assert short_answer([later, other]) is None  # another article names the hospital, not this one


def test_evidence_says_the_answer_is_about_another_year():
    def other_year(question: str, text: str, published: datetime | None = None) -> float:
        read = [replace(passage(), published=published)]
        found = _reader().decide(QuestionAnalysis.of(question), VECTOR, read, _sentences_of([text])).evidence
        assert found is not None
        return found.other_year

    asked = "Năm 2025, xã Sơn Lâm đón bao nhiêu lượt khách?"
    assert other_year(asked, "Năm 2024, xã Sơn Lâm đón 12.000 lượt khách.") == 1
    assert other_year(asked, "Năm 2025, xã Sơn Lâm đón 12.000 lượt khách, hơn năm 2024.") == 0
    assert other_year(asked, "Giai đoạn 2021–2027, xã Sơn Lâm đón 12.000 lượt khách/năm.") == 0  # a period holds it
    assert other_year("Xã Sơn Lâm đón bao nhiêu lượt khách?", "Năm 2024, xã Sơn Lâm đón 12.000 lượt khách.") == 0
    school_year = "Năm học 2026–2027, xã Sơn Lâm mở bao nhiêu lớp bơi?"
    assert other_year(school_year, "Năm học 2027–2028, xã Sơn Lâm mở 14 lớp bơi.") == 1  # shares 2027
    assert other_year(school_year, "Năm học 2026–2027, xã Sơn Lâm mở 14 lớp bơi.") == 0
    assert other_year(school_year, "Năm 2027, xã Sơn Lâm mở 14 lớp bơi.") == 0  # a year in it
    # A sentence naming no year speaks of its article's; in a first quarter, maybe of the year before.
    summer, january = datetime(2024, 7, 2, tzinfo=VIETNAM), datetime(2026, 1, 5, tzinfo=VIETNAM)
    assert other_year(asked, "Trong quý II, xã Sơn Lâm đón 12.000 lượt khách.", summer) == 1
    assert other_year(asked, "Trong quý II, xã Sơn Lâm đón 12.000 lượt khách.") == 0  # no date: nothing says
    assert other_year(asked, "Cả năm, xã Sơn Lâm đón 12.000 lượt khách.", january) == 0
    # A year compared with is not the one the sentence speaks of.
    later = datetime(2026, 7, 2, tzinfo=VIETNAM)
    assert other_year(asked, "Xã Sơn Lâm đón 12.000 lượt khách, tăng 7,5% so với cùng kỳ năm 2025.", later) == 1


def test_evidence_says_an_office_was_asked_and_only_another_s_holder_is_named():
    def no_holder(question: str, text: str) -> float:
        found = _reader().decide(QuestionAnalysis.of(question), VECTOR, [passage()], _sentences_of([text])).evidence
        assert found is not None
        return found.no_office_holder

    asked = "Ai là Chủ tịch UBND huyện Sơn Lâm?"
    assert no_holder(asked, "Phó Chủ tịch UBND huyện Sơn Lâm Lê Văn Tám dự lễ.") == 1
    assert no_holder(asked, "Chủ tịch UBND huyện Sơn Lâm Lê Văn Tám dự lễ.") == 0
    assert no_holder("Ai dự lễ khánh thành?", "Phó Chủ tịch UBND huyện Sơn Lâm Lê Văn Tám dự lễ.") == 0
    # English titles translate loosely (a governor may be a `Tỉnh trưởng`): not read for them.
    deputy = "Phó Chủ tịch UBND huyện Sơn Lâm Lê Văn Tám dự lễ."
    assert no_holder("Who is the Chairman of Son Lam district?", deputy) == 0


def test_evidence_says_a_vietnamese_question_was_typed_without_diacritics():
    read = ([passage()], _sentences_of(["Hai tỉnh ký kết năm 2019."]))

    def unaccented(question: str) -> float:
        evidence = _reader().decide(QuestionAnalysis.of(question), VECTOR, *read).evidence
        assert evidence is not None
        return evidence.unaccented

    assert unaccented("hai tinh ky ket vao nam nao?") == 1.0
    assert unaccented("Hai tỉnh ký kết vào năm nào?") == 0.0
    assert unaccented("In which year did the two provinces sign?") == 0.0  # English has its own field


def test_the_shipped_model_loads_with_its_threshold_and_provenance():
    model = AnswerabilityModel.load()
    assert model.weights.shape == (len(Evidence.names()),) and 0.0 < model.threshold < 1.0
    assert json.loads(MODEL_FILE.read_text(encoding="utf-8"))["provenance"]["by"]
    with np.load(RANKER_FILE) as ranker:  # its second stage reads what the shipped ranker's head reads
        assert model.reading is not None and model.reading.shape == ranker["head.w"].shape


@pytest.mark.parametrize("content", ["not json", json.dumps({"weights": {"dense": 1.0}, "bias": 0})])
def test_a_broken_or_foreign_model_file_is_a_clear_error(tmp_path, content):
    path = tmp_path / "abstention.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ModelFileError, match=r"answerability|evidence"):
        AnswerabilityModel.load(path)
    with pytest.raises(ModelFileError):
        AnswerabilityModel.load(tmp_path / "missing.json")


def test_the_second_stage_adds_what_the_ranker_read_of_the_best_sentence_to_the_logit(tmp_path):
    names = Evidence.names()
    data = {"weights": dict.fromkeys(names, 0.0), "bias": 0.0, "threshold": 0.5, "means": dict.fromkeys(names, 0.0)}
    path = tmp_path / "abstention.json"
    path.write_text(json.dumps(data | {"reading": {"weights": [1.0, -2.0], "bias": 0.5}}), encoding="utf-8")
    model = AnswerabilityModel.load(path)
    evidence = Evidence(*[0.0] * len(names))
    assert model.probability(evidence) == pytest.approx(0.5)  # nothing read: the first stage alone
    read = replace(evidence, reading=np.array([1.0, 1.5]))  # logit 1 - 3 + 0.5 = -1.5
    assert model.probability(read) == pytest.approx(1 / (1 + np.exp(1.5)))
    assert model.reason(read, 0.5).endswith("reading -1.50")
    path.write_text(json.dumps(data | {"reading": {"weights": "many", "bias": 0}}), encoding="utf-8")
    with pytest.raises(ModelFileError, match="answerability"):
        AnswerabilityModel.load(path)


def test_the_reader_reads_its_model_only_to_decide(monkeypatch):
    """`make train` scores and composes with the pipeline's reader while the model file may be one
    of other evidence fields: only deciding reads it."""
    def refuse(cls, path=MODEL_FILE):
        raise ModelFileError(f"{path} was trained on other evidence")

    monkeypatch.setattr(AnswerabilityModel, "load", classmethod(refuse))
    reader = Reader(SentenceScorer(WEIGHTS))
    analysis = QuestionAnalysis.of("Hai tỉnh ký kết năm nào?")
    read = ([passage()], _sentences_of(["Hai tỉnh ký kết năm 2019."]))
    scored = reader.score(analysis, VECTOR, *read)
    extract, evidence = reader.compose(analysis, scored, read[0])
    assert extract.short_answer == "2019" and evidence.no_span == 0.0
    with pytest.raises(ModelFileError, match="other evidence"):
        reader.decide(analysis, VECTOR, *read)


def test_the_reader_declines_below_its_threshold_and_keeps_the_answer_it_would_give():
    analysis = QuestionAnalysis.of("Hai bên ký kết gì?")
    read = ([passage()], _sentences_of(["Hai bên ký kết."]))
    answered = _reader().decide(analysis, VECTOR, *read)  # every answer: P = 0.5
    assert not answered.abstained and answered.probability == pytest.approx(0.5)
    declined = _reader(threshold=0.6).decide(analysis, VECTOR, *read)
    assert declined.abstained and declined.composed == answered.composed and declined.extract.sentences == []
    assert declined.reason.startswith("P(answerable)=0.50 < 0.60")


def test_an_answer_without_the_figure_asked_is_declined_whatever_p():
    analysis = QuestionAnalysis.of("Hội chợ có bao nhiêu gian hàng?")
    read = ([passage()], _sentences_of(["Hội chợ kéo dài 5 ngày, đón 2.000 khách."]))
    declined = _reader().decide(analysis, VECTOR, *read)  # the model says P = 0.5 ≥ 0.5
    assert declined.abstained and declined.probability == 0.0 and declined.reason == NO_FIGURE
    assert declined.composed.short_answer is None and declined.composed.sentences  # what it would have quoted
    lenient = _reader()
    lenient.figure_required = False
    assert not lenient.decide(analysis, VECTOR, *read).abstained
    fitting = ([passage()], _sentences_of(["Hội chợ có 120 gian hàng."]))
    assert _reader().decide(analysis, VECTOR, *fitting).composed.short_answer == "120 gian hàng"
    assert not gives_no_figure(QuestionAnalysis.of("Ai khai mạc hội chợ?"), declined.composed)  # no figure asked


@pytest.mark.parametrize(
    ("question", "declined_on", "check", "switch", "reason", "answered_on"),
    [
        (  # what the question denies, said with no negation
            "Loại vé nào không được hoàn tiền?",
            "Vé ngày thường được hoàn tiền trong ba ngày.",
            says_what_is_denied,
            "negation_checked",
            NEGATION_AFFIRMED,
            (
                "Vé ngày lễ không được hoàn tiền.",  # the answer says no too
                "Vé khuyến mại chỉ được đổi ngày.",  # it may say so otherwise
            ),
        ),
        (  # a thing the question counts, counted by another number
            "Ai thiết kế 3 cây cầu qua sông Lam?",
            "Kiến trúc sư Trần Văn Sơn thiết kế 4 cây cầu qua sông Lam.",
            counts_another_number,
            "counts_checked",
            OTHER_COUNT,
            ("Kiến trúc sư Trần Văn Sơn thiết kế ba cây cầu qua sông Lam.",),
        ),
        (  # one of some alternatives asked, only another said, whatever the kind of answer
            "Chiếc thuyền nhỏ nhất của đội tên là gì?",
            "Chiếc thuyền lớn nhất của đội tên là Sao Mai.",
            says_another_alternative,
            "alternatives_checked",
            ANOTHER_ALTERNATIVE,
            (
                "Chiếc thuyền nhỏ nhất của đội tên là Sao Hôm.",
                "Chiếc lớn nhất tên là Sao Mai, chiếc nhỏ nhất tên là Sao Hôm.",  # both said
                "Thuyền của đội tên là Sao Mai.",  # neither
            ),
        ),
        (  # the holder of an office asked, only its deputy titled
            "Giám đốc trại giống Sơn Lâm là ai?",
            "Bà Lê Hạ Vy, Phó Giám đốc trại giống Sơn Lâm, cho biết vụ mới xong vào tháng 9.",
            titles_another_office,
            "offices_checked",
            ANOTHER_OFFICE,
            (
                "Ông Trần Khải Đông, Giám đốc trại giống Sơn Lâm, cho biết vụ mới xong vào tháng 9.",
                "Ông Trần Khải Đông, Giám đốc trại, và bà Lê Hạ Vy, Phó Giám đốc trại, dự lễ.",  # both
                "Ông Trần Khải Đông cho biết vụ mới xong vào tháng 9.",  # no title
            ),
        ),
    ],
)
def test_a_check_before_the_model_declines_whatever_p(question, declined_on, check, switch, reason, answered_on):
    analysis = QuestionAnalysis.of(question)
    read = ([passage()], _sentences_of([declined_on]))
    declined = _reader().decide(analysis, VECTOR, *read)  # the model says P = 0.5 ≥ 0.5
    assert declined.abstained and declined.probability == 0.0 and declined.reason == reason
    assert check(analysis, declined.composed)
    lenient = _reader()
    setattr(lenient, switch, False)
    assert not lenient.decide(analysis, VECTOR, *read).abstained
    for sentence_read in answered_on:
        assert not _reader().decide(analysis, VECTOR, [passage()], _sentences_of([sentence_read])).abstained


def test_a_count_in_an_english_question_is_not_compared():
    """Its words are not the article's: only a unit would match (`3 km` asked, `4 km` said)."""
    english = QuestionAnalysis.of("How much did the 3 km road cost?")
    read = ([passage()], _sentences_of(["Đoạn đường 4 km có giá 20 tỷ đồng."]))
    assert counts_otherwise(english.text, "Đoạn đường 4 km có giá 20 tỷ đồng.")
    assert not counts_another_number(english, _reader().decide(english, VECTOR, *read).composed)


def test_a_dateline_may_open_with_the_place_it_was_filed_from():
    for lead in ("Sơn Lâm, ngày 3/10/2025 – Sở Tài chính cho biết …", "TP. Đông Phú, 5/6 - Chiều nay, …",
                 "(Sơn Lâm) 12/5 – Tỉnh khai trương …"):
        assert is_dateline(sentence(lead, start=0)), lead
    for other in ("Sơn Lâm và Đông Phú ngày 3/10/2025 ký thỏa thuận.", "Năm 2024, tỉnh Sơn Lâm đón 2 triệu khách.",
                  "Tỉnh Sơn Lâm, ngày 3/10/2025 sẽ khởi công cầu."):
        assert not is_dateline(sentence(other, start=0)), other
    assert not is_dateline(sentence("Sơn Lâm, ngày 3/10/2025 – Sở Tài chính cho biết …", start=80))


@pytest.mark.parametrize(
    ("question", "organisation"),
    [
        ("Doanh nghiệp nào lắp đặt trạm bơm?", "Công ty cổ phần Bình Minh"),  # a company, no department
        ("Khoản vay lấy từ ngân hàng nào?", None),  # a bank asked: neither answers
        ("Đơn vị nào phụ trách trạm bơm?", "Sở Nông nghiệp Sơn Lâm"),  # any body answers `đơn vị`
        ("Which company installs the pumping station?", "Công ty cổ phần Bình Minh"),
    ],
)
def test_an_organisation_answers_when_it_is_of_the_kind_asked(question, organisation):
    text = "Theo Sở Nông nghiệp Sơn Lâm, Công ty cổ phần Bình Minh sẽ lắp đặt trạm bơm mới."
    spans = Asked.of(question, AnswerType.ORGANISATION).fitting_spans(text)
    assert (spans[0].text if spans else None) == organisation


@pytest.mark.parametrize(
    ("question", "organisation"),
    [
        ("Hãng nào tài trợ cho đội?", "Bình Sơn Air"),  # named after `hãng` written in lowercase
        ("Đội nào để thua?", "Đội Sơn Lâm"),
        ("Ngân hàng nào đứng sau đội bóng?", None),  # neither is a bank
    ],
)
def test_a_name_after_a_lowercase_kind_is_an_organisation_of_that_kind(question, organisation):
    text = "Đội Sơn Lâm thua đội Đông Phú Gaming, đội được hãng Bình Sơn Air tài trợ."
    spans = Asked.of(question, AnswerType.ORGANISATION).fitting_spans(text)
    assert (spans[0].text if spans else None) == organisation


def test_which_kind_of_organisation_a_question_asks_for():
    assert organisation_kinds("Hãng hàng không nào mở đường bay mới?")[:2] == ("Tổng công ty", "Công ty")
    assert organisation_kinds("Doi nao thang tran chung ket?") == ("Đội", "Câu lạc bộ", "CLB")
    assert organisation_kinds("Thay đổi nào được áp dụng?") == ()  # `đổi` is no `đội`
    assert organisation_kinds("Hàng hóa bán vào thị trường nào nhiều nhất?") == ()  # a market, no school
    assert organisation_kinds("Which agency funded the laboratory?") == ()  # any body answers
    assert organisation_kinds("Đơn vị bộ đội nào giúp dân làng?") == ()  # a unit, not a team (`đội`)
