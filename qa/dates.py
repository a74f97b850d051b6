"""The time a question asks about, and dates as the answers state them.

    asked_time("Giải chạy năm 2023 có bao nhiêu người?")      → TimeRange(2023-01-01 … 2023-12-31)
    asked_time("Tin mới nhất về giải chạy?")                  → TimeRange(recent=True)
    asked_time("Tuần trước có gì?", today=date(2025, 5, 14)) → TimeRange(2025-05-05 … 2025-05-11)

Relative words ("hôm qua", "tuần trước", "năm ngoái") count from `today`, Vietnam time unless a
test passes its own. The words are data (`vocabulary.TIME_CUES`).

What the pipeline does with a range (docs/dates.md):

- A range read from the question only *prefers* articles published then; it never filters. "Kế
  hoạch năm 2024 là gì?" may ask about a plan for 2024 written in 2023, and a filter would hide
  the only article that answers.
- "gần đây", "mới nhất" prefer the newest of the relevant articles, rather than the last N days:
  a corpus is often an archive whose newest article is months old, and "the last 30 days" would
  then find nothing.
- Only an explicit `since=` / `until=` filters; undated articles are then left out (their date is
  unknown, so they cannot be said to be in the range). Without one, undated articles are kept.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from qa import vocabulary
from qa.corpus.dates import VIETNAM_TIME
from qa.errors import SettingsError
from qa.text import fold, has_diacritics, normalize


@dataclass(frozen=True)
class TimeRange:
    """Days [since, until], both included, either open (None); `recent` asks for the newest."""

    since: date | None = None
    until: date | None = None
    recent: bool = False
    phrase: str = ""  # the words of the question that asked for it

    def contains(self, when: datetime | date | None) -> bool:
        """Whether a publication time falls in the range (an undated article does not)."""
        if when is None:
            return False
        day = published_day(when)
        return (self.since is None or day >= self.since) and (self.until is None or day <= self.until)

    @property
    def bounded(self) -> bool:
        return self.since is not None or self.until is not None


def today_in_vietnam() -> date:
    return datetime.now(VIETNAM_TIME).date()


def published_day(when: datetime | date) -> date:
    """The calendar day of a publication time in Vietnam time (a naive time is taken as such)."""
    if isinstance(when, datetime):
        return (when.astimezone(VIETNAM_TIME) if when.tzinfo else when).date()
    return when


def format_day(when: datetime | date) -> str:
    """`12/05/2025`, as Vietnamese newspapers write a date."""
    return published_day(when).strftime("%d/%m/%Y")


def _compiled() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    return {
        "accented": [(kind, re.compile(pattern)) for kind, pattern in vocabulary.TIME_CUES],
        "folded": [(kind, re.compile(fold(pattern))) for kind, pattern in vocabulary.TIME_CUES],
    }


_CUES = _compiled()
_BLOCKERS = {
    "accented": re.compile(rf"(?:^|\W)(?:{'|'.join(vocabulary.TIME_CUE_BLOCKERS)})\W*$"),
    "folded": re.compile(rf"(?:^|\W)(?:{'|'.join(fold(w) for w in vocabulary.TIME_CUE_BLOCKERS)})\W*$"),
}


def _month(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _year(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _range(kind: str, groups: tuple[str, ...], today: date) -> tuple[date, date] | None:
    numbers = [int(g) for g in groups]
    if kind == "day":
        return (date(numbers[2], numbers[1], numbers[0]),) * 2
    if kind == "month":
        return _month(numbers[1], numbers[0])
    if kind == "year":
        return _year(numbers[0])
    if kind == "years_ago":
        return _year(today.year - numbers[0])
    monday = today - timedelta(days=today.weekday())
    first_of_month = today.replace(day=1)
    last_month_end = first_of_month - timedelta(days=1)
    ranges = {
        "today": (today, today),
        "yesterday": (today - timedelta(days=1),) * 2,
        "this_week": (monday, today),
        "last_week": (monday - timedelta(days=7), monday - timedelta(days=1)),
        "this_month": (first_of_month, today),
        "last_month": (last_month_end.replace(day=1), last_month_end),
        "this_year": (date(today.year, 1, 1), today),
        "last_year": _year(today.year - 1),
    }
    return ranges.get(kind)


def _find(question: str, today: date | None) -> tuple[TimeRange, int, int] | None:
    """The time asked about and where its words are in `normalize(question)`."""
    text = normalize(question).lower()
    style = "accented" if has_diacritics(question) else "folded"
    if style == "folded":
        text = fold(text)
    cues, blockers = _CUES[style], _BLOCKERS[style]
    for kind, pattern in cues:
        match = pattern.search(text)
        if not match:
            continue
        if blockers.search(text[: match.start()]):
            return None
        if kind == "recent":
            return TimeRange(recent=True, phrase=match.group(0)), match.start(), match.end()
        try:
            found = _range(kind, match.groups(), today or today_in_vietnam())
        except ValueError:  # "ngày 31/2/2025", "tháng 13/2024"
            continue
        if found is not None:
            return TimeRange(found[0], found[1], phrase=match.group(0)), match.start(), match.end()
    return None


def asked_time(question: str, today: date | None = None) -> TimeRange | None:
    """The time the question asks about, or None when it names none (or an impossible date)."""
    found = _find(question, today)
    return found[0] if found else None


def without_time(question: str) -> str:
    """The question minus the words that name its time (`Năm 2024 ai vô địch?` → `ai vô địch?`):
    read against articles published then, those words are answered by the date, not the text."""
    found = _find(question, date(2000, 1, 1))  # the words, not the days, matter here
    if found is None:
        return question
    text = normalize(question)
    _, start, end = found
    return re.sub(r"\s{2,}", " ", f"{text[:start]} {text[end:]}").strip(" ,")


def as_day(value: object, name: str) -> date | None:
    """An explicit `since=` / `until=` as a day: a date, a datetime (its day in Vietnam time) or None."""
    if value is None:
        return None
    if isinstance(value, date):
        return published_day(value)
    raise SettingsError(f"{name} must be a date or datetime (or None), got {type(value).__name__}: {value!r:.40}")


def explicit_range(since: object, until: object) -> TimeRange | None:
    """The filter given by `since=` / `until=`, checked; None when neither is given."""
    first, last = as_day(since, "since"), as_day(until, "until")
    if first is None and last is None:
        return None
    if first is not None and last is not None and first > last:
        raise SettingsError(f"since ({first}) is after until ({last}): no day is in that range")
    return TimeRange(first, last)


_DAY_INPUT = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")


def parse_day(text: str) -> date | None:
    """A day typed as `dd/mm/yyyy` (or with `.` or `-`), or ISO `yyyy-mm-dd`; None when empty.
    Raises ValueError on anything else (the chat says so in Vietnamese)."""
    text = (text or "").strip()
    if not text:
        return None
    match = _DAY_INPUT.fullmatch(text)
    if match:
        return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    return date.fromisoformat(text)
