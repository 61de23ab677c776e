"""Reading the timezones people type: IANA names or cities, typos forgiven, ambiguity said."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
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


@dataclass(frozen=True, slots=True)
class ZoneMatch:
    zone: str | None
    candidates: tuple[str, ...] = ()  # when ambiguous: the zones it could be


def _fingerprint(name: str) -> tuple[float, ...]:
    """UTC offsets through the years: two names with the same one keep the same clocks."""
    zone = ZoneInfo(name)
    moments = [
        datetime(year, month, 1, tzinfo=UTC) for year in range(1990, 2036) for month in (1, 7)
    ]
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
    typed = " ".join(fold(text).replace("_", " ").split())
    if not typed:
        return ZoneMatch(None)
    if typed in ("utc", "gmt", "z", "etc/utc"):
        return ZoneMatch("UTC")
    index, keys = _index()
    zones = index.get(typed) or index.get(typed.replace(" ", "_"))
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
