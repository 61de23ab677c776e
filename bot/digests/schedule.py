"""When a digest is due: local wall-clock times turned into UTC instants, DST included.

Pure functions. A local time that does not exist (the spring-forward gap) is due at the first
minute after the gap; a local time that happens twice (fall-back) is due at its first
occurrence, and the ledger's one row per local date makes it once.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo


def _local(moment: datetime, zone: tzinfo) -> datetime:
    return moment.astimezone(zone).replace(tzinfo=None)


def due_instant(day: date, minute: int, zone: tzinfo) -> datetime:
    """The UTC instant of `minute` past local midnight on `day` in `zone`."""
    wall = datetime.combine(day, time(minute // 60, minute % 60))
    first = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if _local(first, zone) == wall:
        return first  # exists (and for a repeated time, fold=0 is its first occurrence)
    # In a gap. Instants from the gap's start map to local times after it: find the first.
    low = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    high = first
    low, high = min(low, high), max(low, high)
    while high - low > timedelta(minutes=1):
        middle = low + (high - low) / 2
        middle = middle.replace(second=0, microsecond=0)
        if _local(middle, zone) >= wall:
            high = middle
        else:
            low = middle
    return high if _local(low, zone) < wall else low


def day_start(day: date, zone: tzinfo) -> datetime:
    """The UTC instant local `day` begins in `zone` (its first minute that exists)."""
    return due_instant(day, 0, zone)


def local_date(moment: datetime, zone: tzinfo) -> date:
    return moment.astimezone(zone).date()


def first_due(now: datetime, minute: int, zone: tzinfo) -> tuple[date, datetime]:
    """The first digest for someone who sets `minute` now: today if that time is still ahead."""
    today = local_date(now, zone)
    instant = due_instant(today, minute, zone)
    if instant >= now:
        return today, instant
    tomorrow = today + timedelta(days=1)
    return tomorrow, due_instant(tomorrow, minute, zone)


def next_due(after: date, minute: int, zone: tzinfo) -> tuple[date, datetime]:
    day = after + timedelta(days=1)
    return day, due_instant(day, minute, zone)


def catch_up(now: datetime, due_day: date, minute: int, zone: tzinfo) -> tuple[date, datetime]:
    """The day to deliver for now: missed past days are not replayed, only today's."""
    today = local_date(now, zone)
    if due_day >= today:
        return due_day, due_instant(due_day, minute, zone)
    return today, due_instant(today, minute, zone)


def format_minute(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"
