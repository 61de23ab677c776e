"""Reading /subscribe arguments: times, timezones (fuzzy), topics."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.arguments import SubscribeArgs, parse_subscribe, parse_time
from bot.subscriptions import zone_problem
from bot.timezones import match_timezone, zone_label


@pytest.mark.parametrize(
    ("text", "minute"),
    [
        ("7:30", 450), ("07:30", 450), ("19:00", 1140), ("7am", 420), ("7 am", 420),
        ("7:30pm", 1170), ("7.30 p.m.", 1170), ("12am", 0), ("12pm", 720), ("0", 0),
        ("23:59", 1439), ("noon", 720), ("midnight", 0), ("19h30", 1170),
    ],
)  # fmt: skip
def test_times_people_type(text: str, minute: int) -> None:
    assert parse_time(text) == minute


@pytest.mark.parametrize("text", ["24:00", "7:60", "13pm", "0am", "7:3", "seven", "-1", ""])
def test_impossible_times_are_refused(text: str) -> None:
    assert parse_time(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", SubscribeArgs(None, "", None)),
        ("7:30", SubscribeArgs(450, "", None)),
        ("19:00 Europe/Berlin", SubscribeArgs(1140, "Europe/Berlin", None)),
        ("7am berlin", SubscribeArgs(420, "berlin", None)),
        ("7 am new york", SubscribeArgs(420, "new york", None)),
        ("tokyo", SubscribeArgs(None, "tokyo", None)),
        ("8:00 topics: syria, Elections", SubscribeArgs(480, "", ("syria", "Elections"))),
        ("topics: syria, syria", SubscribeArgs(None, "", ("syria",))),
        ("topics: Syria, SYRIA, syria", SubscribeArgs(None, "", ("Syria",))),
    ],
)
def test_subscribe_arguments(text: str, expected: SubscribeArgs) -> None:
    assert parse_subscribe(text) == expected


def test_an_unreadable_time_gets_examples() -> None:
    answer = parse_subscribe("25:00 berlin")
    assert isinstance(answer, str) and "7:30" in answer and "25:00" in answer


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Europe/Berlin", "Europe/Berlin"), ("europe/berlin", "Europe/Berlin"),
        ("berlin", "Europe/Berlin"), ("berlni", "Europe/Berlin"), ("Berlin ", "Europe/Berlin"),
        ("new york", "America/New_York"), ("New_York", "America/New_York"),
        ("tokyo", "Asia/Tokyo"), ("kolkata", "Asia/Kolkata"), ("UTC", "UTC"), ("gmt", "UTC"),
        ("buenos aires", "America/Argentina/Buenos_Aires"), ("São Paulo", "America/Sao_Paulo"),
    ],
)  # fmt: skip
def test_timezones_are_matched_fuzzily(typed: str, zone: str) -> None:
    assert match_timezone(typed).zone == zone


@pytest.mark.parametrize(
    ("typed", "zone", "label"),
    [
        ("+3", "Etc/GMT-3", "UTC+3"), ("UTC+3", "Etc/GMT-3", "UTC+3"),
        ("gmt-5", "Etc/GMT+5", "UTC-5"), ("UTC -03:00", "Etc/GMT+3", "UTC-3"),
        ("+0200", "Etc/GMT-2", "UTC+2"), ("UTC+0", "UTC", "UTC"),
        ("Etc/GMT-3", "Etc/GMT-3", "UTC+3"),
        ("UTC+5:30", "Asia/Kolkata", "Asia/Kolkata"), ("+5:45", "Asia/Kathmandu", "Asia/Kathmandu"),
        ("PST", "America/Los_Angeles", "America/Los_Angeles"), ("est", "America/New_York", None),
        ("CET", "Europe/Berlin", None), ("IST", "Asia/Kolkata", None), ("jst", "Asia/Tokyo", None),
        ("India", "Asia/Kolkata", None), ("germany", "Europe/Berlin", None),
        ("UK", "Europe/London", None), ("Japan", "Asia/Tokyo", None),
        ("south korea", "Asia/Seoul", None),
    ],
)  # fmt: skip
def test_offsets_abbreviations_and_countries_are_zones(
    typed: str, zone: str, label: str | None
) -> None:
    assert match_timezone(typed).zone == zone
    assert zone_label(zone) == (label or zone)
    assert datetime(2026, 1, 1, tzinfo=UTC).astimezone(ZoneInfo(zone))  # a zone the bot can use


@pytest.mark.parametrize(
    ("typed", "some"),
    [
        ("USA", {"America/New_York", "America/Chicago", "America/Los_Angeles"}),
        ("Korea", {"Asia/Seoul", "Asia/Pyongyang"}),
        ("Spain", {"Europe/Madrid", "Atlantic/Canary"}),
    ],
)
def test_a_country_with_several_clocks_lists_them(typed: str, some: set[str]) -> None:
    found = match_timezone(typed)
    assert found.zone is None and some <= set(found.candidates)


def test_an_ambiguous_timezone_lists_the_candidates() -> None:
    found = match_timezone("nissau")  # one letter from Bissau and from Nassau
    assert found.zone is None and set(found.candidates) == {"Africa/Bissau", "America/Nassau"}
    problem = zone_problem("nissau")
    assert problem is not None and "Africa/Bissau" in problem and "Which one" in problem


@pytest.mark.parametrize(
    "typed", ["Mars/Olympus", "xyz", "+15", "UTC+5:15", "x3", "b12", "<script>", "🙂"]
)
def test_an_unknown_timezone_gets_examples(typed: str) -> None:
    problem = zone_problem(typed)
    assert problem is not None and "Europe/Berlin" in problem
