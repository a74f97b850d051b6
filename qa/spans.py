"""Candidate short answers inside a sentence, by the kind of answer a question expects.

Each finder returns `(start, end)` spans of the sentence, in reading order. They are deliberately
plain patterns over Vietnamese news prose (dates are day/month, `5/9` is 5 September; periods are
`2025–2028`; names are runs of capitalised syllables); the answerer picks among them.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from qa import vocabulary
from qa.lexicon import terms
from qa.question import AnswerType
from qa.text import CAPITALISED_WORD, YEAR, fold, has_diacritics, normalize

_PERIOD = re.compile(rf"\b{YEAR}\s*[-–—]\s*{YEAR}\b")
_YEAR_RE = re.compile(rf"\b{YEAR}\b")
# What may come before a day: the hour (`2 giờ`, `14h30`), the part of the day (`rạng sáng`), `ngày`.
_HOUR = r"\d{1,2}\s*(?:giờ|h)(?:\s*\d{1,2}(?:\s*phút)?)?\s+"
_PART_OF_DAY = r"(?:rạng\s+)?(?:sáng|chiều|tối|trưa|đêm)\s+"
_BEFORE_THE_DAY = rf"(?:{_HOUR}(?=(?:rạng\s+)?(?:sáng|chiều|tối|trưa|đêm|ngày)\b))?(?:{_PART_OF_DAY})?(?:ngày\s+)?"
_DAY_OF_MONTH = r"(?:3[01]|[12]\d|0?[1-9])"  # a day and a month as dates write them: `21/63` is no date
_MONTH = r"(?:1[0-2]|0?[1-9])"
_DAY = (
    rf"{_BEFORE_THE_DAY}(?<![\d/]){_DAY_OF_MONTH}(?:\s*(?:đến|-|–)\s*{_DAY_OF_MONTH})?/{_MONTH}(?:/\d{{4}})?(?![\d/])"
    rf"|ngày\s+{_DAY_OF_MONTH}\s+tháng\s+{_MONTH}(?:\s+năm\s+{YEAR})?(?!\d)"
)
_DAY_RE = re.compile(_DAY, re.IGNORECASE)
_DATELINE_WORD = rf"{CAPITALISED_WORD}(?:\.\s?{CAPITALISED_WORD})*"  # `TP.HCM`, `TP. Huế`
# A dateline led by the place it was filed from (`Sơn Lâm, ngày 3/10/2025 – …`, `(Huế) 12/5 - …`): up to
# four capitalised words (in brackets or before a comma), the day, then a dash.
_PLACE_DATELINE = re.compile(
    rf"\(?{_DATELINE_WORD}(?:\s+{_DATELINE_WORD}){{0,3}}\)?\s*,?\s*(?:{_DAY})\s*[-–—]\s", re.IGNORECASE
)
_LEADING_BEFORE_THE_DAY = re.compile(rf"^{_BEFORE_THE_DAY}", re.IGNORECASE)
# A quarter, as plans are dated (`quý II/2027`, `quý IV năm 2030`): the whole of it answers "khi nào".
_QUARTER = rf"quý\s+(?:IV|I{{1,3}}|[1-4])\b(?:\s*/\s*{YEAR}|\s+năm\s+{YEAR})?"
_DATE = re.compile(
    rf"{_DAY}|{_QUARTER}|(?:tháng\s+\d{{1,2}}(?:/{YEAR}|\s+năm\s+{YEAR})?)|(?:năm\s+{YEAR})", re.IGNORECASE
)
# Counts written out, as news prose often does for small numbers ("hai trường", "chín quốc gia").
# `một` (also "a") and `năm` (also "year") count only when a word, not a number, follows (`năm hoàng
# tử`, not `năm 2010`); the answerer then still wants the counted noun right after them. A run of
# them starts with a count: a magnitude alone (`hàng nghìn người`) is no number; nor is a fraction's
# denominator (`một phần tư`, "a quarter").
_COUNT_WORD = (
    rf"(?<!{vocabulary.FRACTION_WORD} )"
    rf"(?:{'|'.join(vocabulary.NUMBER_WORDS)}|(?:{'|'.join(vocabulary.NUMBER_WORDS_BEFORE_A_WORD)})(?=\s+[^\d\W]))"
)
_NUMBER_WORD = rf"(?:{_COUNT_WORD}|{'|'.join(vocabulary.MAGNITUDE_WORDS)})"
_UNITS = rf"(?:{'|'.join(vocabulary.NUMBER_UNITS)})"
_LETTER = r"[^\W\d_]"
# Digits inside a code (`A0`, `5G`, `COVID-19`, `quốc lộ 1A`) are part of a name, not a number. A
# rank out of a total (`xếp thứ 19/63`, `hạng 4/12`) is one, though it is written like a day.
_NUMBER = re.compile(
    rf"(?:{'|'.join(f'(?<={word} )' for word in vocabulary.RANK_WORDS)})\d{{1,3}}/\d{{1,3}}(?![\d/])"
    rf"|(?<![\d/])(?<!{_LETTER})(?<!{_LETTER}-)\d+(?:[.,]\d+)*(?:\s*{_UNITS}(?:\s+đồng)?)?(?![\d/])(?!{_LETTER})"
    rf"|\b{_COUNT_WORD}(?:\s+{_NUMBER_WORD})*\b",
    re.IGNORECASE,
)
_CAP = CAPITALISED_WORD
_INITIAL = r"[A-Z]\.(?=\s)"  # `Peter T. Lawson`
_NAME_RUN = re.compile(rf"{_CAP}(?:\s+(?:{_INITIAL}|{_CAP}))*\s+{_CAP}")
_CAPITALISED_RUN = re.compile(rf"{_CAP}(?:\s+{_CAP})*")
# Place words as written before a name, with the abbreviations (`TP. Hồ Chí Minh`, `TX Sơn Hòa`) and
# the capitalised `Thủ đô` of names (`Thủ đô Vientiane`).
_PLACE_WORD = (
    rf"(?:{'|'.join(vocabulary.ADMINISTRATIVE_UNITS + vocabulary.PLACE_LEAD_WORDS)}"
    rf"|(?:{'|'.join(vocabulary.ADMINISTRATIVE_ABBREVIATIONS)})\.?|Thủ đô)"
)
_PLACE_AFTER = re.compile(rf"(?<!\w){_PLACE_WORD}\s+({_CAP}(?:\s+{_CAP})*)")
_LEVELLED_UNIT = (
    rf"(?i:{'|'.join(sorted(vocabulary.ADMINISTRATIVE_LEVELS, key=len, reverse=True))})"  # `thị xã` before `xã`
    rf"|(?:{'|'.join(vocabulary.ADMINISTRATIVE_ABBREVIATIONS)})\.?"
)
_UNIT_NAMED = re.compile(rf"(?<!\w)({_LEVELLED_UNIT})\s+({_CAP}(?:\s+{_CAP})*)")
_WHOLE_UNIT = re.compile(
    rf"(?<!\w)(?i:{'|'.join(vocabulary.WHOLE_UNIT_BEFORE)})\s+({_LEVELLED_UNIT})(?!\w)(?!\s+{_CAP})"
    rf"|(?<!\w)(?i:{'|'.join(vocabulary.WHOLE_COUNTRY)})(?!\w)"
)
_VENUE_KIND = re.compile(rf"(?:{'|'.join(vocabulary.VENUE_KINDS)})(?!\w)")
_ORGANISATION_KIND = re.compile(
    rf"(?<!\w)(?:{'|'.join(vocabulary.ORGANISATION_KINDS)})(?!\w)(?!\s+{vocabulary.HEAD_OF}(?!\w))"
)
_LOWERCASE_KIND = rf"(?<!\w)({'|'.join(vocabulary.ORGANISATION_KINDS_BEFORE_A_NAME)})\s+"
_KIND_BEFORE_A_NAME = re.compile(rf"{_LOWERCASE_KIND}(?={_CAP})")
_KIND_RIGHT_BEFORE = re.compile(rf"{_LOWERCASE_KIND}$")
_NEXT_WORD = re.compile(r"\s+([^\W_][\w-]*)")  # a number too: `Trường THPT số 2 Sơn Lâm`
# A capitalised word of a name, or a code of digits and capitals (`Đường bộ 4D`, `Tổ 3B`).
_CAP_WORD = re.compile(rf"{_CAP}|\d+[A-Z]+")
_ABBREVIATION = re.compile(r"[A-ZĐ]{2,}")  # `TNHH`, `MTV`, `THPT`
_NAME_STOPS = frozenset((*vocabulary.FUNCTION_WORDS, *vocabulary.PLACING_WORDS))
_JOINING = frozenset(vocabulary.PREPOSITIONS)  # `Công ty Sơn và Công ty Lâm`: two names
_AFTER_PLACE_WORD = re.compile(rf"\b{_PLACE_WORD}\s+$", re.IGNORECASE)  # `Thành phố` opening a sentence
# As written, not ignoring case: `trưởng ban Trần Khải Đông` titles a person.
_AFTER_ORGANISATION_KIND = re.compile(
    rf"(?<!\w)(?:{'|'.join((*vocabulary.ORGANISATION_KINDS, *vocabulary.ORGANISATION_KINDS_BEFORE_A_NAME))})\s+$"
)
_SURNAMES = frozenset(vocabulary.SURNAMES)
_AMBIGUOUS_SURNAMES = frozenset(vocabulary.AMBIGUOUS_SURNAMES)
_TITLES = frozenset(vocabulary.NAME_TITLES)
_MIDDLE_NAMES = frozenset(vocabulary.MIDDLE_NAMES)
_FUNCTION_WORDS = frozenset(vocabulary.FUNCTION_WORDS)
_COUNTRIES = frozenset(vocabulary.COUNTRIES)
_COUNTRIES_ALSO_WORDS = frozenset(vocabulary.COUNTRIES_ALSO_WORDS)
_LONG_COUNTRIES = tuple(c for c in vocabulary.COUNTRIES if " " in c)


def _matches(pattern: re.Pattern[str], sentence: str, group: int = 0) -> list[tuple[int, int]]:
    return [m.span(group) for m in pattern.finditer(sentence)]


def _split_at_surname(run: re.Match[str]) -> tuple[int, int] | None:
    """Where a capitalised run holds a Vietnamese name after a place (`Bình Phước Nguyễn Mạnh
    Cường`), the surname starts the name: return the run's (place part, name start) boundary. The
    syllable before a middle name (`Văn`, `Thị`) is a surname, listed or not (`Sơn Lâm Lò Văn Khải`),
    and comes first: a place may end in a surname (`Sơn Lâm Trần Văn Hải`)."""
    tokens = list(re.finditer(r"\S+", run.group(0)))
    for i in range(len(tokens) - 2):
        if tokens[i + 1].group(0) in _MIDDLE_NAMES:
            return i, run.start() + tokens[i].start()
    for i, token in enumerate(tokens):
        needed = 3 if token.group(0) in _AMBIGUOUS_SURNAMES else 2
        if token.group(0) in _SURNAMES and len(tokens) - i >= needed:
            return i, run.start() + token.start()
    return None


def _not_of_a_name(word: str) -> bool:
    """A capitalised word that opens a run without being part of the name after it: a title
    (`Ông`, `Chủ`), a function word opening the sentence (`Theo`), an abbreviated degree (`TS`,
    `ThS`: two capitals or more)."""
    return word in _TITLES or word.lower() in _FUNCTION_WORDS or sum(c.isupper() for c in word) >= 2


def _person_spans(sentence: str) -> list[tuple[int, int]]:
    """Runs of capitalised syllables that look like names: those led by a surname first, then
    foreign names (e.g. Lao: `Vilayvong Butdakham`, written without Vietnamese diacritics), with
    leading title words removed."""
    led_by_surname, others = [], []
    for run in _NAME_RUN.finditer(sentence):
        cut = _split_at_surname(run)
        if cut is not None and _AFTER_PLACE_WORD.search(sentence, 0, cut[1]):
            # `đường Nguyễn Huệ`, `TP Hồ Chí Minh` (the abbreviation is capitalised, so it may open
            # the run): a surname right after a place word starts a place named after a person.
            continue
        if _AFTER_PLACE_WORD.search(sentence, 0, run.start()) or _AFTER_ORGANISATION_KIND.search(
            sentence, 0, run.start()
        ):
            # `phường Minh An`, `Tập đoàn Sơn Lâm Holdings`: a place, an organisation; but after its
            # name a person's may follow (`tỉnh Đông Phú Trần Văn Bình`).
            if cut is not None and cut[0] > 0:
                led_by_surname.append((cut[1], run.end()))
            continue
        if cut is not None:
            led_by_surname.append((cut[1], run.end()))
            continue
        tokens = list(re.finditer(r"\S+", run.group(0)))
        first = 0
        while first < len(tokens) - 1 and _not_of_a_name(tokens[first].group(0)):
            first += 1
        name = sentence[run.start() + tokens[first].start() : run.end()]
        # Not led by a surname, a name is foreign (`Vilayvong Butdakham`, `Lady Gaga`); capitalised
        # Vietnamese words are a country, an organisation or a title (`Việt Nam`, `Đoàn Thanh niên`).
        if len(tokens) - first >= 2 and not has_diacritics(name):
            others.append((run.start() + tokens[first].start(), run.end()))
    return led_by_surname + others


def _place_spans(sentence: str) -> list[tuple[int, int]]:
    """Capitalised runs after a place word (`tỉnh Sơn Lâm`, `tại Đông Phú`), cut before a
    person's name that follows without punctuation. Bare capitalised runs are not places: they are
    as often people, organisations or the first words of a sentence."""
    spans = []
    for match in _PLACE_AFTER.finditer(sentence):
        start, end = match.span(1)
        kind = _VENUE_KIND.match(sentence, start)
        if kind:
            venue_end = _venue_end(sentence, kind.end())
            if venue_end is not None:
                spans.append((start, venue_end))
            continue  # a venue's kind alone (`Khu vực …`) names no place
        run = _NAME_RUN.match(sentence, start)
        cut = _split_at_surname(run) if run else None
        if cut is not None and cut[0] > 0:
            end = cut[1] - 1
        spans.append((start, end))
    return spans


def _organisation_spans(sentence: str) -> list[tuple[int, int]]:
    """Names led by a kind of organisation, written capitalised (`Công ty TNHH Cơ khí Sơn Lâm`,
    `Ngân hàng TMCP Bình Sơn`), to where a venue's name would end (`_venue_end`); and the capitalised
    names after a kind written in lowercase (`đội Bình Sơn Gaming` → `Bình Sơn Gaming`)."""
    spans = _named_organisations(sentence)
    for kind in _KIND_BEFORE_A_NAME.finditer(sentence):
        # Another name starts there: `Đội Sơn Lâm thắng đội Bình Sơn` ends the first at `Lâm`.
        spans = [(start, _last_capitalised_end(sentence, start, kind.start()) if start < kind.start() < end else end)
                 for start, end in spans]
        name = _CAPITALISED_RUN.match(sentence, kind.end())
        if name is not None and not _overlaps(name.span(), spans):
            spans.append(name.span())
    return sorted(spans)


def _last_capitalised_end(sentence: str, start: int, end: int) -> int:
    """Where the last capitalised word of `sentence[start:end]` ends."""
    return [word.end() for word in _CAP_WORD.finditer(sentence, start, end)][-1]


def organisation_kind(sentence: str, span: Span) -> str:
    """The kind of organisation a span names, capitalised as it opens a name: the kind it opens with
    (`Công ty …`) or the one written in lowercase right before it (`hãng …`); "" for neither."""
    opening = _ORGANISATION_KIND.match(span.text)
    if opening is not None:
        return opening.group(0)
    before = _KIND_RIGHT_BEFORE.search(sentence, 0, span.start)
    return before.group(1).capitalize() if before else ""


def _named_organisations(sentence: str) -> list[tuple[int, int]]:
    """Names led by a kind of organisation written capitalised, to where a venue's name would end."""
    spans: list[tuple[int, int]] = []
    for kind in _ORGANISATION_KIND.finditer(sentence):
        if spans and kind.start() < spans[-1][1]:
            continue  # inside the previous name (`Tổng công ty`, `Trung tâm … Viện`)
        end = _venue_end(sentence, kind.end(), lone_word=True)
        if end is None:
            continue
        last_run = list(_NAME_RUN.finditer(sentence, kind.end(), end))
        cut = _split_at_surname(last_run[-1]) if last_run and last_run[-1].end() == end else None
        if cut is not None and cut[0] > 0:  # `Sở Y tế Đông Phú Trần Văn Bình`: a person follows
            end = cut[1] - 1
        spans.append((kind.start(), end))
    return spans


def _venue_end(sentence: str, at: int, *, lone_word: bool = False, lowercase_run: int = 3) -> int | None:
    """Where a venue's or an organisation's name ends, its kind ending at `at`: after the last
    capitalised word that follows it through lowercase words (`Khu công nghệ cao Sơn Lâm`, `Công ty
    cổ phần Xây lắp Bình Sơn`), at most `lowercase_run` of them in a row; punctuation, a
    function word or a word placing it (`Sơn Lâm và Đông Phú`, `Công viên Bình Sơn bên bờ sông`) ends
    it. With `lone_word`, a last capitalised syllable standing alone keeps the lowercase one after it
    (`Ban Quản lý`, `Sở Văn hóa`: an organisation's name is words, the first syllable capitalised),
    and a function word there ends nothing when more of the name follows (`Công ty Thiết bị Y khoa
    Sơn Lâm`: `bị` is also the passive marker), unless it joins two (`và`, `của`). None when no
    capitalised word follows."""
    end = second = None
    lowercase, previous_capitalised, lone = 0, False, False
    while True:
        word = _NEXT_WORD.match(sentence, at)
        second_syllable = lone_word and previous_capitalised and lone
        if word is None:
            break
        crossed = second_syllable and word.group(1) not in _JOINING  # `Thiết bị`, not `Sơn và`
        if word.group(1) in _NAME_STOPS and not crossed:
            break
        at = word.end()
        if _CAP_WORD.fullmatch(word.group(1)):
            end, second, lowercase = at, None, 0
            # After an abbreviation (`TNHH`, `CP`) a syllable stands alone: `TNHH Xây dựng`.
            lone, previous_capitalised = not previous_capitalised, not _ABBREVIATION.fullmatch(word.group(1))
            continue
        if second_syllable and word.group(1) not in _NAME_STOPS:
            second = at
        previous_capitalised = False
        lowercase += 1
        if lowercase > lowercase_run:
            break
    return second or end


_NAMED_BY_A_DAY = re.compile(rf"(?<!\w)(?:{'|'.join(fold(w) for w in vocabulary.NAMED_BY_A_DAY)})\s*$")


def _days(pattern: re.Pattern[str], sentence: str) -> list[tuple[int, int]]:
    """Days, but not a day that names a street or a square (`đường 3/2`, `Quảng trường 2/9`), nor
    the month of a day written as a name (`các đường 30 Tháng 4, Lê Lợi`: prose writes `tháng`)."""
    return [
        (start, end)
        for start, end in _matches(pattern, sentence)
        if not _NAMED_BY_A_DAY.search(fold(sentence[:start]).lower()) and not _A_NAMED_DAY.match(sentence, start)
    ]


_A_NAMED_DAY = re.compile(r"(?<=\d )Tháng\s+\d")


def _years_alone(sentence: str) -> list[tuple[int, int]]:
    """Years, but not the ends of a period (`giai đoạn 2025–2027` answers no "năm nào")."""
    periods = _matches(_PERIOD, sentence)
    return [(start, end) for start, end in _matches(_YEAR_RE, sentence) if not _overlaps((start, end), periods)]


def _numbers_outside_dates(sentence: str) -> list[tuple[int, int]]:
    """Numbers, but not the day, month or year of a date (`ngày 3 tháng 4`, `tháng 10 năm 1962`):
    no count or measure is written inside one. A rank that reads as a day whole stays (`hạng 3/9`)."""
    dates = _matches(_DATE, sentence)
    return [
        span
        for span in _matches(_NUMBER, sentence)
        if not any(start <= span[0] and span[1] <= end and span != (start, end) for start, end in dates)
    ]


FINDERS: dict[AnswerType, Callable[[str], list[tuple[int, int]]]] = {
    AnswerType.PERIOD: lambda s: _matches(_PERIOD, s),
    AnswerType.YEAR: _years_alone,
    AnswerType.DAY: lambda s: _days(_DAY_RE, s),
    # A bare year also answers "khi nào" ("when was it founded?" → 1288).
    AnswerType.DATE: lambda s: _days(_DATE, s) or _years_alone(s),
    # Year-like numbers stay (`2000 khách` counts guests; the answerer drops those that count
    # nothing), but not those of a date (`năm 2020`, `tháng 5/2020`): `_numbers_outside_dates`.
    AnswerType.NUMBER: _numbers_outside_dates,
    AnswerType.MEASURE: _numbers_outside_dates,
    AnswerType.PERSON: _person_spans,
    AnswerType.PLACE: _place_spans,
    AnswerType.ORGANISATION: _organisation_spans,
}


class Span(NamedTuple):
    start: int
    end: int
    text: str


_CURRENCY = {
    "accented": re.compile(rf"(?<!\w)(?:{'|'.join(vocabulary.CURRENCIES)})(?!\w)|\$"),
    "folded": re.compile(rf"(?<!\w)(?:{'|'.join(map(fold, vocabulary.CURRENCIES))})(?!\w)|\$"),
}


_CLAUSE_END = re.compile(r"[,;:!?()\[\]]|\.(?:\s|$)")


def rest_of_clause(text: str) -> str:
    """The text up to where its clause ends: a comma, a colon, a bracket, the sentence's end."""
    return _CLAUSE_END.split(text, maxsplit=1)[0]


def clause_around(text: str, span: Span) -> str:
    """The clause that holds the span, from the mark that opens it to the one that ends it."""
    opening = max((mark.end() for mark in _CLAUSE_END.finditer(text, 0, span.start)), default=0)
    return text[opening : span.end] + rest_of_clause(text[span.end :])


def units_named(text: str) -> list[tuple[int, str]]:
    """The administrative units the text names, each with how wide it is
    (`vocabulary.ADMINISTRATIVE_LEVELS`) and its name: `huyện Sơn Lâm` → (2, `Sơn Lâm`), `TP. Bình
    Sơn` → (2, `Bình Sơn`)."""
    return [(_level(unit), name) for unit, name in _UNIT_NAMED.findall(text)]


def units_spoken_of_whole(text: str) -> list[int]:
    """How wide each unit is that the text speaks of whole, unnamed: `toàn tỉnh` → 3, `cả nước` → 4."""
    return [_level(unit) if unit else _COUNTRY_LEVEL for unit in _WHOLE_UNIT.findall(text)]


_COUNTRY_LEVEL = max(vocabulary.ADMINISTRATIVE_LEVELS.values()) + 1


def _level(unit: str) -> int:
    unit = unit.rstrip(".")
    return vocabulary.ADMINISTRATIVE_LEVELS[vocabulary.ADMINISTRATIVE_ABBREVIATIONS.get(unit, unit.lower())]


def is_amount_of_money(sentence: str, span: Span) -> bool:
    """`5 triệu đô la`, `120 tỷ đồng`, `$300`: a currency in the span or right after it, in the same
    clause (`40 phút, đồng thời …` is no amount), written as the sentence writes (`3.600 lao động` is
    no amount of `đồng`; a sentence typed without diacritics is read folded)."""
    after = rest_of_clause(sentence[span.end : span.end + 12])
    around = (sentence[max(span.start - 1, 0) : span.end] + after).lower()
    if has_diacritics(sentence):
        return bool(_CURRENCY["accented"].search(around))
    return bool(_CURRENCY["folded"].search(fold(around)))


def opens_with_day(sentence: str) -> bool:
    """The sentence opens with a day (`Sáng 14/3, …`, `Ngày 5/6, …`), or with the place it was filed
    from and a day (`Sơn Lâm, ngày 3/10/2025 – …`): a news story's dateline."""
    return _DAY_RE.match(sentence) is not None or _PLACE_DATELINE.match(sentence) is not None


def bare_day(day: str) -> str:
    """`Sáng 8/4`, `2 giờ sáng ngày 5/11` → `8/4`, `5/11`: the day without the hour or the part of it."""
    return _LEADING_BEFORE_THE_DAY.sub("", day) or day


def periods_named(text: str) -> set[tuple[int, int]]:
    """The periods a text names, as (first year, last year): `2024–2025` → {(2024, 2025)}."""
    out = set()
    for period in _PERIOD.finditer(text):
        first, last = (int(y) for y in _YEAR_RE.findall(period.group()))
        if 0 < last - first <= 50:
            out.add((first, last))
    return out


def years_named(text: str) -> set[int]:
    """The years a text names (`năm 2025` → {2025}); a period names every year in it (`2021–2025`)."""
    years = {int(y) for y in _YEAR_RE.findall(text)}
    for first, last in periods_named(text):
        years.update(range(first, last + 1))
    return years


_MONTH = rf"(?<![\w/]){fold(vocabulary.MONTH_WORD)} (\d{{1,2}})(?!\d|[.,]\d)"
_MONTH_RANGE = "|".join(map(re.escape, (fold(w) for w in vocabulary.RANGE_OF_MONTHS)))
_MONTHS = re.compile(
    rf"{_MONTH}(?:\s*(?:{_MONTH_RANGE})\s*(?:het\s+)?(?:{fold(vocabulary.MONTH_WORD)}\s+)?(\d{{1,2}})(?!\d|[.,]\d))?"
)
_QUARTERS = re.compile(rf"(?<!\w){fold(vocabulary.QUARTER_WORD)} (iv|iii|ii|i|[1-4])(?!\w)")
_QUARTER_NUMBER = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_FIRST_MONTHS = re.compile(
    rf"(?<![\w/])(\d{{1,2}}) {fold(vocabulary.MONTH_WORD)} "
    rf"(?:({'|'.join(fold(w) for w in vocabulary.YEAR_OPENS)})|({'|'.join(fold(w) for w in vocabulary.YEAR_ENDS)})"
    r"|nam(?= \d{4}))(?!\w)"  # `9 tháng năm 2025`: its first nine months
)
_HALVES = {fold(words): months for words, months in vocabulary.HALF_YEAR.items()}
_HALF = re.compile(rf"(?<!\w)(?:{'|'.join(_HALVES)})(?!\w)")
# One mention of months, as a whole, to find where it is (`months_named` reads what it names).
MONTHS_MENTION = rf"(?:{_MONTHS.pattern}|{_QUARTERS.pattern}|{_FIRST_MONTHS.pattern}|{_HALF.pattern})"


def months_named(text: str) -> set[int]:
    """The months of the year a text names, by number, read folded: `tháng 8/2025` → {8}, `từ tháng
    3 đến tháng 6` → {3, 4, 5, 6}, `quý II` → {4, 5, 6}, `6 tháng đầu năm` → {1, …, 6}. A day
    (`20/8`) is none: when a thing is said is not the month it is counted over."""
    folded = fold(text).lower()
    months: set[int] = set()
    for match in _MONTHS.finditer(folded):
        first = int(match.group(1))
        last = int(match.group(2)) if match.group(2) else first
        if 1 <= first <= last <= 12:
            months.update(range(first, last + 1))
    for match in _QUARTERS.finditer(folded):
        quarter = _QUARTER_NUMBER.get(match.group(1)) or int(match.group(1))
        months.update(range(3 * quarter - 2, 3 * quarter + 1))
    for match in _FIRST_MONTHS.finditer(folded):
        count = int(match.group(1))
        if 1 <= count <= 12:
            months.update(range(13 - count, 13) if match.group(3) else range(1, count + 1))
    for match in _HALF.finditer(folded):
        months.update(_HALVES[match.group()])
    return months


def looks_like_year(text: str) -> bool:
    return bool(_YEAR_RE.fullmatch(text))


def answer_spans(
    sentence: str, kind: AnswerType, exclude: str = "", after: str | None = None, *, countries: bool = False
) -> list[Span]:
    """Spans of `sentence` that could answer a question of this kind, minus any that the question
    itself already says (`exclude`, whole words as typed: `ba` is not in `bao nhiêu`), in reading
    order. With `after` (folded words, e.g. `khach san`), only capitalised runs that follow them;
    with `countries`, only the countries it names (`_country_spans`)."""
    excluded = fold(exclude)
    # Its words as typed: accented when it has diacritics, so a surname is no other word that
    # folds the same (`Phan` no `phần`, `Đinh` no `định`); folded when it has none.
    said = set(terms(exclude, accents=has_diacritics(exclude)))
    said_first = _said_as_names(exclude) if kind is AnswerType.PERSON else said  # what may open a name said
    if countries:
        found = _country_spans(sentence)
    else:
        found = _runs_after(sentence, after) if after else FINDERS[kind](sentence)
    if kind is AnswerType.PERSON and said:
        found = sorted([*found, *(s for s in _names_after_place_said(sentence, said) if not _overlaps(s, found))])
    out = []
    for start, end in found:
        raw = sentence[start:end]
        text = raw.strip(" ,;:.")
        if kind is not AnswerType.ORGANISATION:  # `Công ty …`, `Trường …` keep the kind the question says
            dropped = _drop_known_prefix(text, said_first)
            if not (kind is AnswerType.DATE and re.fullmatch(r"\d{1,2}", dropped)):  # `tháng 7`, not `7`
                text = dropped
        said_alone = " " not in text and _is_said(text, said)  # `Cups`, the question naming the `Cup`
        if text and not said_alone and not _says(excluded, fold(text)):
            offset = start + max(raw.find(text), 0)
            out.append(Span(offset, offset + len(text), text))
    return out


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(start < span[1] and span[0] < end for start, end in spans)


def _names_after_place_said(sentence: str, said: set[str]) -> list[tuple[int, int]]:
    """A name written right after a place the question names, which no surname marks (`tỉnh
    Kanagawa Suzuki Haruto` asked as "Thống đốc tỉnh Kanagawa là ai?"): the rest of a capitalised
    run that opens with the question's words — one word after a place word, else two (a place's
    name, `Đông Phú Lò Khải`) — when at least two syllables are left."""
    spans = []
    for run in _CAPITALISED_RUN.finditer(sentence):
        tokens = list(re.finditer(r"\S+", run.group(0)))
        first = _said_first([token.group(0) for token in tokens], said)
        needed = 1 if _AFTER_PLACE_WORD.search(sentence, 0, run.start()) else 2
        if first >= needed and len(tokens) - first >= 2:
            spans.append((run.start() + tokens[first].start(), run.end()))
    return spans


def _country_spans(sentence: str) -> list[tuple[int, int]]:
    """The countries a sentence names: a capitalised run that is one (`sang Nhật Bản`, `tại Hàn
    Quốc`), ends in one of two words or more (`tập đoàn Sunwoo Hàn Quốc`), or opens with one
    before a name (`người Peru Carlos Mendoza`). Not a word of a longer name that is also a
    word (`Nam Mỹ`, `Mỹ Tho`, `Anh Lê Văn Bình`), nor such a word opening the sentence (`Anh cho
    biết`)."""
    spans = []
    for run in _CAPITALISED_RUN.finditer(sentence):
        name = run.group(0)
        if name in _COUNTRIES:
            opening = not sentence[: run.start()].strip(" \"“'‘(")
            if not (opening and name in _COUNTRIES_ALSO_WORDS):
                spans.append(run.span())
            continue
        ending = next((c for c in _LONG_COUNTRIES if name.endswith(f" {c}")), None)
        opening_with = next((c for c in _COUNTRIES if name.startswith(f"{c} ")), None)
        if ending:
            spans.append((run.end() - len(ending), run.end()))
        elif opening_with and opening_with not in _COUNTRIES_ALSO_WORDS:
            spans.append((run.start(), run.start() + len(opening_with)))
    return spans


def _runs_after(sentence: str, words: str) -> list[tuple[int, int]]:
    """Capitalised runs right after `words`: `khách sạn Mường Thanh`, `sân vận động Mỹ Đình`."""
    wanted = words.split()
    return [
        run.span()
        for run in _CAPITALISED_RUN.finditer(sentence)
        if re.findall(r"\w+", fold(sentence[: run.start()]))[-len(wanted):] == wanted
    ]


def _says(folded_text: str, folded_words: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(folded_words)}(?!\w)", folded_text) is not None


def _is_said(word: str, said: set[str]) -> bool:
    """The question says the word (`said`: its words as typed), or the foreign word is its plural (`Cups`
    after a question naming the `Cup`)."""
    folded = fold(word)
    if normalize(word).lower() in said or folded in said:
        return True
    plural = folded.endswith("s") and not has_diacritics(word)
    return plural and (folded[:-1] in said or (folded.endswith("es") and folded[:-2] in said))


def _said_first(words: list[str], said: set[str]) -> int:
    """How many of the leading words the question says (`_is_said`)."""
    first = 0
    while first < len(words) and _is_said(words[first], said):
        first += 1
    return first


def _said_as_names(question: str) -> set[str]:
    """The words a question says that may open a name it says (`_drop_known_prefix`): those it writes
    capitalised, and its first word, when it writes any word after the first capitalised; all its
    words when it writes none (typed in lowercase, case tells nothing). A surname is no common word
    the question says in lowercase: `Đoàn …` is not the `đoàn` (delegation) of `đoàn khai quật`,
    `Trương …` not the `truong` of `huan luyen vien truong`."""
    accents = has_diacritics(question)
    words = question.split()
    if not any(word[:1].isupper() for word in words[1:]):
        return set(terms(question, accents=accents))
    return set(terms(" ".join(w for i, w in enumerate(words) if i == 0 or w[:1].isupper()), accents=accents))


def _drop_known_prefix(span: str, said: set[str]) -> str:
    """`Hồ Chí Minh Nguyễn Văn Nên` asked as "Bí thư Thành ủy Thành phố Hồ Chí Minh là ai?" →
    `Nguyễn Văn Nên`: leading words the question already says (`said`, folded) are not the answer."""
    tokens = span.split()
    return " ".join(tokens[min(_said_first(tokens, said), len(tokens) - 1) :])
