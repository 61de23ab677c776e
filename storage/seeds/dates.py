"""The date line of wire pages ("Dec 14, 8:20 AM EST") and ISO dates, as aware UTC datetimes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

ZONE_HOURS: dict[str, int] = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "BST": 1,
    "CET": 1,
    "CEST": 2,
    # US zones, as the wire services print them.
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
}

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}

# Matched on the line with its whitespace collapsed to single spaces, so the optional spaces
# below are one character each: no run of whitespace can be split two ways (with `\s*\s*` a
# long run made the match quadratic: 30,000 spaces froze the bot for 12 s).
_DATE_LINE = re.compile(
    r"""(?P<month>[A-Za-z]{3,9})\.?[ ](?P<day>\d{1,2}),?
        (?:[ ](?P<year>\d{4}),?)?
        [ ](?P<hour>\d{1,2}):(?P<minute>\d{2})
        [ ]?(?P<ampm>[AaPp]\.?[Mm]\.?)?
        (?:[ ]?(?P<zone>[A-Za-z]{1,5}|[+-]\d{2}(?::?\d{2})?))?""",
    re.VERBOSE,
)
# The longest date line the pattern can match ("September 30, 2017, 12:59 P.M. +05:00" is 38).
_MAX_DATE_LINE = 48


@dataclass(frozen=True, slots=True)
class DateLine:
    """A wire date line, split up; the year is often missing and resolved later."""

    month: int
    day: int
    year: int | None
    hour: int
    minute: int
    offset: timedelta


def parse_date_line(line: str) -> DateLine | None:
    """Read a date line; None when the line is not one.

    Raises ValueError (with a short reason) for a line shaped like a date that cannot be one,
    e.g. an unknown zone or 13 PM, so the caller can reject the file instead of guessing.
    """
    collapsed = " ".join(line.split())
    if len(collapsed) > _MAX_DATE_LINE:
        return None
    match = _DATE_LINE.fullmatch(collapsed)
    if match is None or match["month"].lower() not in _MONTHS:
        return None
    hour, minute = int(match["hour"]), int(match["minute"])
    if match["ampm"]:
        if not 1 <= hour <= 12:
            raise ValueError(f"hour {hour} with AM/PM")
        hour = hour % 12 + (12 if match["ampm"][0] in "Pp" else 0)
    if hour > 23 or minute > 59:
        raise ValueError(f"no such time {hour}:{minute:02d}")
    return DateLine(
        month=_MONTHS[match["month"].lower()],
        day=int(match["day"]),
        year=int(match["year"]) if match["year"] else None,
        hour=hour,
        minute=minute,
        offset=zone_offset(match["zone"]) if match["zone"] else timedelta(0),
    )


def zone_offset(zone: str) -> timedelta:
    """UTC offset of a zone name or a numeric offset (+0100, +01:00, -05); ValueError if unknown."""
    if zone[0] in "+-":
        digits = zone[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:] or 0)
        if hours > 23 or minutes > 59:
            raise ValueError(f"bad UTC offset {zone!r}")
        sign = -1 if zone[0] == "-" else 1
        return sign * timedelta(hours=hours, minutes=minutes)
    hours_east = ZONE_HOURS.get(zone.upper())
    if hours_east is None:
        raise ValueError(f"unknown time zone {zone!r}")
    return timedelta(hours=hours_east)


def resolve(date: DateLine, *, year: int | None, now: datetime) -> datetime:
    """The UTC instant of a date line; the line's own year wins over `year` (from the copyright).

    With no year anywhere, take the latest year that does not put the date more than a day
    after `now` (pages are read after they were published; the day allows for zones).
    ValueError if the date does not exist (Feb 30, or Feb 29 with a given non-leap year).
    """
    known = date.year if date.year is not None else year
    if known is not None:
        return _instant(date, known)
    # Eight years back always reaches a leap year, so Feb 29 resolves too.
    for candidate in range(now.year + 1, now.year - 8, -1):
        try:
            instant = _instant(date, candidate)
        except ValueError:
            continue  # Feb 29 in a non-leap year
        if instant - now <= timedelta(days=1):  # (now + 1 day overflows near year 9999)
            return instant
    raise ValueError(f"no such date: {date.month:02d}-{date.day:02d}")


def _instant(date: DateLine, year: int) -> datetime:
    try:
        local = datetime(
            year, date.month, date.day, date.hour, date.minute, tzinfo=timezone(date.offset)
        )
        # OverflowError: year 1 or 9999 pushed over the edge by the offset.
        return local.astimezone(UTC)
    except (ValueError, OverflowError) as error:
        raise ValueError(f"no such date: {year:04d}-{date.month:02d}-{date.day:02d}") from error


def parse_iso(value: str) -> datetime:
    """ISO 8601 as aware UTC; a naive value is taken as UTC. ValueError if it is not ISO."""
    parsed = datetime.fromisoformat(value.strip())
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError as error:
        raise ValueError(f"date out of range: {error}") from error
