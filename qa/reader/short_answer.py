"""The short answer: a span of the kind the question asks for (a number, a date, a name, a place,
a period) that fits what it asks about, found in a quoted sentence.

`Asked` is worked out once per question; its checks are small named functions, each tested alone on
made-up sentences (tests/test_reader.py)."""
from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from qa import messages, vocabulary
from qa.compounds import LONGEST_WORD, split_words, whole_words
from qa.lexicon import FoldedText
from qa.question import (
    COMPARISON,
    OFFICE_TITLE,
    AnswerType,
    alternatives_said,
    asked_alternatives,
    asked_body,
    asked_bound,
    asked_dimension,
    asked_measure,
    asked_office,
    asked_rate,
    asks_a_birth,
    asks_a_country,
    asks_an_earlier_figure,
    asks_an_extreme,
    asks_for_money,
    asks_ordinal,
    asks_which,
    counted_noun,
    counted_phrase,
    counts_things,
    office_titled,
    organisation_kinds,
    place_noun,
    words_of_a_body,
)
from qa.reader.candidates import ScoredSentence
from qa.spans import (
    MONTHS_MENTION,
    Span,
    answer_spans,
    bare_day,
    clause_around,
    is_amount_of_money,
    looks_like_year,
    months_named,
    opens_with_day,
    organisation_kind,
    periods_named,
    rest_of_clause,
    units_named,
    units_spoken_of_whole,
    years_named,
)
from qa.text import fold, has_diacritics

# Questions asking for a date or a number: a sentence without one does not answer them.
MUST_HAVE_SPAN = frozenset({AnswerType.PERIOD, AnswerType.YEAR, AnswerType.DAY, AnswerType.DATE, AnswerType.NUMBER})
# Questions asking for a person or a place: a weaker signal, as answers to "ai" and "ở đâu" are as
# often organisations and phrases as the names the span finders know.
NAMED = frozenset({AnswerType.PERSON, AnswerType.PLACE})

# Each spelling of a unit (folded) → all of its spellings.
_UNIT_SPELLINGS = {fold(word): frozenset(map(fold, unit)) for unit in vocabulary.UNIT_SPELLINGS for word in unit}
_CALENDAR = frozenset(fold(word) for word in vocabulary.CALENDAR_NOUNS)
_GENERIC_COUNTED = frozenset(fold(word) for word in vocabulary.GENERIC_COUNTED)
_PEOPLE_COUNTED = frozenset(fold(word) for word in vocabulary.PEOPLE_COUNTED)
_NOT_PEOPLE = frozenset(vocabulary.NOT_PEOPLE)
_ALL_UNITS = frozenset(vocabulary.MEASURE_UNITS)
_CLOCK_BEFORE = frozenset(fold(word) for word in vocabulary.CLOCK_BEFORE)
_PARTS_OF_DAY = frozenset(fold(word) for word in vocabulary.PARTS_OF_DAY)
_HUNDREDTHS_AFTER = frozenset((unit,) for unit in vocabulary.HUNDREDTHS_AFTER)
# As `with_unit` reads words (`km/h` is `km`, `h`), longest first: `km vuông` before `km`.
_MEASURE_UNITS = tuple(
    sorted((tuple(re.split(r"[\s/]+", unit)) for unit in vocabulary.MEASURE_UNITS), key=len, reverse=True)
)


def answer_words(text: str) -> tuple[str, ...]:
    """An answer's words and numbers, folded, without its punctuation and spacing."""
    return tuple(re.findall(r"[\w.,]*\w", fold(text)))


@dataclass(frozen=True)
class Asked:
    """What a question asks for beyond its kind, which a candidate span must fit."""

    question: str
    kind: AnswerType
    counted: str | None  # `bao nhiêu chiếc thuyền` → `chiec`: the number must count it
    counted_words: tuple[str, ...]  # … → `chiec xe buyt`: what the answer's lead says after the number
    ordinal: bool  # `phút thứ mấy` → `phút 63`: the number follows the noun
    per: str | None  # `bao nhiêu một năm` → `nam`: an amount given per that unit (`/năm`, `mỗi năm`)
    ranges: bool  # a range of numbers answers it as one (`5–7 m`); not when one end is asked (`tối đa`)
    things: bool  # "How many bridges …?": a count, which no amount in a unit of measure or money answers
    money: bool  # a price or a budget: an amount with its currency
    measure: tuple[str, ...]  # `dài bao nhiêu` → length units: the number must carry one
    dimension: str | None  # `dài bao nhiêu` → `dài`: a number said to be another (`rộng 14 m`) does not answer
    place: str | None  # `tại nhà hát nào` → `nha hat`: the name follows those words
    country: bool  # `nước nào`, `quốc tịch`: a country's name answers (`vocabulary.COUNTRIES`)
    # `Doanh nghiệp nào …` → (`Công ty`, …): the kinds of organisation that answer (none: any does)
    organisations: tuple[str, ...]
    office: str | None  # `Ai là Giám đốc …` → `giam doc`: its holder, not a deputy (`pho giam doc`)
    body: frozenset[str]  # `… Giám đốc Trung tâm Khảo nghiệm Bình Sơn` → `khao`, `binh son`: no other body's head
    bound: str | None  # `kết thúc vào ngày nào` → `end`: of a range of dates, the end answers (`đến ngày 6/9`)
    # A figure asked as it was (True: `trước khi`, `cùng kỳ năm trước`) or as it is now (False; None: no
    # figure asked): of a change (`từ 35 phút xuống còn 10 phút`), that one answers; as it was, also
    # the one compared with (`so với 20 ha của vụ trước`).
    earlier: bool | None
    numbered: tuple[tuple[str, int], ...]  # `giai đoạn 2` → (`giai doan`, 2): the numbered things asked about
    alternatives: tuple[tuple[str, ...], ...]  # `nhập khẩu` asked: (`nhập khẩu`, `xuất khẩu`)
    birth: bool  # a birth asked (`năm sinh`): only then does a birth year answer (`SN 1985`: `birth_year`)
    # The question's words with the years it asks about (`Năm 2024, …`), none it reasons from (`Trước
    # năm 2024`, `từ năm 2020`: `vocabulary.TIME_CUE_BLOCKERS`); None when it asks about no year.
    years_asked: str | None
    # Of a figure asked, the months of the year it is counted over (`Quý II/2025, …` → 4, 5, 6), none
    # the question reasons from; none for other questions (the month of an event a person is asked of).
    months: frozenset[int]
    # Of a figure asked, the administrative units the question names, with how wide each is
    # (`huyện Sơn Lâm` → (2, `Sơn Lâm`)): a figure said of another as wide or wider does not answer.
    places: tuple[tuple[int, str], ...] = ()
    # For an office asked: every name the passages read title, with its offices (`offices_titled`).
    titled: Mapping[str, set[str]] = field(default_factory=dict)
    # A count of people read as a count of anything (`as_count_of_things`): no place, body or thing
    # counted answers it (`vocabulary.NOT_PEOPLE`).
    people: bool = False

    @classmethod
    def of(cls, question: str, kind: AnswerType, read: Sequence[str] = ()) -> Asked:
        """What `question` asks for; `read`, the passages it is answered from, give the titles of
        the people they name."""
        number = kind is AnswerType.NUMBER
        counted = counted_noun(question) if number else None
        counted_words = counted_phrase(question) if counted else ()
        counted = unit_named(counted_words) or counted
        office = asked_office(question) if kind is AnswerType.PERSON else None
        measure = asked_measure(question) if kind is AnswerType.MEASURE or (number and not counted) else ()
        things = number and not measure and counts_things(question)
        return cls(
            question,
            kind,
            counted=counted,
            counted_words=counted_words,
            ordinal=bool(counted) and asks_ordinal(question),
            per=asked_rate(question) if number else None,
            ranges=not asks_an_extreme(question),
            things=things,
            # A measure named is no amount of money: "Tỷ lệ giải ngân vốn … là bao nhiêu?" asks a share;
            # nor is a count: "How many workers earn the minimum wage?" counts workers.
            money=number and not measure and not things and asks_for_money(question),
            measure=measure,
            dimension=asked_dimension(question) if kind in (AnswerType.NUMBER, AnswerType.MEASURE) else None,
            place=place_noun(question) if kind is AnswerType.PLACE else None,
            country=kind is AnswerType.PLACE and asks_a_country(question),
            organisations=organisation_kinds(question) if kind is AnswerType.ORGANISATION else (),
            office=office,
            body=asked_body(question) if office else frozenset(),
            bound=asked_bound(question) if kind in (AnswerType.DATE, AnswerType.DAY) else None,
            earlier=asks_an_earlier_figure(question) if kind in (AnswerType.NUMBER, AnswerType.MEASURE) else None,
            birth=asks_a_birth(question),
            numbered=numbered_things(question),
            years_asked=years_asked(question),
            months=months_asked(question) if kind in (AnswerType.NUMBER, AnswerType.MEASURE) else frozenset(),
            alternatives=asked_alternatives(question),
            places=places_asked(question) if kind in (AnswerType.NUMBER, AnswerType.MEASURE) else (),
            titled=offices_titled(read) if office else {},
        )

    def fits(self, sentence: str, span: Span) -> bool:
        """A number counts the noun asked about, or else is written in digits and is no bare year
        (`hai` alone is mostly `hai bên`, "both sides"; `2022` alone is a year); a price has a
        currency, and a count of things neither a currency nor a unit of measure, nor a score
        (`is_a_score`), and a count of people no place, body or thing; the holder of an office is
        titled with it, not as its deputy or another office, nor as the head of another body
        (`of_another_body`); an organisation is of the kind asked (a company for `doanh nghiệp
        nào`, not `Sở Xây dựng`); a birth year answers only a birth asked; a figure given for a
        year answers no question about another (`given_for_another_year`), nor one said of another
        administrative unit than the one asked (`said_of_another_place`)."""
        if self.money and not is_amount_of_money(sentence, span):
            return False
        if self.per and not given_per(sentence, span, self.per):
            return False
        if self.measure and (not measured_in(sentence, span, self.measure) or a_time_of_day(sentence, span)):
            return False
        if self.dimension and said_of_another_dimension(sentence, span, self.dimension):
            return False
        if self.places and said_of_another_place(sentence, span, self.places, self.question):
            return False
        if self.things and (measured_in(sentence, span, _ALL_UNITS) or is_amount_of_money(sentence, span)):
            return False
        if self.people and sentence[span.end : counted_after(sentence, span.end)].strip().lower() in _NOT_PEOPLE:
            return False
        if self.office and (other_office(sentence, span, self.office) or self.titled_otherwise(span.text)):
            return False
        if self.office and self.body and of_another_body(sentence, span, self.office, self.body):
            return False
        if self.organisations and not organisation_kind(sentence, span).startswith(self.organisations):
            return False
        if self.kind in (AnswerType.DATE, AnswerType.YEAR) and not self.birth and birth_year(sentence, span):
            return False
        if (self.things or self.counted) and is_a_score(sentence, span):
            return False
        if self.kind is AnswerType.NUMBER:
            if self.years_asked and given_for_another_year(sentence, span, self.years_asked):
                return False
            counted = counts(sentence, span, self.counted, ordinal=self.ordinal) if self.counted else False
            if self.counted and not counted:
                return False
            if not counted and (looks_like_year(span.text) or not any(c.isdigit() for c in span.text)):
                return False
        return True

    def titled_otherwise(self, name: str) -> bool:
        """Wherever the passages read title the name, it is with another office than the one asked:
        the deputy introduced as `Phó Giám đốc … Lê Thị Hoa` is no director where later `bà Lê Thị
        Hoa` speaks untitled."""
        held = self.titled.get(name, set())
        return bool(held) and self.office not in held

    def spans_in(
        self, sentence: ScoredSentence, names: Sequence[str] = (), article: str | None = None
    ) -> list[Span]:
        """Fitting spans of the sentence, not already in the question. With `names`, only when the
        sentence, the one before it or its title mentions every one of them: a sentence about
        another province does not answer a question about this one. With `article`, the text read
        of the sentence's article: when that does (an article names its subject once, then says
        `the port`, `the project`). Never when the sentence is about another of the numbered things
        the question asks about (`about_another_numbered`), only about other alternatives than
        the one it asks (`about_another_alternative`), or about other years or months than the
        ones it names (`about_another_year`, `about_other_months`)."""
        if self.numbered and about_another_numbered(sentence.text, self.numbered):
            return []
        if self.years_asked and about_another_year(self.years_asked, sentence, earlier=bool(self.earlier)):
            return []
        if self.months and about_other_months(self.months, sentence.text, earlier=bool(self.earlier)):
            return []
        if self.alternatives and about_another_alternative(sentence.text, self.alternatives):
            return []
        if names:
            around = sentence.previous if article is None else article
            context = FoldedText(f"{sentence.passage.title} {around} {sentence.text}")
            if not all(context.mentions(n) for n in names):
                return []
        return self.fitting_spans(sentence.text)

    def fitting_spans(self, text: str) -> list[Span]:
        spans = answer_spans(text, self.kind, exclude=self.question, after=self.place, countries=self.country)
        if self.kind in (AnswerType.NUMBER, AnswerType.MEASURE):
            spans = whole_measures(text, spans, ranges=self.ranges)
        return [span for span in spans if self.fits(text, span)]

    @property
    def paraphrasable(self) -> bool:
        """It counts a generic noun (`bao nhiêu người`, `bao nhiêu lần`), which articles often write
        with a more particular one (`58 hành khách`, `37 cuộc tuần tra`)."""
        return self.counted in _GENERIC_COUNTED

    def as_count_of_things(self) -> Asked:
        """The question as a count of anything but a measure or money (as "how many …?" is read);
        of people, of none of the things that are not (`vocabulary.NOT_PEOPLE`)."""
        people = bool(_PEOPLE_COUNTED.intersection(self.counted_words))
        return replace(self, counted=None, counted_words=(), ordinal=False, things=True, people=people)

    def holds(self, text: str) -> bool:
        """The text holds a fitting span (what the sentence score's `typed_weight` rewards)."""
        return bool(self.fitting_spans(text))

    def best_has_none(self, sentence: ScoredSentence) -> bool:
        """A date or a number is asked and the sentence holds no span of that kind at all, fitting
        or not: it cannot be the answer, so the sentence that holds one replaces it. (Names are
        found less reliably: a best sentence is never replaced for one.)"""
        return self.kind in MUST_HAVE_SPAN and not answer_spans(sentence.text, self.kind, exclude=self.question)

    def rival_to(self, answer: str) -> Callable[[ScoredSentence], bool]:
        """Whether a sentence holds a fitting span other than `answer` (about anything): a second
        candidate answer, which the answer quotes too, so that a wrong pick does not hide the
        right one. The same answer written otherwise (`2025–2028`, `2025 - 2028`) is no rival."""
        said = answer_words(answer)
        return lambda sentence: any(answer_words(span.text) != said for span in self.spans_in(sentence))

    def answer_in(
        self,
        sentences: Sequence[ScoredSentence],
        names: Sequence[str],
        query_terms: set[str],
        articles: Mapping[str, str] | None = None,
    ) -> tuple[ScoredSentence, Span] | None:
        """The short answer: from the first sentence that has a fitting span (about `names`, as
        `spans_in` reads them; with `articles`, the text read of each article by its id, as far as
        its article names them), the one led by most of the question's words (`said_before`), then
        the nearest to them — for an end of a range asked, first one the sentence says is that end
        (`said_as_bound`); for a figure as it is now, first one the sentence does not say a change
        started from (`changed_from`), and for one as it was, first one it says was earlier
        (`earlier_figure`: a figure compared with may also be another thing's, so it is put first
        only when asked); of alternatives asked, first one the sentence does not say is of another
        (`of_another_alternative`); with that sentence (the span's offsets are in its text)."""
        for sentence in sentences:
            article = articles.get(sentence.passage.article_id) if articles is not None else None
            spans = self.spans_in(sentence, names, article)
            if spans:
                text = sentence.text
                return sentence, min(
                    spans,
                    key=lambda span: (
                        self.bound is not None and said_as_bound(text, span) != self.bound,
                        self.earlier is not None
                        and (not earlier_figure(text, span) if self.earlier else changed_from(text, span)),
                        bool(self.alternatives) and of_another_alternative(text, span, self.alternatives),
                        -said_before(text, span, query_terms),
                        distance(text, span, query_terms),
                    ),
                )
        return None

    def shown(self, sentence: str, span: Span) -> str:
        """The short answer as the answer shows it: a number with its unit, and the unit it is given
        per when a slash writes one (`9.500 đồng/kg`); for "ngày nào", the day
        alone (`Sáng 8/4` → `8/4`, led as `Ngày 8/4.`), the hour and the part of the day being the
        sentence's to tell; for "khi nào", a year without its `năm` (led as `Năm 1998.`) and a day
        without its `ngày` (`14/6`, led as `Ngày 14/6.`; the hour it is given with stays)."""
        if self.kind in (AnswerType.NUMBER, AnswerType.MEASURE):
            return with_unit_per(sentence, span.start, with_unit(sentence, span))
        if self.kind is AnswerType.DAY:
            return bare_day(span.text)
        if self.kind is AnswerType.DATE:  # led `Năm 1998.`, `Ngày 14/6.`
            return re.sub(r"^(?:năm\s+(?=\d{4}$)|ngày\s+(?=\d))", "", span.text, flags=re.IGNORECASE)
        if self.kind is AnswerType.PLACE and not asks_which(self.question):
            return with_administrative_unit(sentence, span)
        return span.text


    def said(self, sentence: str, span: Span) -> str:
        """The short answer, which the answer's lead says: as `shown`, and for a count the question's
        words for what is counted, as far as the sentence repeats them after the number (`12` →
        `12 chiếc thuyền rồng` for "bao nhiêu chiếc thuyền rồng"): what a reader asked would say,
        and how most gold answers of native questions are written (docs/answering.md), up to the
        end of the word the repeat stops in (`ca nô cứu hộ`, not `ca nô cứu`). A number shown with
        its unit of measure says what it counts already (`40 tấn`, not `40 tấn gạo`). A count asked
        in other words than the sentence's says the noun written after the number (`counted_after`)."""
        shown = self.shown(sentence, span)
        if self.things and not self.counted_words and _BARE_FIGURE.fullmatch(shown):
            return sentence[span.start : counted_after(sentence, span.end)]
        if not self.counted_words or ends_in_a_unit(shown):
            return shown
        tail = re.match(r"[^,;:.()!?\"“”–]*", sentence[span.end :])
        words = list(re.finditer(r"\S+", tail.group(0) if tail else ""))
        folded = [fold(w.group(0)) for w in words]
        start = next((i for i, word in enumerate(folded[:3]) if word == self.counted_words[0]), None)
        if start is None:
            return shown
        n = 0
        while n < len(self.counted_words) and start + n < len(words) and folded[start + n] == self.counted_words[n]:
            n += 1
        n = whole_words([word.group(0) for word in words[start:]], n)  # not `650 công` of `công nhân`
        end = span.end + words[start + n - 1].end()
        return sentence[span.start : end] if end > span.start + len(shown) else shown


_BARE_FIGURE = re.compile(r"\d[\d.,]*")
_NOT_COUNTED_AFTER = frozenset(
    (*vocabulary.VIETNAMESE_FUNCTION_WORDS, *vocabulary.COUNT_PHRASE_ENDS, *vocabulary.NOT_COUNTED_AFTER_A_NUMBER)
)


def counted_after(sentence: str, end: int) -> int:
    """Where the noun a number counts ends, the number ending at `end`: the one word written right
    after it, of as many syllables as the dictionary knows (`14 khu công nghiệp mới …` → after
    `nghiệp`: `qa.compounds`); `end` itself when a function word, a name, a figure or punctuation
    follows. For a count asked in other words than the sentence's ("How many industrial parks …?",
    or `bao nhiêu người` answered by `58 hành khách`), the lead says what the number counts, as gold
    answers of native questions do."""
    tail = re.match(r"[^,;:.()!?\"“”–\[\]]*", sentence[end:])
    syllables = list(re.finditer(r"\S+", tail.group(0) if tail else ""))
    if not syllables:
        return end
    word = split_words([s.group(0) for s in syllables[:LONGEST_WORD]])[0]
    if not word.replace(" ", "").isalpha() or not word.islower() or word in _NOT_COUNTED_AFTER:
        return end
    return end + syllables[len(word.split()) - 1].end()


# A word of a unit, or a mark of punctuation (which ends a measure).
_UNIT_WORD = re.compile(r"[^\s/,;:.()!?\"“”–]+|[,;:.()!?\"“”–]")


def unit_named(counted_words: Sequence[str]) -> str | None:
    """A unit asked in two words (`bao nhiêu cây số` → `cay so`, `bao nhiêu km vuông`): the counted
    noun, which `counts` finds after the number in any of its spellings (`95 km`); None when the
    first two counted words are no unit (the first word alone is the counted noun)."""
    unit = " ".join(counted_words[:2])
    return unit if unit in _UNIT_SPELLINGS else None


def ends_in_a_unit(answer: str) -> bool:
    """`42 ha`, `1,3 triệu tấn`, `9.500 đồng`: the answer ends in a unit of measure after its
    number (`năm` alone is "five", not a year)."""
    words = tuple(_UNIT_WORD.findall(answer))
    return any(len(words) > len(unit) and words[-len(unit) :] == unit for unit in _MEASURE_UNITS)


def with_unit(sentence: str, span: Span) -> str:
    """A number with the unit written right after it (`60 m2`, `âm 2,5 độ C`, `trong 20 giờ`,
    `9.500 đồng/kg` → `9.500 đồng`), in parts when it comes so (`3 giờ 15 phút`), with the
    hundredths written after the seconds (`1 phút 2 giây 47`): a measure is not answered by its
    number alone (the unit it is given per is `with_unit_per`'s). Counted nouns are not added
    (`450 căn nhà` stays `450`): answers are given both ways, and the noun's extent is a guess
    (`quốc gia` is one word of two syllables)."""
    words = _UNIT_WORD.findall(sentence[span.end :])
    taken = at = 0  # words[:taken] are shown with the number
    while unit := next((u for u in _MEASURE_UNITS if tuple(words[at : at + len(u)]) == u), None):
        taken = at + len(unit)
        # A measure in parts (`3 giờ 15 phút`, `1 giờ 5 phút 20 giây`): a number and a unit again.
        if taken == len(words) or not words[taken].isdigit():
            break
        if unit in _HUNDREDTHS_AFTER and len(words[taken]) == 2:
            taken += 1
            break
        at = taken + 1
    end = span.end
    for word in words[:taken]:
        end = sentence.index(word, end) + len(word)
    return sentence[span.start : end]


_PER_UNIT = re.compile(r"(?:/[^\W\d_]+)+(?![\w/-]|\.\w)")


def with_unit_per(sentence: str, start: int, measure: str) -> str:
    """A measure given per a unit written after a slash keeps it (`9.500 đồng` → `9.500 đồng/kg`,
    `2 triệu đồng/người/tháng`, `15 phút/chuyến`): what a kilogram costs is not 9.500 đồng. Only
    after a unit of measure (`ends_in_a_unit`): a count's slash is a ratio or a date, none of it a
    unit (`3/4`); nor a link's path (`/tin-tuc.html`)."""
    per = _PER_UNIT.match(sentence, start + len(measure))
    return measure + per.group(0) if per and ends_in_a_unit(measure) else measure


# The administrative units a place is shown with; not `nước` (`nước Lào` is `Lào`) nor `thủ đô`.
_SHOWN_UNITS = [unit for unit in vocabulary.ADMINISTRATIVE_UNITS if unit not in ("nước", "thủ đô")]
_UNIT_BEFORE = re.compile(rf"(?<!\w)(?:{'|'.join(_SHOWN_UNITS)})\s+$", re.IGNORECASE)


def with_administrative_unit(sentence: str, span: Span) -> str:
    """A place with the administrative unit written right before it (`xã Tân Hòa`, `huyện Sơn
    Lâm`): where a question asks "ở đâu", the unit says which kind of place the name is."""
    unit = _UNIT_BEFORE.search(sentence, 0, span.start)
    return sentence[unit.start() : span.end] if unit else span.text


def whole_measures(sentence: str, spans: Sequence[Span], *, ranges: bool = True) -> list[Span]:
    """The numbers of the sentence, each whole: with `ranges`, a range is one, from its first
    number to its last (`5–7`, then shown `5–7 m`; `40 đến 60 nghìn`), and the numbers that
    continue a measure in parts (the `5` and the `20` of `1 giờ 5 phút 20 giây`) are the first
    number's answer (`with_unit`), not answers of their own."""
    kept: list[Span] = []
    measure_end = 0  # where the last kept number's measure ends, its unit included
    for span in spans:
        if span.start < measure_end:
            continue
        unitless = bool(kept) and measure_end == kept[-1].end  # no unit follows the last number
        if ranges and unitless and _ranges_to(sentence, kept[-1], span):
            kept[-1] = Span(kept[-1].start, span.end, sentence[kept[-1].start : span.end])
        else:
            kept.append(span)
        measure_end = kept[-1].start + len(with_unit(sentence, kept[-1]))
    return kept


_RANGE_JOIN = re.compile(rf"\s*(?:{'|'.join(vocabulary.RANGE_JOINS)})\s*")
_RANGE_OPENING = re.compile(rf"^[\d.,]+{_RANGE_JOIN.pattern}(?=\d)")  # `30 đến ` of `30 đến 40%`


def _ranges_to(sentence: str, first: Span, second: Span) -> bool:
    """`first`, a number with no unit after it, opens a range that `second` closes: a bare number
    (its unit is the second's) joined to it by `đến`, `tới` or a dash; years are periods, not
    ranges (`2021–2025`)."""
    bare = re.fullmatch(r"[\d.,]+", first.text) is not None
    years = looks_like_year(first.text) or looks_like_year(second.text)
    return bare and not years and _RANGE_JOIN.fullmatch(sentence, first.end, second.start) is not None


def is_a_score(sentence: str, span: Span) -> bool:
    """Two numbers joined by a dash that are a score or a tally, which no count answers: the first
    the larger or the same (`21–15`, `1–1`), or after a word that says a score (`vocabulary.
    SCORE_WORDS`) with only other scores between (`thắng tỷ số 2–0 (11–7, 9–11 …)`); a range's ends
    ascend (`5–7`)."""
    ends = re.fullmatch(r"(\d+)\s*[–-]\s*(\d+)", span.text)
    if ends is None:
        return False
    return int(ends.group(1)) >= int(ends.group(2)) or _SCORE_BEFORE.search(sentence[: span.start]) is not None


# The score word, then only other scores up to the span (`tỷ số 2–0 (11–7, `); lowercase, as
# `Hòa` is also a place's name.
_SCORE_BEFORE = re.compile(rf"(?<!\w)(?:{'|'.join(vocabulary.SCORE_WORDS)})[\s\d–,;()-]*$")


def given_for_another_year(sentence: str, span: Span, question: str) -> bool:
    """The figure is given, right after it, for a year the question (`years_asked`) does not ask
    about: `từ 7 tỷ đồng năm 2021 lên 12 tỷ đồng vào năm 2028` for "Năm 2021, …?" — of the
    figures a sentence compares, each carries its own year."""
    own = _OWN_YEAR.match(fold(sentence[span.end : span.end + 60]))
    return own is not None and int(own.group(1)) not in years_named(question)


# A year written right after a figure and its unit (`12 tỷ đồng vào năm 2028`, `8.200 đồng/kg năm
# 2024`), as the year it is given for; not one compared with (`so với năm 2023`).
_OWN_YEAR = re.compile(
    r"(?:[\s/]+(?!so\b|voi\b|nam\b)[^\W\d]+){0,3}?\s*(?:(?:vao|trong|den|toi)\s+)?(?:(?:cuoi|dau)\s+)?nam\s+(\d{4})(?!\d)"
)


def measured_in(sentence: str, span: Span, units: Collection[str]) -> bool:
    """The number carries one of the units, in its span or right after it (`87,5%`, `2,4 km`, `hai
    tháng`); a count in words is no unit itself (`năm`, "five", is also "year")."""
    number, *rest = _RANGE_OPENING.sub("", with_unit(sentence, span)).split()  # a range's: its last number's
    own = re.sub(r"^[\d.,]+", "", number) if number[0].isdigit() else ""
    pairs = [f"{a} {b}" for a, b in itertools.pairwise(rest)]  # `km vuông`
    return any(unit in units for unit in (own, *rest, *pairs))


def a_time_of_day(sentence: str, span: Span) -> bool:
    """An hour of the day, no length of time: after `lúc` (`lúc 14 giờ`, `lúc khoảng 7 giờ`), or an
    hour right before a part of the day, its minutes read with it (`7 giờ sáng`, `9 giờ 30 phút
    tối`, `7 giờ 30 sáng`)."""
    before = re.findall(r"\w+", fold(sentence[: span.start]))[-2:]
    after = re.findall(r"\w+", fold(sentence[span.start + len(with_unit(sentence, span)) :]))[:2]
    hour = re.match(r"\s*(?:giờ|h)\b", sentence[span.end :]) is not None or re.search(r"\dh\d*$", span.text) is not None
    return bool(_CLOCK_BEFORE.intersection(before)) or (hour and bool(_PARTS_OF_DAY.intersection(after)))


_PER = "|".join(fold(word) for word in vocabulary.PER_WORDS)


def places_asked(question: str) -> tuple[tuple[int, str], ...]:
    """The administrative units a question names, with how wide each is (`units_named`); none for
    one typed without diacritics, whose units are not told from other words."""
    return tuple(units_named(question)) if has_diacritics(question) else ()


def said_of_another_place(sentence: str, span: Span, places: Sequence[tuple[int, str]], question: str) -> bool:
    """The sentence mentions none of the units the question names (`places`), and the span's clause
    names another as wide as the narrowest of them or wider (`tỉnh Sơn Lâm khoan được 820 giếng` for
    a question on `huyện Bình Sơn`), or the sentence speaks of a wider one whole (`cư dân trong tỉnh
    khoan 820 giếng, bằng 90% chỉ tiêu`; `toàn huyện` is the district asked). A unit whose name the
    question writes is no other (`huyện Bình Sơn của Sơn Lâm`, then `tỉnh Sơn Lâm`)."""
    narrowest = min(level for level, _ in places)
    others = [name for level, name in units_named(clause_around(sentence, span)) if level >= narrowest]
    wider_whole = any(level > narrowest for level in units_spoken_of_whole(sentence))
    # The names are compared only when the sentence speaks of some unit: most sentences name none.
    if not others and not wider_whole:
        return False
    said = FoldedText(sentence)
    if any(said.mentions(name) for _, name in places):
        return False
    asked = FoldedText(question)
    return wider_whole or any(not asked.mentions(name) for name in others)


def said_of_another_dimension(sentence: str, span: Span, dimension: str) -> bool:
    """`mặt cầu rộng 14 m` for "Cầu dài bao nhiêu?": the number is said, right before it, to be a
    dimension other than the one asked (`chiều rộng`, `rộng khoảng`)."""
    said = _DIMENSION_BEFORE.search(sentence[: span.start].lower())
    return said is not None and said.group(1) != dimension


_DIMENSION_BEFORE = re.compile(
    rf"(?<!\w)({'|'.join(vocabulary.DIMENSIONS)})\s+(?:(?:{'|'.join(vocabulary.DIMENSION_HEDGES)})\s+)*$"
)


def given_per(sentence: str, span: Span, unit: str) -> bool:
    """The amount is given per `unit` (folded) in its clause: `6.800 USD/năm`, `800.000 đồng mỗi
    tháng`, `hằng năm`."""
    clause = re.split(r"[,;:()]|\.(?:\s|$)", fold(sentence[span.end : span.end + 40]), maxsplit=1)[0]
    return re.search(rf"(?:/\s*|\b(?:{_PER})\s+){re.escape(unit)}\b", fold(span.text) + clause) is not None


def counts(sentence: str, span: Span, noun: str, *, ordinal: bool = False) -> bool:
    """The span is followed closely in its clause (`12 chiếc xe`, `3 tỷ đồng tiền thưởng`; not `3
    tư thế, xạ thủ …`) or preceded (`vị trí 4`, `vô địch bốn lần`) by the counted noun, or after it
    by another spelling of its unit (`mét` is `m`, `km2` is `km vuông`: `UNIT_SPELLINGS`; `phần
    trăm`, `%`, which counts nothing else); a calendar noun only after it (`ngày 16` is a day, not a
    count of days); not a noun the amount is given per (`15 triệu đồng cho mỗi chiếc thuyền` counts
    no boat: `vocabulary.RATE_WORDS`); an `ordinal`'s noun only before it (`phút 63`, not `90
    phút`); a noun before it only when no unit of its own follows (`vận động viên 16 tuổi` is an
    age)."""
    if span.text.endswith("%"):  # a share counts no noun: `6% hồ sơ` is no number of files
        return noun == "phan"
    nouns = _UNIT_SPELLINGS.get(noun, {noun})
    # A count in words stands right by its noun (`ba cây cầu`); digits may carry a unit first.
    reach = 0 if ordinal else 4 if any(c.isdigit() for c in span.text) else 2
    clause = rest_of_clause(sentence[span.end :])
    clause = clause[: per.start()] if (per := _RATE_BEFORE.search(clause.lower())) else clause
    after = _until_a_number(re.findall(r"\w+", fold(clause))[:reach])
    before = [] if noun in _CALENDAR else _until_a_number(re.findall(r"\w+", fold(sentence[: span.start]))[-2:][::-1])
    own_and_after = [*fold(span.text).split(), *after]  # the span may hold its unit (`45 km vuông`)
    pairs = [" ".join(pair) for pair in itertools.pairwise(own_and_after)]  # a unit in two words: `cay so`
    # A unit only follows its number: `Km 109` is a place on a road, not 109 km. A number with a unit
    # of its own counts no noun before it: `vận động viên 16 tuổi` is an age, not 16 athletes.
    if nouns & {*own_and_after, *pairs}:
        return True
    return noun in before and not measured_in(sentence, span, _ALL_UNITS)


# As written, `mỗi`, `một` (not `mới`, "new"): what follows is what an amount is given per.
_RATE_BEFORE = re.compile(rf"(?<!\w)(?:{'|'.join(vocabulary.RATE_WORDS)})(?!\w)")


def _until_a_number(words: list[str]) -> list[str]:
    """The words up to the next number: a noun beyond it is that number's (`năm 2024 có 350 người`);
    a unit with a digit (`km2`) is no number."""
    for i, word in enumerate(words):
        if word[0].isdigit():
            return words[:i]
    return words


_APPOSITION_ENDS = re.compile(r"[,;()]|\b(?:và|cùng)\b")


def offices_held(text: str, span: Span, people: Sequence[Span] | None = None) -> set[str]:
    """The span's own titles (folded, a deputy's with `pho`): the office named nearest before it,
    within 16 words (`Phó Giám đốc Trung tâm Y tế Nguyễn Văn A`: what one heads may have a long
    name), or else those of the clauses after it (`ông X, Giám đốc Trung tâm, …`;
    `apposition_titles`) or the first title after it; neither across another person's name nor the
    title right after one (its apposition). Empty for a name with no title near it. `people`: the
    names of `text`, when already found."""
    # Not across another person's name: the title before that name is that person's.
    if people is None:
        people = answer_spans(text, AnswerType.PERSON)
    others = [other for other in people if other.start != span.start]
    since = max((o.end for o in others if o.end <= span.start), default=0)
    until = min((o.start for o in others if o.start >= span.end), default=len(text))
    before = " ".join(re.findall(r"\w+", fold(text[since : span.start]))[-16:])
    after = " ".join(re.findall(r"\w+", fold(text[span.end : until]))[:12])
    titles = list(OFFICE_TITLE.finditer(before))
    between = text[since : span.start].lstrip(" ,;")
    if titles and since and titles[-1].start() == 0 and _APPOSITION_ENDS.search(between):
        # Right after another name and ended before this one: that name's apposition (`ông X, Phó
        # Chủ tịch …, và ông Y`); run straight into this name, it is this one's (`ông X, Phó Hiệu
        # trưởng Đại học Sơn Lâm Kim Min-jun`).
        titles = []
    if titles:
        return {office_titled(titles[-1])}
    held = [office for office, _ in apposition(text[span.end : until])]
    return set(held or [office_titled(title) for title in OFFICE_TITLE.finditer(after)][:1])


def title_body(text: str, span: Span, office: str) -> str:
    """The body the span is titled `office` of, as written after that title: before the name in
    its clause (`Giám đốc Trung tâm Khảo nghiệm Sơn Lâm Trần Khải Đông`), or in the apposition after
    it (`Trần Khải Đông, Phó Chủ tịch Hội Nông học, Giám đốc Trung tâm Khảo nghiệm Sơn Lâm, nói`); ''
    when not titled so."""
    folded = fold(text)
    clause = max(text.rfind(",", 0, span.start), text.rfind(";", 0, span.start)) + 1
    before = list(OFFICE_TITLE.finditer(folded, clause, span.start))[-1:] if len(folded) == len(text) else []
    bodies = [(office_titled(title), text[title.end() : span.start]) for title in before]
    return next((body for held, body in [*bodies, *apposition(text[span.end :])] if held == office), "")


def of_another_body(sentence: str, span: Span, office: str, body: frozenset[str]) -> bool:
    """The span is titled `office` of a body named otherwise than `body` (`asked_body`): no run of
    capitalised words of the one is part of a run of the other (`Trung tâm Thủy văn Sơn Lâm` is not
    `Trung tâm Khảo nghiệm Bình Sơn`; `Trung tâm Khảo nghiệm` may be `Trung tâm Khảo Nghiệm Bình
    Sơn`). A title naming no body (`Giám đốc Trung tâm`) says nothing."""
    said = words_of_a_body(title_body(sentence, span, office))
    return bool(body) and bool(said) and not any(_within(a, b) or _within(b, a) for a in body for b in said)


def _within(run: str, other: str) -> bool:
    return set(run.split()) <= set(other.split())


def other_office(sentence: str, span: Span, office: str) -> bool:
    """The span is titled, and not with `office`: a deputy does not answer "Giám đốc … là ai?",
    nor the director "Phó Giám đốc … là ai?". A name with no title near it may still answer."""
    held = offices_held(sentence, span)
    return bool(held) and office not in held


def offices_titled(texts: Sequence[str]) -> dict[str, set[str]]:
    """Each name the texts title with an office (`offices_held`), with all its offices."""
    held: dict[str, set[str]] = {}
    for text in dict.fromkeys(texts):
        people = answer_spans(text, AnswerType.PERSON)
        for span in people:
            offices = offices_held(text, span, people)
            if offices:
                held.setdefault(span.text, set()).update(offices)
    return held


def apposition(after: str) -> list[tuple[str, str]]:
    """The offices of the clauses that follow a name, each opening with one, with the body each
    names (`…, Phó Chủ tịch Hội Nông học, Giám đốc Trung tâm Khảo nghiệm Sơn Lâm, cho hay …` →
    (`pho chu tich`, `Hội Nông học`), (`giam doc`, `Trung tâm Khảo nghiệm Sơn Lâm`)): a person holds
    them all. The body is '' where folding changes the clause's length (its offsets would not fit)."""
    held = []
    for clause in re.split(r"[,;]", after)[1:]:
        clause = clause.strip()
        folded = fold(clause)
        title = OFFICE_TITLE.match(folded)
        if not title:
            break
        held.append((office_titled(title), clause[title.end() :].strip() if len(folded) == len(clause) else ""))
    return held


def said_before(sentence: str, span: Span, query_terms: set[str], words: int = 8) -> int:
    """How many of the question's words the `words` words before the span say: in news prose what a
    figure or a date is comes before it (`… ngày khánh thành cầu Sơn Lâm (20/11/1998)`)."""
    return len({fold(w) for w in re.findall(r"\w+", sentence[: span.start])[-words:]} & query_terms)


_BOUND_WORDS = {word: bound for bound, words in vocabulary.BOUND_WORDS.items() for word in words}
_BOUND_WORDS_FOLDED = {fold(word): bound for word, bound in _BOUND_WORDS.items()}


def said_as_bound(sentence: str, span: Span, words: int = 3) -> str | None:
    """`từ ngày 3/8` → `start`, `đến hết ngày 6/9` → `end`: the end of a range the sentence says the
    span is, by the nearest of `vocabulary.BOUND_WORDS` in the `words` words before it (read as
    written: folded, `tới` "until" would be `tối` "evening"); None when none is there."""
    accented = has_diacritics(sentence)
    before = re.findall(r"\w+", sentence[: span.start].lower())[-words:]
    for word in reversed(before):
        bound = _BOUND_WORDS.get(word) if accented else _BOUND_WORDS_FOLDED.get(word)
        if bound:
            return bound
    return None


_CHANGED_FROM = re.compile(rf"(?<!\w)(?:{'|'.join(vocabulary.CHANGED_FROM)})\s+(?:\w+\s+)?$", re.IGNORECASE)
_CHANGED_TO = re.compile(
    rf"^[^,;:.!?]{{0,40}}?(?<!\w)(?:{'|'.join(vocabulary.CHANGED_TO)})(?!\w)\s+(?:\w+\s+){{0,2}}?\d"
)


def changed_from(sentence: str, span: Span) -> bool:
    """`giảm từ 35 phút xuống còn 10 phút`: the span is the figure a change started from (`từ`
    before it, perhaps with a hedge, and `xuống`, `lên` or `còn` before a figure after it, in the same
    clause; `vocabulary.CHANGED_FROM`, `CHANGED_TO`); not the ends of a range (`từ 6 đến 10 tuổi`)."""
    return bool(_CHANGED_FROM.search(sentence[: span.start]) and _CHANGED_TO.search(sentence[span.end :]))


_COMPARED_FIGURE = re.compile(
    rf"(?<!\w)(?:{'|'.join(vocabulary.COMPARED_FIGURE_LEADS)})\s+(?:(?:mức|khoảng|con số)\s+)?$", re.IGNORECASE
)


def earlier_figure(sentence: str, span: Span) -> bool:
    """The span is a figure the sentence says was earlier: the one a change started from
    (`changed_from`), or one compared with (`so với 20 ha của vụ trước`, `cao hơn mức 70%`, `(khi đó
    là 12%)`: `vocabulary.COMPARED_FIGURE_LEADS`)."""
    return changed_from(sentence, span) or bool(_COMPARED_FIGURE.search(sentence[: span.start]))


_NUMBERED_THING = "|".join(fold(w) for w in vocabulary.NUMBERED_THINGS)
_NUMBERED = re.compile(rf"(?<!\w)({_NUMBERED_THING}) (\d{{1,2}}|[ivxl]+)(?![\w–/-])")


_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50}


def numbered_things(text: str) -> tuple[tuple[str, int], ...]:
    """`Đợt 2 của chương trình …` → ((`dot`, 2),), `lần thứ V` → ((`lan thu`, 5),): the numbered
    things the text names, folded, a Roman numeral read as its number; not a period (`giai đoạn
    2025–2028`) nor a year."""
    return tuple((m.group(1), _number_value(m.group(2))) for m in _NUMBERED.finditer(fold(text).lower()))


def _number_value(numeral: str) -> int:
    if numeral.isdigit():
        return int(numeral)
    values = [_ROMAN[c] for c in numeral]
    return sum(-v if v < after else v for v, after in zip(values, [*values[1:], 0], strict=True))


def about_another_numbered(sentence: str, asked: Sequence[tuple[str, int]]) -> bool:
    """The sentence names a thing the question numbers only by another number (`giai đoạn 1` for a
    question about `giai đoạn 2`): what it says is of that other one. One it is compared with (`…,
    nhiều hơn so với 640 hồ sơ của đợt 1`) is not what it is about."""
    folded = fold(sentence).lower()
    compared = COMPARISON.search(folded)
    said = numbered_things(folded[: compared.start()] if compared else folded)
    return any(
        any(thing == other for other, _ in said) and (thing, number) not in said for thing, number in asked
    )


_COMPARED = re.compile(
    rf"(?<!\w)(?:{'|'.join(map(re.escape, vocabulary.TIME_COMPARED_WITH))})(?!\w)(?:\s+\w+){{0,3}}?\s+\d{{4}}(?!\d)",
    re.IGNORECASE,
)


def years_spoken_of(sentence: str, published: datetime | None) -> set[int]:
    """The years a sentence speaks of: those it names, less a year it compares with (`tăng 5% so
    với năm 2024`); a sentence naming none speaks of its article's year, or of the year before in an
    article of the first quarter (a review of the past year). Empty when nothing says."""
    said = years_named(_COMPARED.sub(" ", sentence))
    if said or published is None:
        return said
    return {published.year, published.year - 1} if published.month <= 3 else {published.year}


def names_another_year(question: str, sentence: str, published: datetime | None = None) -> bool:
    """The question names a year and the sentence speaks of others (`years_spoken_of`): a figure
    for one year does not answer a question about another. A period asked is answered by that
    period: the school year `2024–2025` is not `2023–2024`, though they share a year."""
    asked_periods, said_periods = periods_named(question), periods_named(_COMPARED.sub(" ", sentence))
    if asked_periods and said_periods and not asked_periods & said_periods:
        return True
    asked, said = years_named(question), years_spoken_of(sentence, published)
    return bool(asked and said and not asked & said)


# A time the question reasons from, folded: a word of `vocabulary.TIME_CUE_BLOCKERS`, up to two words
# more, then the time (a year or months, below).
_REASONED_FROM = rf"(?<!\w)(?:{'|'.join(fold(w) for w in vocabulary.TIME_CUE_BLOCKERS)})(?:\W+\w+){{0,2}}?\W+"
_YEAR_REASONED_FROM = re.compile(_REASONED_FROM + r"\d{4}(?:\s*[–-]\s*\d{2,4})?")  # `trước giai đoạn 2021–2025`


def years_asked(question: str) -> str | None:
    """`Năm 2024, xã đón bao nhiêu khách?` → the question; `Trước năm 2024, …` → None: a year
    the question reasons from (before, after, since, until, compared with) is none it asks about."""
    left = _YEAR_REASONED_FROM.sub(" ", fold(question))
    return left if years_named(left) else None


def about_another_year(question: str, sentence: ScoredSentence, *, earlier: bool = False) -> bool:
    """The sentence speaks of other years than the question names (`names_another_year`): what it
    says is of those. Of an earlier figure asked (`Cùng kỳ năm 2024, …`), a sentence naming the year
    asked, even as the one it compares with, may say it (`… tăng so với 8.200 khách của năm 2024`)."""
    if earlier and years_named(question) & years_named(sentence.text):
        return False
    return names_another_year(question, sentence.text, sentence.passage.published)


_MONTHS_REASONED_FROM = re.compile(_REASONED_FROM + MONTHS_MENTION)
_MONTHS_COMPARED = re.compile(
    rf"(?<!\w)(?:{'|'.join(fold(w) for w in vocabulary.TIME_COMPARED_WITH)})(?:\W+\w+){{0,4}}?\W+{MONTHS_MENTION}"
)


def months_asked(question: str) -> frozenset[int]:
    """`Quý II/2025, tỉnh thu bao nhiêu?` → {4, 5, 6} (`spans.months_named`); none of the months
    the question reasons from (`Từ tháng 3, …`, `so với quý I`: `vocabulary.TIME_CUE_BLOCKERS`)."""
    return frozenset(months_named(_MONTHS_REASONED_FROM.sub(" ", fold(question).lower())))


def about_other_months(asked: frozenset[int], sentence: str, *, earlier: bool = False) -> bool:
    """The sentence names months of the year, none of them asked (`quý I` for a question on `quý
    II`), less those it compares with (`so với tháng 7`): what it says is of those. Of an earlier
    figure asked, a month asked that the sentence compares with may be the one it says. A sentence
    naming no month is not ruled out (a day it names is when it was said, not what it counts)."""
    folded = fold(sentence).lower()
    if earlier and months_named(folded) & asked:
        return False
    said = months_named(_MONTHS_COMPARED.sub(" ", folded))
    return bool(said) and not said & asked


def about_another_alternative(sentence: str, asked: Sequence[tuple[str, ...]]) -> bool:
    """The sentence says only other alternatives than the one asked (`giải nhất` for a question on
    `giải nhì`; `asked_alternatives`): what it says is of those."""
    return _says_another(alternatives_said(sentence), asked)


_OWN_PHRASE_ENDS = re.compile(r"[,;:.()!?\"“”]|\d")


def of_another_alternative(sentence: str, span: Span, asked: Sequence[tuple[str, ...]]) -> bool:
    """The span is said of another alternative than the one asked: the one its own phrase names
    (`21 huy chương vàng cùng 3 huy chương bạc`: the 3 is silver), else the one said before it since
    the previous number (`gạo xuất khẩu lên 4,5 tỷ USD, gạo nhập khẩu chỉ 0,6 tỷ USD`: the 4,5 is
    exports)."""
    after = _OWN_PHRASE_ENDS.split(sentence[span.end :], maxsplit=1)[0]
    numbers_before = list(re.finditer(r"\d", sentence[: span.start]))
    before = sentence[numbers_before[-1].end() if numbers_before else 0 : span.start]
    return _says_another(alternatives_said(after) or alternatives_said(before), asked)


def _says_another(said: set[str], asked: Sequence[tuple[str, ...]]) -> bool:
    """Of some alternatives asked (the one wanted, then the others), `said` names another and not
    the one wanted."""
    return any(said & set(others) and wanted not in said for wanted, *others in asked)


_BIRTH_YEAR_LEAD = re.compile(rf"(?<!\w)(?:{'|'.join(vocabulary.BIRTH_YEAR_LEADS)})\s*$")


def birth_year(sentence: str, span: Span) -> bool:
    """The span is a year the sentence gives as someone's birth (`Trần Văn B (SN 1990)`, `sinh năm
    1990`: `vocabulary.BIRTH_YEAR_LEADS`), which tells nothing of when the story's events were."""
    return bool(_BIRTH_YEAR_LEAD.search(sentence[: span.start]))


def distance(sentence: str, span: Span, query_terms: set[str]) -> int:
    """Characters between the span and the nearest question word in the sentence (ties: earlier)."""
    hits = [m.start() for m in re.finditer(r"\w+", sentence) if fold(m.group(0)) in query_terms]
    if not hits:
        return span.start
    return min(abs(h - span.start) for h in hits)


def lead_sentence(short_answer: str, kind: AnswerType | None) -> str:
    """The short answer as the answer's first sentence: `Giai đoạn 2025–2028.`, `Năm 2009.`, `Ông X.`"""
    if kind is AnswerType.DATE and looks_like_year(short_answer):
        kind = AnswerType.YEAR  # "khi nào" answered by a year: `Năm 1998.`
    elif (  # … by a day with no hour: `Ngày 14/6.`
        kind is AnswerType.DATE
        and short_answer[:1].isdigit()
        and opens_with_day(short_answer)
        and bare_day(short_answer) == short_answer
    ):
        kind = AnswerType.DAY
    prefix = messages.ANSWER_LEADS.get(kind.value) if kind else None
    if prefix and not short_answer.lower().startswith(prefix.lower()):
        return f"{prefix} {short_answer}."
    return f"{short_answer[0].upper()}{short_answer[1:]}."
