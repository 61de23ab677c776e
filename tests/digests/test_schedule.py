"""When digests are due: local times, zones, daylight saving, restarts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.digests.schedule import catch_up, due_instant, first_due, local_date

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
SYDNEY = ZoneInfo("Australia/Sydney")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")  # half-hour daylight saving shift


def local(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")


@pytest.mark.parametrize(
    ("zone", "day", "minute", "expected"),
    [
        (BERLIN, date(2026, 6, 1), 8 * 60, "2026-06-01 08:00 CEST"),
        (BERLIN, date(2026, 12, 1), 8 * 60, "2026-12-01 08:00 CET"),
        (NEW_YORK, date(2026, 6, 1), 7 * 60 + 30, "2026-06-01 07:30 EDT"),
        (SYDNEY, date(2026, 6, 1), 19 * 60, "2026-06-01 19:00 AEST"),
    ],
)
def test_due_at_the_local_time(zone: ZoneInfo, day: date, minute: int, expected: str) -> None:
    assert local(due_instant(day, minute, zone), zone) == expected


@pytest.mark.parametrize(
    ("zone", "day", "minute", "expected"),
    [
        # 02:30 does not exist on the spring-forward day: the next valid minute is 03:00.
        (BERLIN, date(2026, 3, 29), 2 * 60 + 30, "2026-03-29 03:00 CEST"),
        (BERLIN, date(2026, 3, 29), 2 * 60, "2026-03-29 03:00 CEST"),
        (NEW_YORK, date(2026, 3, 8), 2 * 60 + 15, "2026-03-08 03:00 EDT"),
        (SYDNEY, date(2026, 10, 4), 2 * 60 + 45, "2026-10-04 03:00 AEDT"),
        (LORD_HOWE, date(2026, 10, 4), 2 * 60 + 5, "2026-10-04 02:30 +11"),
    ],
)
def test_spring_forward_gap_goes_to_the_next_valid_minute(
    zone: ZoneInfo, day: date, minute: int, expected: str
) -> None:
    assert local(due_instant(day, minute, zone), zone) == expected


@pytest.mark.parametrize(
    ("zone", "day", "minute", "first_offset_hours"),
    [
        (BERLIN, date(2026, 10, 25), 2 * 60 + 30, 2),  # 02:30 CEST, not the later 02:30 CET
        (NEW_YORK, date(2026, 11, 1), 60 + 30, -4),  # 01:30 EDT, not 01:30 EST
    ],
)
def test_fall_back_repeat_is_due_at_its_first_occurrence(
    zone: ZoneInfo, day: date, minute: int, first_offset_hours: int
) -> None:
    instant = due_instant(day, minute, zone)
    assert instant.astimezone(zone).utcoffset() == timedelta(hours=first_offset_hours)
    assert instant.astimezone(zone).strftime("%H:%M") == f"{minute // 60:02d}:{minute % 60:02d}"


def test_first_digest_is_today_if_the_time_is_still_ahead() -> None:
    now = datetime(2026, 6, 1, 5, 0, tzinfo=UTC)  # 07:00 in Berlin
    assert first_due(now, 8 * 60, BERLIN) == (
        date(2026, 6, 1),
        datetime(2026, 6, 1, 6, 0, tzinfo=UTC),
    )
    day, _ = first_due(now, 6 * 60, BERLIN)  # 06:00 has passed: tomorrow
    assert day == date(2026, 6, 2)


def test_local_date_differs_from_utc_date() -> None:
    now = datetime(2026, 6, 1, 23, 30, tzinfo=UTC)
    assert local_date(now, ZoneInfo("Asia/Tokyo")) == date(2026, 6, 2)
    assert local_date(now, ZoneInfo("America/Los_Angeles")) == date(2026, 6, 1)


def test_after_days_down_only_today_is_delivered() -> None:
    now = datetime(2026, 6, 5, 10, 0, tzinfo=UTC)  # 12:00 in Berlin, four days after
    day, instant = catch_up(now, date(2026, 6, 1), 8 * 60, BERLIN)
    assert day == date(2026, 6, 5) and instant <= now  # today's, due now; no replay
    day, instant = catch_up(now, date(2026, 6, 1), 20 * 60, BERLIN)
    assert day == date(2026, 6, 5) and instant > now  # today's is still ahead


ZONES = ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "Pacific/Apia",
         "America/Santiago", "Australia/Lord_Howe", "Europe/London", "UTC"]  # fmt: skip


@settings(max_examples=2000, deadline=None)
@given(
    st.sampled_from(ZONES),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2037, 12, 31)),
    st.integers(0, 24 * 60 - 1),
)
def test_due_instant_is_on_its_day_at_or_just_after_the_time(
    zone_name: str, day: date, minute: int
) -> None:
    zone = ZoneInfo(zone_name)
    instant = due_instant(day, minute, zone)
    wall = datetime(day.year, day.month, day.day, minute // 60, minute % 60)
    shown = instant.astimezone(zone).replace(tzinfo=None)
    # Never early; late only when the time fell in a gap (a day at most, as Samoa 2011).
    assert shown >= wall and shown - wall <= timedelta(hours=24)
    # The minute before the instant is before the wall time: this is the first valid minute.
    assert (instant - timedelta(minutes=1)).astimezone(zone).replace(tzinfo=None) < wall
