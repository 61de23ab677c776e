"""Reading the timezones people type: IANA names, cities, countries, UTC offsets and the usual
abbreviations, typos forgiven, ambiguity said."""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from zoneinfo import ZoneInfo, available_timezones

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.search.text import fold, typo_budget

EXAMPLES = "Europe/Berlin, America/New_York, Asia/Tokyo, UTC"
# Region prefixes of current IANA names; the others (US/, Brazil/, ...) are old aliases.
_REGIONS = {
    "Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe",
    "Indian", "Pacific",
}  # fmt: skip


# What people write for their zone's clock; each taken as the place most who write it mean.
ABBREVIATIONS = {
    "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles", "pt": "America/Los_Angeles",
    "mst": "America/Denver", "mdt": "America/Denver", "mt": "America/Denver",
    "cst": "America/Chicago", "cdt": "America/Chicago", "ct": "America/Chicago",
    "est": "America/New_York", "edt": "America/New_York", "et": "America/New_York",
    "akst": "America/Anchorage", "hst": "Pacific/Honolulu", "ast": "America/Halifax",
    "brt": "America/Sao_Paulo", "art": "America/Argentina/Buenos_Aires",
    "bst": "Europe/London", "wet": "Europe/Lisbon", "west": "Europe/Lisbon",
    "cet": "Europe/Berlin", "cest": "Europe/Berlin", "eet": "Europe/Athens",
    "eest": "Europe/Athens", "msk": "Europe/Moscow", "wat": "Africa/Lagos",
    "cat": "Africa/Maputo", "eat": "Africa/Nairobi", "sast": "Africa/Johannesburg",
    "ist": "Asia/Kolkata", "pkt": "Asia/Karachi", "sgt": "Asia/Singapore",
    "hkt": "Asia/Hong_Kong", "jst": "Asia/Tokyo", "kst": "Asia/Seoul",
    "awst": "Australia/Perth", "acst": "Australia/Adelaide", "aest": "Australia/Sydney",
    "aedt": "Australia/Sydney", "nzst": "Pacific/Auckland", "nzdt": "Pacific/Auckland",
}  # fmt: skip
# Offsets that are not whole hours have no Etc/ zone: the place that keeps that offset all year.
_PART_HOUR_ZONES = {
    -570: "Pacific/Marquesas", 210: "Asia/Tehran", 270: "Asia/Kabul", 330: "Asia/Kolkata",
    345: "Asia/Kathmandu", 390: "Asia/Yangon", 525: "Australia/Eucla", 570: "Australia/Darwin",
}  # fmt: skip
_OFFSET = re.compile(r"(?:utc|gmt)?\s*([-+−])\s*(\d{1,2})(?:(?::|\.|h)?(\d{2}))?", re.IGNORECASE)
_ETC_ZONE = re.compile(r"Etc/GMT([+-])(\d{1,2})")


def offset_zone(text: str) -> str | None:
    """`+3`, `UTC+5:30`, `GMT-3`, `+0200` -> a zone that keeps that offset all year."""
    found = _OFFSET.fullmatch(text.strip())
    if not found:
        return None
    sign, hours, minutes = found.groups()
    total = (int(hours) * 60 + int(minutes or 0)) * (1 if sign == "+" else -1)
    if total == 0:
        return "UTC"
    if total % 60:
        return _PART_HOUR_ZONES.get(total)
    if -12 * 60 <= total <= 14 * 60:
        # POSIX signs: Etc/GMT-3 is three hours *ahead* of UTC.
        return f"Etc/GMT{'-' if total > 0 else '+'}{abs(total) // 60}"
    return None


def zone_label(name: str) -> str:
    """How to show a zone: Etc/GMT-3 reads as UTC+3 (its POSIX sign is the other way)."""
    found = _ETC_ZONE.fullmatch(name)
    if not found:
        return name
    sign, hours = found.groups()
    return f"UTC{'-' if sign == '+' else '+'}{hours}"


@dataclass(frozen=True, slots=True)
class ZoneMatch:
    zone: str | None
    candidates: tuple[str, ...] = ()  # when ambiguous: the zones it could be


def _fingerprint(name: str, years: Iterable[int] = range(1990, 2036)) -> tuple[float, ...]:
    """UTC offsets through the years: two names with the same one keep the same clocks."""
    zone = ZoneInfo(name)
    moments = [datetime(year, month, 1, tzinfo=UTC) for year in years for month in (1, 7)]
    return tuple(m.astimezone(zone).utcoffset().total_seconds() for m in moments)  # type: ignore[union-attr]


@functools.cache
def _index() -> tuple[dict[str, tuple[str, ...]], list[str]]:
    """Folded full names and city names -> zones; built once (tzdata is fixed for the process)."""
    keys: dict[str, set[str]] = defaultdict(set)
    for name in available_timezones():
        if name.split("/", 1)[0] not in _REGIONS:
            continue
        keys[fold(name)].add(name)
        keys[fold(name.rsplit("/", 1)[-1].replace("_", " "))].add(name)
    index = {key: tuple(sorted(zones)) for key, zones in keys.items()}
    return index, sorted(index)


@functools.cache
def _countries() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Folded country names -> each such country's zones, the main one first (zone.tab order).
    A name may be more than one country ("Korea", "Congo")."""
    folder = resources.files("tzdata.zoneinfo")
    zones: dict[str, list[str]] = defaultdict(list)
    for line in folder.joinpath("zone.tab").read_text(encoding="utf-8").splitlines():
        if not line.startswith("#") and line.strip():
            code, _, name = line.split("\t")[:3]
            zones[code].append(name)
    found: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for line in folder.joinpath("iso3166.tab").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "\t" not in line or line.split("\t", 1)[0] not in zones:
            continue
        code, name = line.split("\t", 1)
        base, _, note = name.removesuffix(")").partition(" (")  # "Britain (UK)", "Korea (South)"
        for key in {base, f"{base} {note}".strip()} | ({note} if note.isupper() else set()):
            found[fold(key)].append(tuple(zones[code]))
    for alias, code in _COUNTRY_ALIASES.items():
        found[alias] = [tuple(zones[code])]
    return {key: tuple(countries) for key, countries in found.items()}


_COUNTRY_ALIASES = {
    "usa": "US", "us": "US", "america": "US", "united states of america": "US",
    "uk": "GB", "united kingdom": "GB", "great britain": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "south korea": "KR", "north korea": "KP",
    "holland": "NL", "czech republic": "CZ", "burma": "MM", "uae": "AE",
}  # fmt: skip


def _country(typed: str) -> ZoneMatch | None:
    countries = _countries().get(typed)
    if countries is None:
        return None
    if len(countries) > 1:
        return ZoneMatch(None, tuple(zones[0] for zones in countries)[:6])
    # One name per clock kept today (history aside), the main ones first as tzdata lists them.
    clocks: dict[tuple[float, ...], str] = {}
    this_year = datetime.now(UTC).year
    for zone in countries[0]:
        clocks.setdefault(_fingerprint(zone, (this_year, this_year + 1)), zone)
    if len(clocks) == 1:
        return ZoneMatch(countries[0][0])
    return ZoneMatch(None, tuple(clocks.values())[:6])


def _distinct(zones: tuple[str, ...]) -> tuple[str, ...]:
    """One name per set of zones that keep the same clocks (America/Buenos_Aires is an alias)."""
    best: dict[tuple[float, ...], str] = {}
    for name in zones:
        key = _fingerprint(name)
        if key not in best or name.count("/") > best[key].count("/"):
            best[key] = name
    return tuple(sorted(best.values()))


def match_timezone(text: str) -> ZoneMatch:
    """`Europe/Berlin`, `berlin`, `new york`, `berlni` -> a zone; else the candidates, or none."""
    if offset := offset_zone(text):
        return ZoneMatch(offset)
    if _ETC_ZONE.fullmatch(text.strip()) and text.strip() in available_timezones():
        return ZoneMatch(text.strip())
    typed = " ".join(fold(text).replace("_", " ").split())
    if not typed:
        return ZoneMatch(None)
    if typed in ("utc", "gmt", "z", "etc/utc"):
        return ZoneMatch("UTC")
    if typed in ABBREVIATIONS:
        return ZoneMatch(ABBREVIATIONS[typed])
    index, keys = _index()
    zones = index.get(typed) or index.get(typed.replace(" ", "_"))
    if zones is None and (country := _country(typed)) is not None:
        return country
    if zones is None:
        budget = typo_budget(typed)
        found = process.extract(typed, keys, scorer=OSA.distance, score_cutoff=budget, limit=8)
        if not found:
            return ZoneMatch(None)
        nearest = min(distance for _, distance, _ in found)
        zones = tuple(z for key, d, _ in found if d == nearest for z in index[key])
    distinct = _distinct(zones)
    if len(distinct) == 1:
        return ZoneMatch(distinct[0])
    return ZoneMatch(None, distinct[:6])
