"""Questions as users type them: cleaning and refusal, and what kind of answer they expect.

Everything here works on folded text (lower case, no diacritics), so `Nam nao?` typed without
accents is read like `Năm nào?`.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import Enum

from qa import messages, vocabulary
from qa.compounds import LONGEST_WORD, split_words
from qa.dates import TimeRange, asked_time, without_time
from qa.errors import InvalidQuestion
from qa.lexicon import terms
from qa.text import YEAR, fold, has_diacritics, normalize


def clean_question(question: str, max_chars: int = 1000) -> str:
    """Strip control characters, lone surrogates (`normalize`) and extra white space; refuse empty,
    wordless or overlong questions."""
    if not isinstance(question, str):
        raise InvalidQuestion(
            f"question must be a string, got {type(question).__name__}", messages.QUESTION_NOT_TEXT
        )
    text = re.sub(r"\s+", " ", normalize(question)).strip()
    if not text:
        raise InvalidQuestion("question is empty: type a question about the articles", messages.QUESTION_EMPTY)
    if not re.search(r"[^\W_]", text):  # "?", "...", "-", an emoji: nothing to search for
        raise InvalidQuestion("question has no word: type a question about the articles", messages.QUESTION_NO_WORDS)
    if len(text) > max_chars:
        raise InvalidQuestion(
            f"question is {len(text)} characters long; the limit is {max_chars}: ask a shorter question",
            messages.QUESTION_TOO_LONG.format(length=len(text), limit=max_chars),
        )
    return text


class AnswerType(str, Enum):  # noqa: UP042 -- StrEnum would change str()/format() of the members
    """What a factoid question asks for; decides which span becomes the short answer."""

    PERIOD = "period"  # giai đoạn nào → 2025–2028
    YEAR = "year"  # năm nào → 2009
    DAY = "day"  # ngày nào → 12/5 (a year does not answer it)
    DATE = "date"  # khi nào → 12/5, or 1288
    NUMBER = "number"  # bao nhiêu, mấy → 7
    MEASURE = "measure"  # bao lâu, bao xa → 3 giờ 15 phút, 52 km (a number in the units asked)
    PERSON = "person"  # ai → Nguyễn Văn Nên
    PLACE = "place"  # ở đâu, tỉnh nào → Sơn Lâm
    ORGANISATION = "organisation"  # đơn vị nào, doanh nghiệp nào → Công ty cổ phần Sơn Lâm


def _whole_words(cues: tuple[str, ...]) -> str:
    """Cues match whole words: `ông nào` ("which man") is not the end of `sông nào` ("which river")."""
    return rf"(?<!\w)(?:{'|'.join(cues)})(?!\w)"


# Cues, most specific first: "năm bao nhiêu" asks for a year, not a number. Vietnamese cues are
# written accented and matched accented when the question has diacritics (folded, `khí nào` "which
# gas" would read as `khi nào` "when"), and folded when it was typed without them.
_VIETNAMESE_CUES = [(AnswerType(kind), _whole_words(cues)) for kind, cues in vocabulary.ANSWER_CUES]
_ENGLISH_CUES = [(AnswerType(kind), _whole_words(cues)) for kind, cues in vocabulary.ENGLISH_ANSWER_CUES]
_COMPILED = {
    "accented": [(kind, re.compile(p)) for kind, p in _VIETNAMESE_CUES],
    "folded": [(kind, re.compile(fold(p))) for kind, p in _VIETNAMESE_CUES],
    "english": [(kind, re.compile(p)) for kind, p in _ENGLISH_CUES],
}

# A person asked for by title, once no cue above has matched ("tỉnh nào" asks for a place): "Cầu
# thủ nào …?", "Phó Chủ tịch xã Sơn Lâm nào …?", "Giám đốc Trung tâm Y tế tên là gì?" (only when the
# question opens with the title: "Ứng dụng … có tên là gì?" asks for a thing's name). Not a cue
# that `without_cue` strips: the title is the question's subject.
_TITLES = "|".join(vocabulary.OFFICES + vocabulary.PERSON_NOUNS)
_BY_TITLE = "|".join((
    rf"\b(?:{_TITLES})(?: (?!thế\b|cách\b)\w+){{0,4}} nào\b",
    rf"^(?:(?:hai|ba|\d+) )?(?:{vocabulary.DEPUTY} )?(?:{_TITLES})\b.* tên (?:là )?gì$",
))
_PERSON_BY_TITLE = {"accented": re.compile(_BY_TITLE), "folded": re.compile(fold(_BY_TITLE))}
# In English, "Which vice-chairwoman …?", "Which swimmer …?".
_ENGLISH_PERSONS = "|".join((*vocabulary.OFFICES_ENGLISH, *vocabulary.PERSON_NOUNS_ENGLISH))
_ENGLISH_BY_TITLE = re.compile(rf"\bwhich (?:[\w'’]+[ -]){{0,2}}(?:{_ENGLISH_PERSONS})s?\b")


def _as_cued(question: str) -> tuple[str, str]:
    """The question as cues are matched in it, and which cues: `english`, `accented` when it has
    diacritics, else `folded` (the text folded too)."""
    text = normalize(question).lower()
    if looks_english(question):
        return text, "english"
    if has_diacritics(question):
        return text, "accented"
    return fold(text), "folded"


def expected_answer_type(question: str) -> AnswerType | None:
    text, form = _as_cued(question)
    text = text.strip(" ?.!")
    cues, by_title = _COMPILED[form], _ENGLISH_BY_TITLE if form == "english" else _PERSON_BY_TITLE[form]
    for kind, pattern in cues:
        if pattern.search(text):
            return kind
    if by_title is not None and by_title.search(text):
        return AnswerType.PERSON
    return None


# Words after `bao nhiêu` that are not the thing counted ("là bao nhiêu người" counts `người`), or
# that ask for a measure rather than a count ("bao nhiêu thời gian" → `17 giây`, "bao nhiêu tiền").
# Keyed by whether the question has diacritics: the words as written, or folded.
_NOT_COUNTED = {True: frozenset(vocabulary.NOT_COUNTED), False: frozenset(map(fold, vocabulary.NOT_COUNTED))}
_MEASURE_NOT_COUNTED = {
    True: frozenset(vocabulary.MEASURE_NOT_COUNTED), False: frozenset(map(fold, vocabulary.MEASURE_NOT_COUNTED))
}
_ORDINAL = f"(?:{vocabulary.ORDINAL_WORD}|{fold(vocabulary.ORDINAL_WORD)})"
_MAY_AS_A_NOUN_AFTER = tuple(fold(word) for word in vocabulary.MAY_AS_A_NOUN_AFTER)


def counted_noun(question: str) -> str | None:
    """`Có bao nhiêu đoàn …?` → `doan` (folded): the noun a number in the answer must count; and
    for an ordinal asked last, `… hạng mấy?` → `hang` (`hạng Nhất`, `hạng 3`), `… phút thứ mấy?` →
    `phut` (`phút 63`). Money counts nothing (`bao nhiêu vốn` asks an amount: `names_money`)."""
    return _counted(question)[0]


def asks_an_extreme(question: str) -> bool:
    """"Giá thuê tối thiểu là bao nhiêu?": one end of a range is asked (`vocabulary.EXTREME_WORDS`)."""
    return _EXTREME.search(fold(question)) is not None


_EXTREME = re.compile(rf"\b(?:{'|'.join(fold(w) for w in vocabulary.EXTREME_WORDS)})\b")


def asked_rate(question: str) -> str | None:
    """`Tiền thuê là bao nhiêu một năm?` → `nam` (folded): the unit an amount is asked per."""
    match = _RATE.search(fold(question))
    return match.group(1) if match else None


_RATE = re.compile(rf"\bbao nhieu (?:{'|'.join(fold(w) for w in vocabulary.RATE_WORDS)}) (\w+)")


def asks_ordinal(question: str) -> bool:
    """The question asks which one, not how many: `mấy` ends it (`hạng mấy?`, `phút thứ mấy?`), and
    the number follows its noun (`hạng 3`, `phút 63`)."""
    return _counted(question)[1]


def _counted(question: str) -> tuple[str | None, bool]:
    if looks_english(question):  # "may" is a verb or a month there: "How many may attend …?"
        return None, False
    if has_diacritics(question):  # `mấy`, not the `máy` of `nhà máy`
        text, few = normalize(question).lower().strip(" ?.!"), "mấy"
    else:
        text, few = fold(question).strip(" ?.!"), "".join(rf"(?<!{word} )" for word in _MAY_AS_A_NOUN_AFTER) + "may"
    # `bao nhiêu` first: typed without diacritics, `may` may be a name's (`Xuong May Binh An`).
    count = re.search(r"\bbao nhi[eê]u\s+(\w+)", text) or re.search(rf"\b{few}\s+(\w+)", text)
    match = count or re.search(rf"(\w+)\s+{_ORDINAL}\s+{few}$", text) or re.search(rf"(\w+)\s+{few}$", text)
    if not match:
        return None, False
    word, accented = match.group(1), has_diacritics(question)  # as the question writes it: `thí` is no `thì`
    if word in _NOT_COUNTED[accented] or names_money(text[match.start(1) :]):
        return None, False
    measure_word = word in _MEASURE_NOT_COUNTED[accented]
    if measure_word and cue_is_a_word(text[match.start(1) :], word, folded=not accented, heads=False):
        return None, False
    return fold(word), count is None


_ENGLISH_MEASURE_NOUNS = frozenset(vocabulary.ENGLISH_MEASURE_NOUNS)


def counts_things(question: str) -> bool:
    """"How many bridges …?": an English question counting things that are no measure (not "how
    many years", "how many tonnes"), so that an amount measured in a unit (`2.150 m`, `40 tấn`) or
    of money does not answer it. Vietnamese questions name what they count (`counted_noun`)."""
    if not looks_english(question):
        return False
    match = re.search(r"\bhow many((?: [\w-]+){1,3})", question.lower())
    return match is not None and not _ENGLISH_MEASURE_NOUNS & set(match.group(1).split())


def counted_phrase(question: str) -> tuple[str, ...]:
    """`Có bao nhiêu chiếc thuyền rồng?` → (`chiec`, `thuyen`, `rong`) (folded):
    the counted noun and the words after it, up to a Vietnamese function word, a verb that ends it
    (`sang`, `tham`: `COUNT_PHRASE_ENDS`) or a "per" (`mỗi năm`, `hàng năm`; not `ngân hàng`);
    compared accented when the question has them (`cỏ` is no `có`); () when nothing is counted."""
    noun = counted_noun(question)
    text = normalize(question).lower()
    words = re.findall(r"\w+", text)
    folded = [fold(w) for w in words]
    compared, ends, per, cues = (
        (words, _PHRASE_ENDS, _PER_BEFORE_CALENDAR, ("nhiêu", "mấy"))
        if has_diacritics(question)
        else (folded, _PHRASE_ENDS_FOLDED, _PER_BEFORE_CALENDAR_FOLDED, ("nhieu", "may"))
    )
    # The noun right after the cue (`bao nhiêu <noun>`, `mấy <noun>`; not the `máy` of `nhà máy điện`),
    # not an ordinal's (`hạng mấy`).
    at = next(
        (
            i + 1
            for i in range(len(words) - 1)
            if compared[i] in cues and folded[i + 1] == noun and not (i and folded[i - 1] in _MAY_AS_A_NOUN_AFTER)
        ),
        None,
    )
    if at is None:
        return ()

    def ends_phrase(i: int) -> bool:
        if compared[i] in per:
            return i + 1 < len(folded) and folded[i + 1] in _CALENDAR_FOLDED
        return compared[i] in ends

    stop = next((i for i in range(at + 1, len(words)) if ends_phrase(i)), len(words))
    return tuple(folded[at:stop])


_PHRASE_ENDS = frozenset(
    (*vocabulary.VIETNAMESE_FUNCTION_WORDS, *vocabulary.COUNT_PHRASE_ENDS, *vocabulary.RATE_WORDS)
)
_PHRASE_ENDS_FOLDED = frozenset(map(fold, _PHRASE_ENDS))
_PER_BEFORE_CALENDAR = frozenset(vocabulary.PER_BEFORE_CALENDAR)
_PER_BEFORE_CALENDAR_FOLDED = frozenset(map(fold, _PER_BEFORE_CALENDAR))
_CALENDAR_FOLDED = frozenset(map(fold, vocabulary.CALENDAR_NOUNS))


# Words that make a "bao nhiêu" question one about money, matched like the cues: accented when the
# question has diacritics (folded, `gia` is also `quốc gia`, `tham gia`), else only the unambiguous.
_MONEY = {
    "accented": re.compile(rf"\b(?:{'|'.join(vocabulary.MONEY_WORDS)})\b"),
    "folded": re.compile(rf"\b(?:{'|'.join(vocabulary.MONEY_WORDS_UNACCENTED)})\b"),
    "english": re.compile(rf"\b(?:{'|'.join(vocabulary.MONEY_WORDS_ENGLISH)})\b"),
}


_NOT_MONEY = re.compile(rf"\b(?:{'|'.join(vocabulary.NOT_MONEY_WORDS)})\b")
# A currency right after `bao nhiêu` (`bao nhiêu đô la`, `bao nhiêu USD`) asks an amount of it; not
# `đồng`, which opens other words too (`đồng bào`), nor once folded a currency with diacritics
# (`bat` is also `bát`).
_CURRENCY_FIRST = {
    "accented": re.compile(rf"(?:{'|'.join(c for c in vocabulary.CURRENCIES if c != 'đồng')})\b"),
    "folded": re.compile(rf"(?:{'|'.join(c for c in vocabulary.CURRENCIES if not has_diacritics(c))})\b"),
}


def asks_for_money(question: str) -> bool:
    """"Vé vào cửa giá bao nhiêu?", "Kinh phí xây cầu bao nhiêu?": the answer is an amount of money
    (not "Bao nhiêu người được khám miễn phí?", nor a money word inside a name: `Tiền Phong`, nor
    one after a thing counted: `counts_money`)."""
    if not counts_money(counted_noun(question)):
        return False
    text = without_names(normalize(question))
    if looks_english(question):
        return bool(_MONEY["english"].search(text))
    words, read = _money_words(text, accented=has_diacritics(question))
    asked = re.search(r"\bbao nhi[eê]u (.+)", normalize(question).lower())
    return bool(words.search(read)) or (asked is not None and names_money(asked.group(1)))


_AMOUNT_WORDS = frozenset(fold(word) for word in (*vocabulary.MAGNITUDE_WORDS, *vocabulary.CURRENCIES))


def counts_money(counted: str | None) -> bool:
    """What `bao nhiêu` counts, if anything, may be money: nothing (`Kinh phí là bao nhiêu?`), or
    a magnitude or a currency (`bao nhiêu tỷ đồng`); not a thing that money words elsewhere in the
    question are about (`Bao nhiêu hộ được nhận tiền hỗ trợ?` counts households)."""
    return counted is None or counted in _AMOUNT_WORDS


def names_money(words: str) -> bool:
    """The words, in lower case, open with a word for money or a currency (`vốn đầu tư …`, `kinh phí
    …`, `đô la`): what `bao nhiêu` then asks is an amount (`2.945 tỷ đồng`), not a number of them."""
    accented = has_diacritics(words)
    money, read = _money_words(words, accented=accented)
    return bool(money.match(read) or _CURRENCY_FIRST["accented" if accented else "folded"].match(read))


def _money_words(text: str, *, accented: bool) -> tuple[re.Pattern[str], str]:
    """The Vietnamese words for money to look for, and the lower-case text to look in: accented,
    with the words that only contain one left out (`miễn phí`); else folded, with the words that
    stay unambiguous once folded."""
    if accented:
        return _MONEY["accented"], _NOT_MONEY.sub(" ", text)
    return _MONEY["folded"], fold(text)


def without_names(question: str) -> str:
    """The question in lower case, its capitalised words left out (the first too when the next is
    capitalised): a word that names money (`tiền`, `lương`, `giá`) may begin a name (`Tiền Phong`,
    `Công ty Lương thực`), while `Giá vé …` opens a question about a price."""
    words = question.split(" ")

    def capitalised(i: int) -> bool:
        return i < len(words) and words[i][:1].isupper()

    return " ".join(w.lower() for i, w in enumerate(words) if not capitalised(i) or (i == 0 and not capitalised(1)))


# Kinds of place that the place finder knows by their own words (`tỉnh Sơn Lâm`), that are
# answered by a bare name (`quốc gia nào` → `Pháp`), or that say nothing (`địa điểm nào`).
_PLACE_WORDS_KNOWN = frozenset(fold(w) for w in vocabulary.ADMINISTRATIVE_UNITS + vocabulary.GENERIC_PLACE_KINDS)


def asks_which(question: str) -> bool:
    """The question names the kind of thing it asks for (`tỉnh nào`, `which province`), which its
    answer then need not repeat; "ở đâu" and "where" name none."""
    return re.search(r"\b(?:nao|which|what)\b", fold(question)) is not None


_COUNTRY_CUES = re.compile("|".join(vocabulary.COUNTRY_CUES))


def asks_a_country(question: str) -> bool:
    """"Sản phẩm được bán sang nước nào?", "quốc tịch", "which country": a country is the answer
    (`vocabulary.COUNTRIES`), not any place the sentence names."""
    return _COUNTRY_CUES.search(fold(question)) is not None


def organisation_kinds(question: str) -> tuple[str, ...]:
    """`Doanh nghiệp nào …?` → the company kinds (`Công ty`, `Tập đoàn`, …): the kinds of organisation
    an answer may be (`vocabulary.ORGANISATIONS_ASKED`), by the first kind word before `nào` or after
    "which"; () when any body answers (`Đơn vị nào …?`). Matched as the answer cues are: accented when
    the question has diacritics (folded, `thay đổi nào` would ask for a team, `đội`)."""
    text, form = _as_cued(question)
    asked = _ORGANISATION_ASKED[form].search(text)
    return () if asked is None else _ORGANISATION_KINDS_BY_WORD[asked.group(1)]


# Each word as matched, accented and folded → the kinds it asks for.
_ORGANISATION_KINDS_BY_WORD = {
    spelling: kinds for words, kinds in vocabulary.ORGANISATIONS_ASKED for w in words for spelling in (w, fold(w))
}
_ORGANISATION_WORDS = "|".join(w for words, _ in vocabulary.ORGANISATIONS_ASKED for w in words)
_ORGANISATION_ASKED = {
    "accented": re.compile(rf"(?<!\w)({_ORGANISATION_WORDS})(?: \w+){{0,2}} nào(?!\w)"),
    "folded": re.compile(rf"(?<!\w)({fold(_ORGANISATION_WORDS)})(?: \w+){{0,2}} nao(?!\w)"),
    "english": re.compile(rf"\bwhich ({_ORGANISATION_WORDS})s?\b"),
}


_PLACE_BY_KIND = re.compile(rf"\b({'|'.join(fold(w) for w in vocabulary.PLACES_ASKED_BY_KIND)}) nao\b")


_ENGLISH_PLACE_BY_KIND = re.compile(vocabulary.ENGLISH_PLACE_BY_KIND)


def place_noun(question: str) -> str | None:
    """`… diễn ra tại nhà hát nào?` → `nha hat` (folded): the kind of place asked for, which the
    answer names right after it (`khách sạn Mường Thanh`); None when asked for any place. In
    English, the Vietnamese word for the kind asked ("At which station …?" → `ga`)."""
    english = _ENGLISH_PLACE_BY_KIND.search(question.lower())
    if english:
        said = vocabulary.ENGLISH_PLACES_ASKED_BY_KIND[english.group(1)]
        return fold(said) if said else None
    text = fold(question)
    match = re.search(r"\b(?:tai|o) (\w+(?: \w+){0,2}) nao\b", text) or _PLACE_BY_KIND.search(text)
    if not match or match.group(1) in _PLACE_WORDS_KNOWN:
        return None
    return match.group(1)


# Offices a "who is" question may name; a deputy (`Phó Giám đốc`) does not hold the office itself,
# nor the office-holder the deputy's title. Longest first: `tổng giám đốc` is not `giám đốc`.
OFFICE_TITLE = re.compile(
    rf"(?<!\w)({fold(vocabulary.DEPUTY)} )?({'|'.join(fold(w) for w in vocabulary.OFFICES)})(?!\w)"
)  # matched on folded text: group 1 the deputy's `pho`, group 2 the office


def office_titled(match: re.Match[str]) -> str:
    """An `OFFICE_TITLE` match as the office it titles: `pho giam doc`, `giam doc`."""
    return f"{match.group(1) or ''}{match.group(2)}"


_ENGLISH_OFFICE = re.compile(
    rf"\b((?:{'|'.join(vocabulary.DEPUTY_ENGLISH)})[ -])?({'|'.join(vocabulary.OFFICES_ENGLISH)})\b"
)


def asked_office(question: str) -> str | None:
    """"Ai là Giám đốc Trung tâm Y tế?" → `giam doc`, "Phó Chủ tịch xã Sơn Lâm là ai?" → `pho chu tich`,
    "Who is the Vice Chairman …?" → `pho chu tich` (folded): the title whose holder is asked for."""
    if looks_english(question):
        english = _ENGLISH_OFFICE.search(question.lower())
        if not english:
            return None
        office = fold(vocabulary.OFFICES_ENGLISH[english.group(2)])
        return f"{fold(vocabulary.DEPUTY)} {office}" if english.group(1) else office
    match = OFFICE_TITLE.search(fold(question))
    return office_titled(match) if match else None


def offices_said(text: str) -> set[str]:
    """The offices the text titles someone with, folded, a deputy's with `pho` ("bà A, Phó Giám đốc
    trại giống Sơn Lâm, cho biết …" → {`pho giam doc`})."""
    return {office_titled(m) for m in OFFICE_TITLE.finditer(fold(text))}


def says_another_rank_of_office(office: str, said: set[str]) -> bool:
    """Of the office asked (`asked_office`), only the other rank is said: its deputy's when the
    holder is asked (`giam doc` asked, `pho giam doc` said), the office itself when the deputy is."""
    deputy = f"{fold(vocabulary.DEPUTY)} "
    rank = office.removeprefix(deputy)
    return office not in said and any(other.removeprefix(deputy) == rank for other in said)


_KIND_WORDS = frozenset(
    fold(word) for kind in (*vocabulary.ORGANISATION_KINDS, *vocabulary.ADMINISTRATIVE_UNITS) for word in kind.split()
)


def words_of_a_body(name: str) -> frozenset[str]:
    """The runs of capitalised words of a body's name, but the words of its kind, folded (`Trung tâm
    Khảo nghiệm giống Bình Sơn` → `khao`, `binh son`): what tells one body from another of its kind
    (`Sơn Lâm` is not `Bình Sơn`)."""
    runs, run = [], []
    for word in [*re.findall(r"\w+", name), ""]:
        if word[:1].isupper() and fold(word) not in _KIND_WORDS:
            run.append(fold(word))
        elif run:
            runs.append(" ".join(run))
            run = []
    return frozenset(runs)


def asked_body(question: str) -> frozenset[str]:
    """"Giám đốc Trung tâm Khảo nghiệm Bình Sơn là ai?" → `khao`, `binh son`: the words of the body whose
    office is asked (`words_of_a_body`), written after the office up to a comma or `là`; none when
    no office is asked, or in English."""
    folded = fold(question)
    match = OFFICE_TITLE.search(folded)
    if match is None or looks_english(question) or len(folded) != len(question):
        return frozenset()
    return words_of_a_body(re.split(r"[,;?]|\s(?:là|la)\s", question[match.end() :])[0])


def _measure_patterns(
    measures: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...], fold_them: bool = False
) -> list[tuple[re.Pattern[str], tuple[str, ...]]]:
    """Each measure's cues as one pattern whose group 1 is the word before the cue, group 2 the cue."""
    patterns = []
    for cues, units in measures:
        alternatives = "|".join(re.escape(fold(c) if fold_them else c) for c in cues)
        patterns.append((re.compile(rf"(\w*)\s*(?<!\w)({alternatives})(?!\w)"), units))
    return patterns


_MEASURES = {
    "accented": _measure_patterns(vocabulary.MEASURES),
    "folded": _measure_patterns(vocabulary.MEASURES, fold_them=True),
    "english": _measure_patterns(vocabulary.MEASURES_ENGLISH),
}
_NOT_A_MEASURE_AFTER = frozenset(vocabulary.MEASURE_CUES_NOT_AFTER)


def asked_measure(question: str) -> tuple[str, ...]:
    """"Cầu dài bao nhiêu?" → (`m`, `mét`, `km`, …): the units one of which the number answering it
    carries, when the question names the measure rather than a unit (not after a verb it follows:
    `kéo dài bao nhiêu` asks how long it lasts; nor when its last syllable opens another word:
    `cue_is_a_word`); () otherwise."""
    text = normalize(question).lower()
    english, folded = looks_english(question), not has_diacritics(question)
    if english:
        found, before = _MEASURES["english"], _NOT_A_MEASURE_AFTER
    elif not folded:
        found, before = _MEASURES["accented"], _NOT_A_MEASURE_AFTER
    else:
        found, text, before = _MEASURES["folded"], fold(text), frozenset(map(fold, _NOT_A_MEASURE_AFTER))

    for pattern, units in found:
        if any(
            m.group(1) not in before and (english or cue_is_a_word(text[m.start(2) :], m.group(2), folded=folded))
            for m in pattern.finditer(text)
        ):
            return units
    return ()


def cue_is_a_word(text: str, cue: str, *, folded: bool = False, heads: bool = True) -> bool:
    """The text, which opens with the cue, does not go on with a word that its last syllables open:
    `bao nhiêu điện?` asks electricity, `bao nhiêu điện thoại` does not. With `heads`, a longer word
    the whole cue opens is a kind of it (`nhiệt độ không khí`, "air temperature")."""
    count, at = len(cue.split()), 0
    for word in split_words(re.findall(r"\w+", text)[: count + LONGEST_WORD - 1], folded=folded):
        size = len(word.split())
        if at + size > count:
            return heads and at == 0
        at += size
        if at == count:
            return True
    return True


_ASKED_BOUNDS = [(bound, re.compile(rf"\b(?:{'|'.join(cues)})\b")) for bound, cues in vocabulary.ASKED_BOUNDS.items()]


def asked_bound(question: str) -> str | None:
    """"Vòng loại kết thúc vào ngày nào?" → `end`, "Tuyến xe bắt đầu chạy từ ngày nào?" → `start`:
    the end of a range of dates asked (`vocabulary.ASKED_BOUNDS`); None when neither is."""
    text = fold(question)
    return next((bound for bound, pattern in _ASKED_BOUNDS if pattern.search(text)), None)


def _alternative_patterns(
    folded: bool,
) -> tuple[list[tuple[re.Pattern[str], tuple[str, ...]]], list[tuple[re.Pattern[str], str]]]:
    """(`ALTERNATIVES_TOGETHER`'s phrases, each with the alternatives it says; each alternative of
    `ALTERNATIVES`), as patterns matching them as written or `folded`. Folded, an alternative of one
    syllable is left out: `giam` is `giảm` ("down") and the `giám` of `giám đốc`."""
    spelled = fold if folded else str

    def pattern(phrase: str) -> re.Pattern[str]:
        return re.compile(rf"(?<!\w){spelled(phrase)}(?!\w)")

    together = [(pattern(phrase), said) for phrase, said in vocabulary.ALTERNATIVES_TOGETHER.items()]
    words = [
        (pattern(word), word)
        for alternatives in vocabulary.ALTERNATIVES
        for word in alternatives
        if not folded or " " in word
    ]
    return together, words


_ALTERNATIVE_PATTERNS = {folded: _alternative_patterns(folded) for folded in (False, True)}


def alternatives_said(text: str, *, folded: bool = False) -> set[str]:
    """The alternatives of `vocabulary.ALTERNATIVES` the text says (`kim ngạch xuất nhập khẩu` says
    `xuất khẩu` and `nhập khẩu`), matched as written (lower-cased), or `folded` both sides (then
    only those of more than one syllable)."""
    text = fold(text) if folded else text.lower()
    together, words = _ALTERNATIVE_PATTERNS[folded]
    said: set[str] = set()
    for pattern, alternatives in together:
        if pattern.search(text):
            said.update(alternatives)
            text = pattern.sub(" ", text)
    said.update(word for pattern, word in words if pattern.search(text))
    return said


def asked_alternatives(question: str) -> tuple[tuple[str, ...], ...]:
    """"Kim ngạch nhập khẩu … là bao nhiêu?" → ((`nhập khẩu`, `xuất khẩu`),): of each set of
    `vocabulary.ALTERNATIVES` the question names one of, that one and then the others. Matched as
    written when the question has diacritics, folded when it was typed without."""
    said = alternatives_said(question, folded=not has_diacritics(question))
    asked = []
    for alternatives in vocabulary.ALTERNATIVES:
        named = [word for word in alternatives if word in said]
        if len(named) == 1:
            asked.append((named[0], *(word for word in alternatives if word != named[0])))
    return tuple(asked)


_BIRTH = re.compile(rf"\b(?:{'|'.join(vocabulary.BIRTH_CUES)})\b")


def asks_a_birth(question: str) -> bool:
    """"Ông sinh năm nào?", "When was she born?": a birth is asked, which a birth year answers."""
    return _BIRTH.search(fold(question)) is not None


_BEFORE = re.compile(rf"\b(?:{'|'.join(vocabulary.BEFORE_CUES)})\b")
# A comparison said (`so với`, "compared with"), matched on folded text.
COMPARISON = re.compile(rf"\b(?:{'|'.join(fold(w) for w in vocabulary.COMPARED_WITH)})\b")


@dataclass(frozen=True)
class _Negation:
    """The words of negation (`vocabulary.NEGATIONS` and the lists after it), spelled as a text is
    read: accented, or folded for a question typed without diacritics."""

    negation: re.Pattern[str]  # `không`, `chưa`, `chẳng` (folded: `khong` alone)
    not_negation: re.Pattern[str]  # words that hold `không` and deny nothing (`hàng không`)
    yes_no: re.Pattern[str]  # a negation that ends a question asking yes or no (`… đúng không`)
    said_no: re.Pattern[str]  # a negation or a word that denies (`miễn`, `cấm`), in an answer
    auxiliaries: tuple[str, ...]  # between a negation and what it denies (`không thể đọc`)
    question_words: tuple[str, ...]  # what a negation denies ends at one (`không có gì`) …
    linking_words: tuple[str, ...]  # … and after its first word at one of these (`không bán được gì`)

    @classmethod
    def spelled(cls, accented: bool) -> _Negation:
        def spell(words: Sequence[str]) -> tuple[str, ...]:
            return tuple(words) if accented else tuple(map(fold, words))

        def either(words: Sequence[str]) -> re.Pattern[str]:
            return re.compile(rf"\b(?:{'|'.join(spell(words))})\b")

        return cls(
            negation=either(vocabulary.NEGATIONS if accented else vocabulary.NEGATIONS_UNACCENTED),
            not_negation=either(vocabulary.NOT_NEGATIONS),
            yes_no=re.compile(vocabulary.YES_NO_ENDING if accented else fold(vocabulary.YES_NO_ENDING)),
            said_no=either((*vocabulary.NEGATIONS, *vocabulary.DENYING_WORDS)),
            auxiliaries=spell(vocabulary.NEGATION_AUXILIARIES),
            question_words=spell(vocabulary.QUESTION_WORDS),
            linking_words=spell(vocabulary.LINKING_WORDS),
        )


_NEGATION = {accented: _Negation.spelled(accented) for accented in (True, False)}


def _words(text: str, accented: bool) -> list[str]:
    """The text's syllables as `lexicon.terms` reads them (folded unless `accented`), without the
    words that hold `không` and deny nothing (`hàng không`)."""
    return _NEGATION[accented].not_negation.sub(" ", " ".join(terms(text, accents=accented))).split()


def _phrase_at(words: Sequence[str], i: int, phrases: Sequence[str]) -> int:
    """How many words of one of the phrases start at `words[i]` (0: none)."""
    for phrase in phrases:
        parts = phrase.split()
        if list(words[i : i + len(parts)]) == parts:
            return len(parts)
    return 0


def negated_words(question: str) -> tuple[str, ...]:
    """What the question denies: the one or two words after its negation and the auxiliaries after
    it (`Loại vé nào không được hoàn tiền?` → `hoàn tiền`; `… không phải là X` → X), in lower
    case, folded when it was typed without diacritics. Empty when it denies nothing: no negation
    but one that ends a yes-or-no question (`… đúng không?`), or a question word right after it
    (`không có gì`)."""
    accented = has_diacritics(question)
    spelled = _NEGATION[accented]
    text = " ".join(_words(question, accented))
    match = spelled.negation.search(spelled.yes_no.sub("", text))
    if match is None:
        return ()
    words = text[match.end() :].split()
    i = 0
    while skipped := _phrase_at(words, i, spelled.auxiliaries):
        i += skipped
    if i >= len(words) or _phrase_at(words, i, spelled.question_words):
        return ()
    if i + 1 < len(words) and not _phrase_at(words, i + 1, spelled.question_words + spelled.linking_words):
        return (words[i], words[i + 1])
    return (words[i],)


def says_no(text: str, *, accented: bool = True) -> bool:
    """The text holds a negation or a word that denies (`miễn`, `cấm`, `ngoài`), as a question typed
    with (`accented`) or without diacritics reads it."""
    return _NEGATION[accented].said_no.search(" ".join(_words(text, accented))) is not None


def says_words(text: str, words: Sequence[str], *, accented: bool = True) -> bool:
    """The text holds the words in a row (as `negated_words` gives them)."""
    return f" {' '.join(words)} " in f" {' '.join(_words(text, accented))} "


# Numbers, words and marks; a number glued to letters is one word, a code (`5G`, `U16`).
_COUNT_TOKENS = re.compile(r"\d+(?:[.,]\d+)*(?![^\W_])|[^\W_]+|[^\w\s]")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_YEAR_LIKE = re.compile(YEAR)
_SENTENCE_MARKS = frozenset(".,;:!?()")
_MAGNITUDES = frozenset(vocabulary.MAGNITUDE_WORDS)
_MAGNITUDES_FOLDED = frozenset(fold(w) for w in vocabulary.MAGNITUDE_WORDS)
# Words a number before them does not count: function words (but a count of days, months or years,
# or of people, is one: `6 tháng`, `3 người`), magnitudes and number words (read with the number;
# typed without diacritics, `ba` and `hai` after a number are no count either) and `thứ`.
_COUNTS_NOTHING = frozenset(
    (*vocabulary.FUNCTION_WORDS, *vocabulary.MAGNITUDE_WORDS, *vocabulary.NUMBER_WORD_VALUES, vocabulary.ORDINAL_WORD)
) - frozenset((*vocabulary.CALENDAR_NOUNS, *vocabulary.GENERIC_COUNTED))


def numbers_of_things(
    text: str, *, accented: bool = True, firsts: bool = False
) -> frozenset[tuple[str, str, bool]]:
    """The things the text counts or numbers, each as (its word, the number, whether it is an
    ordinal), in lower case: `3 cây cầu` and `ba cây cầu` → (`cây`, `3`, False);
    `2,5 triệu khách` → (`khách`, `25 triệu`, False); `tuyến thứ hai` → (`tuyến`, `2`, True).
    A count is a number — in digits, or a plain number word (`vocabulary.NUMBER_WORD_VALUES`, read
    only when `accented`: typed without diacritics they spell other words) — with the magnitudes
    and number words after it, before a word that is no function word (but days, months, years and
    people are counted: `6 tháng`, `3 người`); an ordinal is `thứ` and a number after a word. Not
    a year, nor a number in a date, a score, a range or a share (`8/4`, `2-3`, `5%`). Digits are
    compared without their separators, which texts write either way (`1.200` and `1,200`). With
    `firsts` (and `accented`), the first written in words is an ordinal too: `đợt đầu tiên` →
    (`đợt`, `1`, True) (`vocabulary.FIRST_ORDINALS`)."""
    words = _COUNT_TOKENS.findall((normalize(text) if accented else fold(text)).lower())
    values = vocabulary.NUMBER_WORD_VALUES if accented else {}
    magnitudes = _MAGNITUDES if accented else _MAGNITUDES_FOLDED

    def number(i: int) -> str | None:
        word = words[i]
        if _DIGITS.fullmatch(word):
            return None if _YEAR_LIKE.fullmatch(word) else re.sub(r"[.,]", "", word)
        return str(values[word]) if word in values else None

    def of_the_number(i: int) -> bool:  # a magnitude or a number word goes on with it
        return 0 <= i < len(words) and (words[i] in magnitudes or words[i] in values)

    def marked(i: int) -> bool:  # a mark that makes it a date, a score, a range or a share
        return 0 <= i < len(words) and not words[i].isalnum() and words[i] not in _SENTENCE_MARKS

    def plain(i: int) -> bool:  # a word, not a number nor a mark
        return 0 <= i < len(words) and words[i].isalpha() and number(i) is None

    found = set()
    i = 0
    while i < len(words):
        if firsts and accented and plain(i - 1) and " ".join(words[i : i + 2]) in vocabulary.FIRST_ORDINALS:
            found.add((words[i - 1], "1", True))
            i += 2
            continue
        if number(i) is None or marked(i - 1) or of_the_number(i - 1):
            i += 1
            continue
        end = i + 1
        while of_the_number(end):
            end += 1
        value = " ".join(number(j) or words[j] for j in range(i, end))
        ordinal = i >= 1 and words[i - 1] == vocabulary.ORDINAL_WORD
        if ordinal and plain(i - 2) and not marked(end):
            found.add((words[i - 2], value, True))
        elif not ordinal and plain(end) and words[end] not in _COUNTS_NOTHING:
            found.add((words[end], value, False))
        i = end
    return frozenset(found)


def counts_otherwise(question: str, text: str, context: str = "") -> bool:
    """The text counts or numbers a thing the question does (`numbers_of_things`), and neither it
    nor its `context` (the sentence before, which may set the scene: `… còn 9 km nữa.` `Ở km tiếp
    theo …`) by the question's number: `3 cây cầu` asked, `4 cây cầu` said; `đợt thứ hai` asked,
    `đợt đầu tiên` said."""
    accented = has_diacritics(question)
    asked = numbers_of_things(question, accented=accented)
    said = numbers_of_things(text, accented=accented, firsts=True)
    also_said = (said | numbers_of_things(context, accented=accented, firsts=True)) if context else said
    things_said = {(thing, ordinal) for thing, _, ordinal in said}
    return any(
        (thing, ordinal) in things_said and (thing, value, ordinal) not in also_said
        for thing, value, ordinal in asked
    )


def asks_an_earlier_figure(question: str) -> bool:
    """"Trước khi có cầu, đi mất bao lâu?", "Vụ trước, đàn bò có bao nhiêu con?": the figure
    before a change, or compared with, is asked, not the one now (`vocabulary.BEFORE_CUES`); not
    when the comparison itself is ("tăng bao nhiêu so với cùng kỳ?")."""
    text = fold(question)
    return _BEFORE.search(text) is not None and COMPARISON.search(text) is None


def asked_dimension(question: str) -> str | None:
    """"Cầu dài bao nhiêu?", "… có chiều cao bao nhiêu?" → `dài`, `cao`: the dimension a size is
    asked in (`vocabulary.DIMENSIONS`; not after a verb it follows: `kéo dài bao nhiêu` asks how
    long something lasts); None when none is asked."""
    if looks_english(question):
        return None
    if has_diacritics(question):
        text, pattern = normalize(question).lower(), _DIMENSION_ASKED["accented"]
    else:
        text, pattern = fold(question), _DIMENSION_ASKED["folded"]
    for match in pattern.finditer(text):
        if match.group(1) not in _NOT_A_DIMENSION_AFTER:
            return _DIMENSION_OF[fold(match.group(2) or match.group(3))]
    return None


def _dimension_pattern(fold_them: bool) -> re.Pattern[str]:
    """Group 1: the word before; group 2 or 3: the dimension (`chiều dài`; `dài khoảng bao nhiêu`).
    Typed without diacritics, `sau` is mostly "after" (`sau bao nhieu ngay`): no dimension."""

    def alternatives(words: Sequence[str]) -> str:
        return "|".join(re.escape(fold(w) if fold_them else w) for w in words)

    dimensions = alternatives([d for d in vocabulary.DIMENSIONS if not (fold_them and fold(d) == "sau")])
    nouns, hedges = alternatives(vocabulary.DIMENSION_NOUNS), alternatives(vocabulary.DIMENSION_HEDGES)
    asked = "bao nhieu|may" if fold_them else "bao nhiêu|mấy"
    return re.compile(
        rf"(\w*)\s*(?<!\w)(?:(?:{nouns})\s+({dimensions})(?!\w)"
        rf"|({dimensions})\s+(?:(?:{hedges})\s+)*(?:{asked})(?!\w))"
    )


_DIMENSION_ASKED = {"accented": _dimension_pattern(False), "folded": _dimension_pattern(True)}
_DIMENSION_OF = {fold(d): d for d in vocabulary.DIMENSIONS}
_NOT_A_DIMENSION_AFTER = frozenset((*_NOT_A_MEASURE_AFTER, *map(fold, _NOT_A_MEASURE_AFTER)))


def without_cue(question: str) -> str:
    """The question minus its question words (`… cho giai đoạn nào?` → `… cho`), so that it can
    give context to a follow-up without imposing its own expected answer."""
    text = normalize(question).strip(" ?.!")
    for _, pattern in _COMPILED["accented"] + _COMPILED["english"]:
        text = re.sub(pattern.pattern, "", text, flags=re.IGNORECASE)
    return re.sub(r"\s{2,}", " ", text).strip(" ,")


_ENGLISH = frozenset(vocabulary.ENGLISH_WORDS)
_ALSO_VIETNAMESE = frozenset(vocabulary.ENGLISH_WORDS_ALSO_VIETNAMESE)


def looks_english(question: str) -> bool:
    """English questions share no content words with Vietnamese articles; lexical evidence is then
    discounted and the (multilingual) dense model carries the decision. English: at least a fifth of
    its words frequent English ones, one of them no Vietnamese syllable too (`Giam doc So … huyen
    Can Son la ai` is Vietnamese typed without diacritics), and under 30 % of its words in lowercase
    written with Vietnamese diacritics (an English question may quote Vietnamese names, capitalised
    and accented; a dash or a curly quote says nothing)."""
    words = re.findall(r"[^\W\d_]+", question)
    written = [w for w in words if not w[0].isupper()] or words  # a name quoted keeps its diacritics
    if not words or sum(has_diacritics(w) for w in written) >= 0.3 * len(written):
        return False
    english = [w for w in map(str.lower, words) if w in _ENGLISH]
    return len(english) >= 0.2 * len(words) and any(w not in _ALSO_VIETNAMESE for w in english)


_LIST_CUES = re.compile("|".join(vocabulary.LIST_CUES))


def is_list_question(question: str) -> bool:
    """"Những địa phương nào …", "các tỉnh nào …": the answer gathers several articles' sentences."""
    return bool(_LIST_CUES.search(fold(question)))


@dataclass(frozen=True)
class QuestionAnalysis:
    """What a (standalone) question asks for, worked out once: the kind of short answer expected,
    whether it asks for a list, whether it is in English, and the time it asks about (qa/dates.py)."""

    text: str
    kind: AnswerType | None
    is_list: bool
    english: bool
    time: TimeRange | None = None
    # The question as asked, where `text` leaves out the words naming its time (`without_time`).
    as_asked: str = ""

    @classmethod
    def of(cls, question: str, today: date | None = None) -> QuestionAnalysis:
        return cls(
            question,
            expected_answer_type(question),
            is_list_question(question),
            looks_english(question),
            asked_time(question, today),
        )

    @property
    def whole(self) -> str:
        """The question as asked, its time's words and all: what a short answer must fit (`Năm 2025,
        …` asks of 2025, even read against articles of 2025 alone)."""
        return self.as_asked or self.text

    def without_time(self) -> QuestionAnalysis:
        """The question read against articles of the time it names, whose date answers the words
        naming it (`qa.dates.without_time`): those words are left out of `text`, kept in `whole`."""
        return replace(self, text=without_time(self.text), as_asked=self.whole)
