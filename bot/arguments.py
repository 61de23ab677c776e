"""Reading command arguments people type: pure functions, forgiving of order and case."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import Enum

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
    r"^(?:(?P<hour>\d{1,2})(?:[:.h](?P<minute>\d{2})(?::(?P<second>\d{2}))?|h)?"
    r"|(?P<hh>\d{2})(?P<mm>\d{2}))"  # 0730
    r"\s*(?P<half>a\.?m\.?|p\.?m\.?)?$",
    re.IGNORECASE,
)
_TOPICS = re.compile(r"\btopics?\s*:", re.IGNORECASE)
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


def parse_time(text: str) -> int | None:
    """`7:30`, `07:30`, `0730`, `07:30:00`, `19:00`, `19h`, `7am`, `7:30 pm`, `7`, `noon` ->
    minutes after midnight."""
    text = text.strip().lower()
    if text in ("noon", "midday"):
        return 12 * 60
    if text == "midnight":
        return 0
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


def _take_times(words: list[str]) -> tuple[list[tuple[int, str]], list[str]]:
    """The times among `words` (`7:30`, `7 am`, `7 30`, `7 30 pm`) and the other words."""
    times: list[tuple[int, str]] = []
    rest: list[str] = []
    i = 0
    while i < len(words):
        spans = [words[i : i + n] for n in (3, 2) if i + n <= len(words)]
        for span in spans:
            head, tail = span[0], span[1:]
            if not _HOUR.fullmatch(head):
                continue
            if _MINUTES.fullmatch(tail[0]) and (len(tail) == 1 or _HALF.fullmatch(tail[1])):
                text = f"{head}:{tail[0]}" + (tail[1] if len(tail) == 2 else "")
            elif len(tail) == 1 and _HALF.fullmatch(tail[0]):
                text = head + tail[0]
            else:
                continue
            if (minute := parse_time(text)) is not None:
                times.append((minute, " ".join(span)))
                i += len(span)
                break
        else:
            if (minute := parse_time(words[i])) is not None:
                times.append((minute, words[i]))
            else:
                rest.append(words[i])
            i += 1
    return times, rest


def _offsetish(word: str) -> bool:
    """`+3`, `-5:30`, `UTC+3`, `GMT-3`: a UTC offset, part of the zone, not a time."""
    return word[:1] in "+-−" or word.lower().startswith(("utc", "gmt"))


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
