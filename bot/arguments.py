"""Reading command arguments people type: pure functions, forgiving of order and case."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import Enum
from typing import NamedTuple

from rapidfuzz import fuzz, process

from bot.i18n import LANGUAGES, translator
from bot.search.text import fold

MAX_LATEST = 50


class Problem(Enum):
    """What is wrong with what was typed; the renderer says it in the reader's language."""

    TOO_MANY_ARTICLES = "too_many_articles"  # /latest 500
    NOT_A_COUNT = "not_a_count"  # /latest -5, /latest 2.5
    TOO_MANY_TOPICS = "too_many_topics"
    TOPIC_TOO_LONG = "topic_too_long"
    NOT_A_TIME = "not_a_time"  # /subscribe 25:00
    TOO_MANY_WORDS = "too_many_words"  # more word filters than MAX_WORD_FILTERS


@dataclass(frozen=True, slots=True)
class ArgumentProblem:
    problem: Problem
    typed: tuple[str, ...] = ()  # the words concerned, as typed


@dataclass(frozen=True, slots=True)
class LatestArgs:
    count: int  # how many of the newest to list (0: all)
    topic: str  # as typed; "" for every topic


_NUMBERISH = re.compile(r"[-+−]?\d+(?:[.,]\d+)?")


def parse_latest(text: str) -> LatestArgs | ArgumentProblem:
    """`/latest`, `/latest 10`, `/latest world`, `/latest 10 world`, `/latest world 10`; or
    what is wrong (`/latest -5`, `/latest 2.5`, `/latest 1 2`)."""
    count = 0
    topic_words = []
    for word in text.split():
        if word.isascii() and word.isdigit() and count == 0 and int(word) > MAX_LATEST:
            return ArgumentProblem(Problem.TOO_MANY_ARTICLES, (word,))
        if word.isascii() and word.isdigit() and count == 0 and int(word) > 0:
            count = int(word)
        elif _NUMBERISH.fullmatch(word):
            return ArgumentProblem(Problem.NOT_A_COUNT, (word,))
        else:
            topic_words.append(word)
    return LatestArgs(count, " ".join(topic_words))


def match_topic(typed: str, known: Sequence[str]) -> str | None:
    """The known topic or section someone meant (typos forgiven), or None."""
    if not typed or not known:
        return None
    folded = fold(typed)
    exact = [name for name in known if fold(name) == folded]
    if exact:
        return exact[0]
    found = process.extractOne(
        folded, [fold(name) for name in known], scorer=fuzz.ratio, score_cutoff=80
    )
    return known[found[2]] if found else None


_TIME = re.compile(
    r"^(?:(?P<hour>\d{1,2})(?:[:.hч](?P<minute>\d{2})(?::(?P<second>\d{2}))?|[hч])?"
    r"|(?P<hh>\d{2})(?P<mm>\d{2}))"  # 0730
    r"\s*(?P<half>a\.?m\.?|p\.?m\.?)?$",
    re.IGNORECASE,
)
# The topics keyword in the bot's languages: `topics:`, `темы:`, `temas:`.
_TOPICS = re.compile(r"\b(?:topics?|temas?|темы|тема)\s*:", re.IGNORECASE)
_HOUR = re.compile(r"\d{1,2}")
_MINUTES = re.compile(r"\d{2}")
_HALF = re.compile(r"[ap]\.?m\.?", re.IGNORECASE)
MAX_TOPICS = 10
# Topics that mean "no filter": a few English ones, and the word the topics question offers
# for "all" in each language ("все", "todas"), read from its catalogue.
ALL_TOPICS = frozenset(
    {"all", "any", "everything", "none", "-", "*"}
    | {translator(code)._("all").casefold() for code in LANGUAGES}
)


@dataclass(frozen=True, slots=True)
class SubscribeArgs:
    minute: int | None  # minutes after local midnight; None: keep or default
    zone: str  # the timezone as typed ("" for none)
    topics: tuple[str, ...] | None  # None: keep what they had; (): every topic
    words: tuple[str, ...] | None = None  # word filters (`+election`, `-football`); None: keep


# Times offered back when several were typed: a question, not a list of everything typed.
MAX_TIMES_ASKED = 4


@dataclass(frozen=True, slots=True)
class TwoTimes:
    """Two different times typed (`7:30 8:00`): which one is meant is asked, and the rest of
    what was typed is kept for the answer."""

    times: tuple[str, ...]  # as typed, one per minute meant, in the order typed (the first few)
    rest: SubscribeArgs  # everything else typed (its minute None)


# Noon and midnight by name, folded (`mediodía` is `mediodia`).
_NAMED_TIMES = {
    "noon": 12 * 60, "midday": 12 * 60, "полдень": 12 * 60, "mediodia": 12 * 60,
    "midnight": 0, "полночь": 0, "medianoche": 0,
}  # fmt: skip


def parse_time(text: str) -> int | None:
    """`7:30`, `07:30`, `0730`, `07:30:00`, `19:00`, `19h`, `8ч`, `7am`, `7:30 pm`, `7`, `noon`,
    `полдень` -> minutes after midnight."""
    text = fold(text.strip())
    if text in _NAMED_TIMES:
        return _NAMED_TIMES[text]
    found = _TIME.match(text)
    if not found:
        return None
    hour = int(found["hour"] or found["hh"])
    minute = int(found["minute"] or found["mm"] or 0)
    half = (found["half"] or "").replace(".", "")
    if minute > 59 or int(found["second"] or 0) > 59:
        return None
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif hour > 23:
        return None
    return hour * 60 + minute


def _plain_time(words: list[str], i: int) -> tuple[int, int] | None:
    """A time written as clocks write it at `words[i]` (`7:30`, `7 am`, `7 30`, `7 30 pm`): its
    minute and the index after it; None if there is none."""
    for n in (3, 2):
        if i + n > len(words):
            continue
        head, tail = words[i], words[i + 1 : i + n]
        if not _HOUR.fullmatch(head):
            continue
        if _MINUTES.fullmatch(tail[0]) and (len(tail) == 1 or _HALF.fullmatch(tail[1])):
            text = f"{head}:{tail[0]}" + (tail[1] if len(tail) == 2 else "")
        elif len(tail) == 1 and _HALF.fullmatch(tail[0]):
            text = head + tail[0]
        else:
            continue
        if (minute := parse_time(text)) is not None:
            return minute, i + n
    minute = parse_time(words[i])
    return None if minute is None else (minute, i + 1)


# Times as Russian and Spanish speakers say them (`в 8 утра`, `2 часа дня`, `a las 8 de la
# tarde`). Words are matched folded (`mañana` is `manana`), and only beside a number, so that a
# city with such a word in its name (Las Vegas, La Paz) stays a city.
_CLOCK = re.compile(r"(?P<hour>\d{1,2})(?:[:.hч](?P<minute>\d{2})|[hч])?")
_HOUR_WORDS = frozenset({"ч", "ч.", "час", "часа", "часов", "h", "h.", "hs", "hrs", "horas"})


class _Part(NamedTuple):
    """A part of the day an hour is said in: what the hours from 1 to 12 mean in it. `7 вечера`
    is 19:00, `3 ночи` 03:00 but `11 ночи` 23:00, `12 de la noche` 00:00."""

    past_noon_from: int  # the first hour said that means an hour after noon (13: none does)
    twelve: int  # what 12 means

    def hour(self, said: int) -> int | None:
        """The hour of the day; one of the 24-hour clock is kept when it agrees with the part
        (`19 вечера`, but not `13 de la mañana`)."""
        if 1 <= said <= 12:
            return self.twelve if said == 12 else said + 12 * (said >= self.past_noon_from)
        return said if 0 <= said <= 23 and self.hour(said % 12 or 12) == said else None


_MORNING, _AFTERNOON, _EVENING = _Part(13, 12), _Part(1, 12), _Part(1, 0)
_NIGHT, _SMALL_HOURS = _Part(6, 0), _Part(13, 0)
_PART_WORDS = {
    "утра": _MORNING, "утром": _MORNING, "дня": _AFTERNOON, "днем": _AFTERNOON,
    "вечера": _EVENING, "вечером": _EVENING, "ночи": _NIGHT, "ночью": _NIGHT,
}  # fmt: skip
_SPANISH_PARTS = {
    "manana": _MORNING,
    "tarde": _AFTERNOON,
    "noche": _NIGHT,
    "madrugada": _SMALL_HOURS,
}
# Spanish quarters after the hour: `a las 8 y media` is 8:30, `8 menos cuarto` 7:45 (-15
# minutes from 8).
_QUARTERS = {"y media": 30, "y cuarto": 15, "menos cuarto": -15}


def _day_part(words: list[str], i: int) -> tuple[_Part | None, int]:
    """The part of the day said at `words[i]` (`утра`, `вечером`, `de la tarde`, `por la
    noche`, `del mediodía`) and the index after it; (None, i) if none is."""
    if i < len(words) and words[i] in _PART_WORDS:
        return _PART_WORDS[words[i]], i + 1
    if words[i : i + 2] == ["del", "mediodia"]:
        return _AFTERNOON, i + 2
    if (
        i + 2 < len(words)
        and words[i] in ("de", "en", "por")
        and words[i + 1] == "la"
        and words[i + 2] in _SPANISH_PARTS
    ):
        return _SPANISH_PARTS[words[i + 2]], i + 3
    return None, i


def _after_prefix(words: list[str], i: int) -> int:
    """Past `в` or `a las` / `a la` when a time follows them (`в 8`, `a las 8`, `a la 1`,
    `в полдень`, `a medianoche`); `i` if none is there."""
    after = words[i + 1] if i + 1 < len(words) else ""
    if words[i] == "в" and (after[:1].isdigit() or after in _NAMED_TIMES or after == "час"):
        return i + 1
    if words[i] == "a" and after in ("las", "la") and i + 2 < len(words):
        return i + 2 if words[i + 2][:1].isdigit() else i
    if words[i] == "a" and after in _NAMED_TIMES:
        return i + 1
    return i


def _in_part(hour: int, minute: int, part: _Part | None) -> int | None:
    """Minutes after midnight of `hour:minute` said in a part of the day, if any (`7:30
    вечера` is 19:30); None: no such time (`25 утра`, `8:75`)."""
    if not -15 <= minute <= 59:
        return None
    hour_of_day = part.hour(hour) if part else (hour if hour <= 23 else None)
    return None if hour_of_day is None else (hour_of_day * 60 + minute) % (24 * 60)


def _said_time(words: list[str], i: int) -> tuple[int | None, int] | None:
    """A time said with words around its number at `words[i]` (folded): `в 8 утра`, `утром
    в 8`, `2 часа дня`, `в час`, `a las 7:30`, `8 y media de la tarde`. Its minute (None when
    it cannot be, `в 25 утра`) and the index after it; None if no such words are there."""
    before, at = _day_part(words, i)
    if at >= len(words):
        return None
    start, at = at, _after_prefix(words, at)
    prefixed = at > start
    clock = _CLOCK.fullmatch(words[at])
    if clock is not None or words[at] == "час":
        hour = int(clock["hour"]) if clock else 1  # `в час`, `час дня`: one o'clock
        minute = int(clock["minute"]) if clock and clock["minute"] else None
        end = at + 1
        if minute is None and end < len(words) and _MINUTES.fullmatch(words[end]):
            minute, end = int(words[end]), end + 1  # `8 30 утра`
        quarter = _QUARTERS.get(" ".join(words[end : end + 2])) if minute is None else None
        if quarter is not None:
            minute, end = quarter, end + 2
        worded = end < len(words) and words[end] in _HOUR_WORDS
        end += int(worded)
        part, end = (before, end) if before is not None else _day_part(words, end)
        if part is not None or worded or quarter is not None or (clock is None and prefixed):
            return _in_part(hour, minute or 0, part), end
    if not prefixed:
        return None
    return _plain_time(words, at) or (None, at + 1)


def _take_times(words: list[str]) -> tuple[list[tuple[int, str]], list[str]]:
    """The times among `words` (`7:30`, `7 am`, `7 30`, `7 30 pm`, `в 8 утра`, `a las 8 de la
    tarde`) and the other words; a time said that cannot be (`в 25 утра`) is one other word."""
    folded = [fold(word) for word in words]
    times: list[tuple[int, str]] = []
    rest: list[str] = []
    i = 0
    while i < len(words):
        found = _said_time(folded, i) or _plain_time(folded, i)
        if found is None:
            rest.append(words[i])
            i += 1
            continue
        minute, end = found
        typed = " ".join(words[i:end])
        if minute is None:
            rest.append(typed)
        else:
            times.append((minute, typed))
        i = end
    return times, rest


def _offsetish(word: str) -> bool:
    """`+3`, `-5:30`, `UTC+3`, `GMT-3`, `МСК+4`: an offset, part of the zone, not a time."""
    return word[:1] in "+-−" or word.lower().startswith(("utc", "gmt", "msk", "мск"))


# A word filter: a sign, then a word that starts with a letter (`-5` is a UTC offset).
_WORD_FILTER = re.compile(r"(?<!\S)[+\-−][^\W\d_][^\s,]*")
MAX_WORD_FILTERS = 20


def parse_subscribe(text: str) -> SubscribeArgs | TwoTimes | ArgumentProblem:
    """Time, timezone, `topics: a, b` and word filters (`+election -football`) in any order and
    spacing; or what is wrong, or that what was meant must be asked (two times)."""
    filters = [w.replace("−", "-").lower() for w in _WORD_FILTER.findall(text)]
    text = _WORD_FILTER.sub(" ", text)
    if len(filters) > MAX_WORD_FILTERS:
        return ArgumentProblem(Problem.TOO_MANY_WORDS)
    words_typed = tuple(dict.fromkeys(filters)) if filters else None
    topics: tuple[str, ...] | None = None
    times: list[tuple[int, str]] = []
    found = _TOPICS.search(text)
    if found:
        listed = text[found.end() :]
        text = text[: found.start()]
        spellings: dict[str, str] = {}  # "Syria, SYRIA" is one topic: the first spelling
        for item in listed.split(","):
            # A time may follow the topics: `topics: syria 7:30`.
            item_times, item_words = _take_times(item.split())
            times += item_times
            topic = " ".join(item_words)
            if topic:
                spellings.setdefault(topic.casefold(), topic)
        topics = tuple(spellings.values())
        if {t.casefold() for t in topics} & ALL_TOPICS:
            topics = ()
        if len(topics) > MAX_TOPICS:
            return ArgumentProblem(Problem.TOO_MANY_TOPICS)
        if any(len(t) > 60 for t in topics):
            return ArgumentProblem(Problem.TOPIC_TOO_LONG)
    before_times, words = _take_times(text.split())
    # `0 0`, `7:30 07:30`: times that mean the same minute are one time.
    meant: dict[int, str] = {}
    for minute, typed in before_times + times:
        meant.setdefault(minute, typed)
    for word in words:
        if any(ch.isdigit() for ch in word) and not _offsetish(word):
            return ArgumentProblem(Problem.NOT_A_TIME, (word,))
    args = SubscribeArgs(None, " ".join(words), topics, words_typed)
    if len(meant) > 1:
        return TwoTimes(tuple(meant.values())[:MAX_TIMES_ASKED], args)
    return replace(args, minute=next(iter(meant), None))
