"""Publication times as timezone-aware datetimes.

Articles are compared and cited by date ("ngày 5/9" means the article's own year), so every
`published` must be aware: a naive time from a Vietnamese source is taken as Vietnam time, which is
what Vietnamese newsrooms write unless they say otherwise.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

VIETNAM_TIME = timezone(timedelta(hours=7), "GMT+7")

# `17:02 | 26/05/2022 GMT+7`: the line under the breadcrumb of the seed pages (day/month order).
_PAGE_TIMESTAMP = re.compile(
    r"^(?P<hour>\d{1,2}):(?P<minute>\d{2})\s*\|\s*(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})"
    r"(?:\s*(?:GMT|UTC)\s*(?P<sign>[+-])(?P<off_h>\d{1,2})(?::?(?P<off_m>\d{2}))?)?$",
    re.IGNORECASE,
)


def parse_page_timestamp(line: str) -> datetime | None:
    """The time of a `HH:MM | DD/MM/YYYY GMT±H` line, in the offset it names (Vietnam time when it
    names none); None when the line is not such a timestamp or names an impossible date."""
    match = _PAGE_TIMESTAMP.match(line.strip())
    if not match:
        return None
    zone = VIETNAM_TIME
    if match["sign"]:
        offset = timedelta(hours=int(match["off_h"]), minutes=int(match["off_m"] or 0))
        zone = timezone(offset if match["sign"] == "+" else -offset)
    try:
        return datetime(
            int(match["year"]), int(match["month"]), int(match["day"]),
            int(match["hour"]), int(match["minute"]), tzinfo=zone,
        )
    except ValueError:
        return None


def parse_iso(value: str) -> datetime:
    """ISO 8601 date or date-time, made aware (Vietnam time when it carries no offset).

    Raises ValueError on anything else, so the caller can report which record was wrong."""
    parsed = datetime.fromisoformat(value.strip())
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=VIETNAM_TIME)
