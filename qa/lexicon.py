"""Words of questions and passages for the answering stage: which words matter (IDF), which are
names, and whether a text mentions a name, across accents and the spellings of Lao names."""
from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from difflib import SequenceMatcher
from itertools import pairwise

from qa import vocabulary
from qa.text import CAPITALISED_WORD, fold, has_diacritics, normalize, words

_FUNCTION_WORDS = vocabulary.FUNCTION_WORDS
STOPWORDS = frozenset(fold(w) for w in _FUNCTION_WORDS)  # folded, for matching however typed


class TermWeights:
    """Inverse document frequency of syllables over the passages, so that matching `Savannakhet`
    counts for more than matching `hợp tác`. Both the accented and the folded form of each syllable
    are counted, so accented questions match precisely (`dân số` is not `dẫn sớ`) and unaccented
    ones still match. A term absent from the corpus gets the highest weight."""

    def __init__(self, document_frequency: Mapping[str, int], documents: int) -> None:
        self._df = document_frequency
        self._n = max(documents, 1)

    def idf(self, term: str) -> float:
        return math.log(1 + self._n / (1 + self._df.get(term, 0)))

    def known(self, term: str) -> bool:
        return term in self._df

    def coverage(self, units: Sequence[tuple[str, ...]], text_terms: Sequence[str]) -> float:
        """IDF-weighted share of the question's units (syllables, and pairs of adjacent content
        syllables such as `dân số`) found in the text (1.0 when the question has none)."""
        present = set(text_terms) | set(pairwise(text_terms))
        total = found = 0.0
        for unit in units:
            weight = sum(self.idf(t) for t in unit) / len(unit)
            total += weight
            if (unit[0] if len(unit) == 1 else unit) in present:
                found += weight
        return found / total if total else 1.0


def terms(text: str, *, accents: bool) -> list[str]:
    """Lower-cased syllables, accented or folded (`Tỉnh uỷ` → `tỉnh ủy` / `tinh uy`)."""
    syllables = words(text)
    return syllables if accents else [fold(w) for w in syllables]


def question_units(question: str) -> tuple[list[tuple[str, ...]], bool]:
    """The question's content syllables and adjacent content pairs, in the form the question was
    typed in (accented or not), and that form's flag, for matching texts the same way."""
    accents = has_diacritics(question)
    tokens = terms(question, accents=accents)
    keep = [fold(t) not in STOPWORDS for t in tokens]
    units: list[tuple[str, ...]] = list(dict.fromkeys((t,) for t, k in zip(tokens, keep, strict=True) if k))
    units += list(
        dict.fromkeys((a, b) for a, b, ka, kb in zip(tokens, tokens[1:], keep, keep[1:], strict=False) if ka and kb)
    )
    return units, accents


def content_terms(question: str) -> list[str]:
    return [unit[0] for unit in question_units(question)[0] if len(unit) == 1]


# A name starts a word: the `V` of `220 kV` and the `G` of `5G` open none. A code's digits are part
# of it and end it (`Cục A05`, not `Cục A`, which no text says; `nhà ga T2 Cảng …`: two names).
_NAME = re.compile(rf"(?<!\w){CAPITALISED_WORD}(?:\s+{CAPITALISED_WORD})*(?:\d+[^\W_]*)?")
# Words that open a question capitalised without being part of a name, compared accented (`Đà
# Nẵng` opens with a name; `Đã` would not) unless the question was typed without diacritics.
_OPENERS = frozenset([*_FUNCTION_WORDS, *vocabulary.NAME_OPENERS])
_OPENERS_FOLDED = frozenset(fold(w) for w in _OPENERS)


_QUOTED = re.compile(r"[“\"]([^“”\"]{2,80})[”\"]")
_PRIZE_RANK = re.compile(rf"(?<=\bgiải )(?:{'|'.join(vocabulary.PRIZE_RANKS)})(?!\w)\s*", re.IGNORECASE)


def named_entities(question: str) -> list[str]:
    """Capitalised runs of the question, without its capitalised first word unless that word starts
    a longer run (`Cần Thơ ký với Savannakhet năm nào?` → [`Cần Thơ`, `Savannakhet`]; `Còn Cần Thơ
    thì sao?` → [`Cần Thơ`]); a title in quotation marks whole (`bức tranh “Mùa gặt”` → `Mùa gặt`;
    a quoted phrase opening lowercase is a phrase, not a title); not the rank of a prize (`giải
    Nhất`: `vocabulary.PRIZE_RANKS`)."""
    titles = [quoted for quoted in _QUOTED.finditer(question) if quoted.group(1).strip()[:1].isupper()]
    names = [title.group(1).strip() for title in titles]
    for title in titles:
        question = question[: title.start()] + " " * len(title.group(0)) + question[title.end() :]
    question = _PRIZE_RANK.sub(lambda rank: " " * len(rank.group(0)), question)
    for match in _NAME.finditer(question):
        name = match.group(0)
        if match.start() == 0:
            first, _, rest = name.partition(" ")
            opener = first.lower() in _OPENERS if has_diacritics(question) else fold(first) in _OPENERS_FOLDED
            if opener:
                name = rest
            elif not rest:
                continue  # one capitalised word opening the question: no evidence it is a name
        if len(name) > 1:
            names.append(name)
    return names


class FoldedText:
    """A text prepared for `mentions()` queries: lower-cased accented and folded, and its folded
    words indexed by first letter for the fuzzy comparison of transliterated names."""

    def __init__(self, text: str) -> None:
        self.accented = normalize(text).lower()
        self.folded = fold(text)
        self._by_initial: dict[str, set[str]] = {}
        for word in set(self.folded.split()):
            self._by_initial.setdefault(word[:1], set()).add(word)

    def mentions(self, name: str) -> bool:
        """Name found in the text as whole words — compared accented when the name has diacritics
        (`Nẵng` is not `nâng`), folded otherwise; a person's full name also by the given name after
        an honorific (`ông Tường`) — or, tolerating the spellings of Lao names
        (`Boutdakham`/`Butdakham`/`Bouddakham`), each word of six letters or more nearly
        (similarity ≥ 0.8). Short syllables (`Sơn La`) count only as the exact phrase."""
        folded = fold(name)
        text, own = (self.accented, normalize(name).lower()) if has_diacritics(name) else (self.folded, folded)
        if _has_phrase(text, own) or _called_by_given_name(text, own):
            return True
        if (full := administrative_unit_in_full(name)) != name:
            return self.mentions(full)
        if all(len(w) < 6 for w in folded.split()):
            return False
        return all(self._has_word(w) for w in folded.split())

    def _has_word(self, word: str) -> bool:
        candidates = self._by_initial.get(word[:1], set())
        if word in candidates:
            return True
        if len(word) < 6:
            return False
        return any(
            abs(len(c) - len(word)) <= 2 and SequenceMatcher(None, word, c).ratio() >= 0.8
            for c in candidates
        )


_ABBREVIATED_UNIT = re.compile(rf"({'|'.join(vocabulary.ADMINISTRATIVE_ABBREVIATIONS)})(?:\.\s*|\s+)(?=\w)")


def administrative_unit_in_full(name: str) -> str:
    """`TP Hồ Chí Minh`, `TP.Sơn Lâm` → `thành phố Hồ Chí Minh`, `thành phố Sơn Lâm`: a place's
    name led by the abbreviation of its kind of unit (`vocabulary.ADMINISTRATIVE_ABBREVIATIONS`),
    written in full as prose also writes it; the name as it is otherwise. Only the abbreviation is
    expanded: the unit is not dropped, since `xã Bình An` is not `huyện Bình An`. A name typed
    without diacritics gets the unit without them (`TP Son Lam` → `thanh pho Son Lam`)."""
    lead = _ABBREVIATED_UNIT.match(name)
    if lead is None:
        return name
    unit = vocabulary.ADMINISTRATIVE_ABBREVIATIONS[lead.group(1)]
    return f"{unit if has_diacritics(name) else fold(unit)} {name[lead.end() :]}"


_HONORIFICS = tuple(normalize(word).lower() for word in vocabulary.HONORIFICS)
_HONORIFICS_FOLDED = tuple(map(fold, _HONORIFICS))
# Surnames that are also everyday words (`Đoàn Bắc Ninh`, "the Bắc Ninh delegation") do not count here.
_SURNAMES = frozenset(word.lower() for word in vocabulary.SURNAMES if word not in vocabulary.AMBIGUOUS_SURNAMES)
_SURNAMES_FOLDED = frozenset(map(fold, _SURNAMES))
_MIDDLE_NAMES = frozenset(word.lower() for word in vocabulary.MIDDLE_NAMES)
_MIDDLE_NAMES_FOLDED = frozenset(map(fold, _MIDDLE_NAMES))


def _called_by_given_name(text: str, name: str) -> bool:
    """A person's full name (three words or more, lower-cased like `text`) is mentioned by its last
    word after an honorific (`ông Tường` for `lưu quang tường`), or when a surname leads it by its
    last two words (`Hoàng Quân` for `nguyễn hoàng quân`, not a middle name's `Văn Hải`, nor
    `Bắc Ninh` for `đoàn bắc ninh`), as news prose does after the first mention."""
    words = name.split()
    if len(words) < 3:
        return False
    accented = has_diacritics(name)
    honorifics = _HONORIFICS if accented else _HONORIFICS_FOLDED
    if any(_has_phrase(text, f"{honorific} {words[-1]}") for honorific in honorifics):
        return True
    surnames, middle_names = (_SURNAMES, _MIDDLE_NAMES) if accented else (_SURNAMES_FOLDED, _MIDDLE_NAMES_FOLDED)
    return words[0] in surnames and words[-2] not in middle_names and _has_phrase(text, " ".join(words[-2:]))


def _has_phrase(text: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None
