"""Reading command arguments people type: pure functions, forgiving of order and case."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.rendering.markup import echo
from bot.search.text import fold

MAX_LATEST = 50


@dataclass(frozen=True, slots=True)
class LatestArgs:
    count: int  # how many of the newest to list (0: all)
    topic: str  # as typed; "" for every topic


_NUMBERISH = re.compile(r"[-+−]?\d+(?:[.,]\d+)?")


def parse_latest(text: str) -> LatestArgs | str:
    """`/latest`, `/latest 10`, `/latest world`, `/latest 10 world`, `/latest world 10`; a
    string says what is wrong (`/latest -5`, `/latest 2.5`, `/latest 1 2`)."""
    count = 0
    topic_words = []
    for word in text.split():
        if word.isascii() and word.isdigit() and count == 0 and int(word) > 0:
            count = min(int(word), MAX_LATEST)
        elif _NUMBERISH.fullmatch(word):
            return (
                f"“{echo(word)}” is not a number of articles I can show: "
                f"try /latest 10 (1 to {MAX_LATEST})."
            )
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
    r"^(?P<hour>\d{1,2})(?:[:.h](?P<minute>\d{2}))?\s*(?P<half>a\.?m\.?|p\.?m\.?)?$", re.IGNORECASE
)
_TOPICS = re.compile(r"\btopics?\s*:", re.IGNORECASE)
MAX_TOPICS = 10


@dataclass(frozen=True, slots=True)
class SubscribeArgs:
    minute: int | None  # minutes after local midnight; None: keep or default
    zone: str  # the timezone as typed ("" for none)
    topics: tuple[str, ...] | None  # None: keep what they had


def parse_time(text: str) -> int | None:
    """`7:30`, `07:30`, `19:00`, `7am`, `7:30 pm`, `7`, `noon` -> minutes after midnight."""
    text = text.strip().lower()
    if text in ("noon", "midday"):
        return 12 * 60
    if text == "midnight":
        return 0
    found = _TIME.match(text)
    if not found:
        return None
    hour, minute = int(found["hour"]), int(found["minute"] or 0)
    half = (found["half"] or "").replace(".", "")
    if minute > 59:
        return None
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif hour > 23:
        return None
    return hour * 60 + minute


def parse_subscribe(text: str) -> SubscribeArgs | str:
    """`[time] [timezone] [topics: a, b]` in any spacing; a string is what is wrong."""
    topics: tuple[str, ...] | None = None
    found = _TOPICS.search(text)
    if found:
        listed = text[found.end() :]
        text = text[: found.start()]
        spellings: dict[str, str] = {}  # "Syria, SYRIA" is one topic: the first spelling
        for topic in (t.strip() for t in listed.split(",")):
            if topic:
                spellings.setdefault(topic.casefold(), topic)
        topics = tuple(spellings.values())
        if len(topics) > MAX_TOPICS:
            return f"At most {MAX_TOPICS} topics, please."
        if any(len(t) > 60 for t in topics):
            return "Topics are words like syria or elections, not sentences."
    words = text.split()
    minute = None
    # The time may be one word ("7:30", "7am") or two ("7 am").
    for size in (2, 1):
        if len(words) >= size and (parsed := parse_time(" ".join(words[:size]))) is not None:
            minute, words = parsed, words[size:]
            break
    else:
        if words and any(ch.isdigit() for ch in words[0]):
            return f"“{echo(words[0])}” is not a time I can read. Try 7:30, 19:00 or 7am."
    return SubscribeArgs(minute, " ".join(words), topics)
