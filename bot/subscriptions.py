"""Subscribing, unsubscribing and changing digest settings: the rules behind the commands, and
the questions the bot asks along the way (a time, a timezone, topics) until they are answered."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.arguments import SubscribeArgs, match_topic
from bot.clock import Clock
from bot.delivery.errors import TOPIC_GONE_TEXT
from bot.digests.schedule import day_start, first_due, next_due
from bot.digests.selection import article_words, passing
from bot.i18n import LANGUAGES, translator
from bot.search.wordmatch import parse_filter
from bot.timezones import City, ZoneMatch, match_timezone, warm, zone_info
from storage import articles, deliveries, questions, subscribers
from storage.database import Database
from storage.models import Question, Subscriber

DEFAULT_MINUTE = 8 * 60
# Typed as word filters, these clear them: a few English ones, and the word the words question
# offers for "no filter" in each language ("нет", "ninguna"), read from its catalogue.
ALL_WORDS = frozenset(
    {"none", "no", "all", "-", "off", "clear"}
    | {translator(code)._("none").casefold() for code in LANGUAGES}
)
MAX_WORDS = 20
DEFAULT_SIZE = 5
SIZES = (3, 5, 10)
# An unanswered question is forgotten after this: the text someone sends days later is theirs.
QUESTION_LIFETIME = timedelta(hours=24)
# "Matches nothing today": word filters are tried on the articles of the last day.
FILTER_TRIAL_WINDOW = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class Subscribed:
    subscriber: Subscriber
    next_day: date
    next_at: datetime  # UTC
    was_active: bool
    unknown_topics: tuple[str, ...] = ()  # typed topics no article has (left out)
    words_matching: int | None = None  # with new word filters: articles of the last day passing
    # The city a zone typed was found by, when the zone's name does not say it.
    zone_city: City | None = None


@dataclass(frozen=True, slots=True)
class ZoneUnclear:
    """The typed zone is unknown or could be several: ask which (with the choices, if any)."""

    typed: str
    match: ZoneMatch


@dataclass(frozen=True, slots=True)
class TopicsUnknown:
    """None of the typed topics is one any article has."""

    unknown: tuple[str, ...]
    known: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Topics:
    matched: tuple[str, ...]  # the known topics meant, as articles spell them
    unknown: tuple[str, ...]


EmptyReason = Literal[
    "no_articles_on_topics", "no_articles_match_words", "nothing_new", "nothing_recent"
]
# Why a digest stopped when the bot lost its place in the chat: coming back resumes it.
BOT_REMOVED = "bot removed from the chat"
# Articles of the last day a new word filter is tried on ("matches nothing today").
WORDS_SAMPLE = 2000


@dataclass(frozen=True, slots=True)
class Place:
    """Where a digest goes: the chat's kind, the forum topic (groups), the name (channels)."""

    kind: str  # private | group | channel
    thread_id: int | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class WordsSet:
    subscriber: Subscriber
    matching: int  # articles of the last day the filters let through


def typed_words(typed: str) -> list[str]:
    """`+election -football, "world cup"`: each filter as typed (a bare word is required)."""
    found: dict[str, None] = {}
    for item in typed.replace(",", " ").split():
        item = item if item[:1] in "+-" else "+" + item
        if len(item) > 1:
            found[item.lower()] = None
    return list(found)[:MAX_WORDS]


def resolve_topics(typed: Sequence[str], known: Sequence[str]) -> Topics:
    """The known topics meant (typos forgiven, as /latest does), and those that are none."""
    matched: dict[str, None] = {}
    unknown: list[str] = []
    for topic in typed:
        found = match_topic(topic, known)
        if found is None:
            unknown.append(topic)
        else:
            matched[found] = None
    return Topics(tuple(matched), tuple(unknown))


def zone_after_topics(args: SubscribeArgs, known: Sequence[str]) -> SubscribeArgs:
    """`topics: syria berlin`: a zone typed after the topics, when no zone came before them and
    the last topic is no topic with it but is one without it."""
    if args.zone or not args.topics:
        return args
    last = args.topics[-1]
    words = last.split()
    if match_topic(last, known) is not None:
        return args
    for size in (1, 2, 3):  # "berlin", "new york", "rio de janeiro"
        if len(words) <= size:
            break
        head, tail = " ".join(words[:-size]), " ".join(words[-size:])
        if match_topic(head, known) is not None and match_timezone(tail).zone is not None:
            return replace(args, zone=tail, topics=(*args.topics[:-1], head))
    return args


class SubscriptionService:
    def __init__(self, db: Database, clock: Clock, default_zone: str) -> None:
        self.db = db
        self.clock = clock
        self.default_zone = default_zone
        # The city index takes a second or two to build: off the event loop, from the start.
        threading.Thread(target=warm, name="timezone-index", daemon=True).start()

    async def get(self, chat_id: int) -> Subscriber | None:
        async with self.db.read() as session:
            return await subscribers.by_chat(session, chat_id)

    async def zone_for(self, chat_id: int) -> tzinfo:
        """The reader's zone: the one they chose, else the bot's default."""
        async with self.db.read() as session:
            name = await subscribers.zone_of(session, chat_id)
        return zone_info(name or self.default_zone)

    async def match_zone(self, typed: str) -> ZoneMatch:
        """`match_timezone` off the event loop (its city index may still be being built)."""
        return await asyncio.to_thread(match_timezone, typed)

    async def known_topics(self) -> list[str]:
        async with self.db.read() as session:
            return await articles.topic_names(session)

    async def check_topics(self, typed: Sequence[str]) -> Topics | TopicsUnknown:
        """Typed topics against the ones articles have; all unknown is a problem to show."""
        known = await self.known_topics()
        topics = resolve_topics(typed, known)
        if typed and not topics.matched:
            return TopicsUnknown(topics.unknown, tuple(known))
        return topics

    async def subscribe(
        self, chat_id: int, user_id: int | None, args: SubscribeArgs, place: Place | None = None
    ) -> Subscribed | ZoneUnclear | TopicsUnknown:
        """Subscribe or change the subscription; otherwise what must be asked first. `place`:
        where the digest goes from now on (None: where it went)."""
        if args.topics and not args.zone:
            args = await asyncio.to_thread(zone_after_topics, args, await self.known_topics())
        zone_name: str | None = None
        zone_city: City | None = None
        if args.zone:
            found = await self.match_zone(args.zone)
            if found.zone is None:
                return ZoneUnclear(args.zone, found)
            zone_name, zone_city = found.zone, found.city
        unknown: tuple[str, ...] = ()
        topics_chosen: tuple[str, ...] | None = None
        if args.topics:
            checked = await self.check_topics(args.topics)
            if isinstance(checked, TopicsUnknown):
                return checked
            topics_chosen, unknown = checked.matched, checked.unknown
        elif args.topics is not None:
            topics_chosen = ()  # `topics: all`
        now = self.clock.now()
        async with self.db.write() as session:
            existing = await subscribers.by_chat(session, chat_id)
            was_active = bool(existing and existing.active)
            minute = (
                args.minute
                if args.minute is not None
                else (existing.delivery_minute if existing else DEFAULT_MINUTE)
            )
            zone_name = zone_name or (existing.timezone if existing else self.default_zone)
            topics = (
                topics_chosen
                if topics_chosen is not None
                else (existing.topics if existing else ())
            )
            day, instant = await _first_digest(
                session, existing.id if existing else None, now, minute, zone_name
            )
            subscriber = await subscribers.save(
                session,
                chat_id=chat_id,
                user_id=user_id,
                minute=minute,
                timezone=zone_name,
                topics=topics,
                digest_size=existing.digest_size if existing else DEFAULT_SIZE,
                active=True,
                next_due=(day, instant),
                now=now,
                words=args.words,
                kind=place.kind if place else None,
                thread_id=place.thread_id if place else None,
                title=place.title if place else None,
            )
        matching = await self.words_matching(args.words) if args.words else None
        return Subscribed(subscriber, day, instant, was_active, unknown, matching, zone_city)

    def transient(self, chat_id: int, user_id: int | None) -> Subscriber:
        """Default settings for someone not subscribed (for a /digest preview); not stored."""
        now = self.clock.now()
        return Subscriber(
            id=0,
            chat_id=chat_id,
            user_id=user_id,
            delivery_minute=DEFAULT_MINUTE,
            timezone=self.default_zone,
            topics=[],
            digest_size=DEFAULT_SIZE,
            active=False,
            last_digest_at=None,
            next_due_date=now.date(),
            next_due_at=now,
            created_at=now,
            updated_at=now,
        )

    async def empty_reason(self, subscriber: Subscriber) -> EmptyReason:
        """Why a digest has nothing in it: no article has these topics; nothing was loaded
        since the last digest; or (never had one) nothing was loaded in the last day."""
        if subscriber.topics:
            async with self.db.read() as session:
                for topic in subscriber.topics:
                    if await articles.count_live(session, topic):
                        break
                else:
                    return "no_articles_on_topics"
        if subscriber.words and not await self.words_matching(subscriber.words):
            return "no_articles_match_words"
        return "nothing_new" if subscriber.last_digest_at else "nothing_recent"

    async def unsubscribe(self, chat_id: int) -> bool:
        """Stop the digest (settings are kept for a comeback); False if there was none."""
        async with self.db.write() as session:
            existing = await subscribers.by_chat(session, chat_id)
            if existing is None or not existing.active:
                return False
            await subscribers.deactivate(session, existing.id, "unsubscribed", self.clock.now())
        return True

    async def reactivate(self, chat_id: int) -> bool:
        """/start after a block brings a subscriber back who did not unsubscribe themselves."""
        async with self.db.read() as session:
            existing = await subscribers.by_chat(session, chat_id)
        if existing is None or existing.active or existing.inactive_reason == "unsubscribed":
            return False
        args = SubscribeArgs(existing.delivery_minute, "", None)
        return isinstance(await self.subscribe(chat_id, existing.user_id, args), Subscribed)

    async def change(
        self,
        chat_id: int,
        *,
        minute: int | None = None,
        size: int | None = None,
        topics: tuple[str, ...] | None = None,
        zone: str | None = None,
        words: Sequence[str] | None = None,
    ) -> Subscriber | None:
        """Change one setting from the /settings buttons; None if not subscribed."""
        async with self.db.write() as session:
            existing = await subscribers.by_chat(session, chat_id)
            if existing is None:
                return None
            if words is not None:
                existing.words = list(words)
            if size is not None:
                existing.digest_size = size
            if topics is not None:
                existing.topics = list(topics)
            if zone is not None:
                existing.timezone = zone
            if minute is not None:
                existing.delivery_minute = minute % (24 * 60)
            if minute is not None or zone is not None:
                day, instant = await _first_digest(
                    session,
                    existing.id,
                    self.clock.now(),
                    existing.delivery_minute,
                    existing.timezone,
                )
                existing.next_due_date, existing.next_due_at = day, instant
            existing.updated_at = self.clock.now()
            return existing

    async def set_words(self, chat_id: int, typed: str) -> WordsSet | None:
        """Word filters from what was typed (`+election -football`; `none` clears them), and how
        many articles of the last day they let through; None if not subscribed."""
        words = [] if typed.strip().lower() in ALL_WORDS else typed_words(typed)
        changed = await self.change(chat_id, words=words)
        if changed is None:
            return None
        return WordsSet(changed, await self.words_matching(words) if words else 0)

    async def words_matching(self, words: Sequence[str]) -> int:
        """How many articles of the last day these word filters let through."""
        now = self.clock.now()
        async with self.db.read() as session:
            fresh = await articles.fresh_since(
                session, now - FILTER_TRIAL_WINDOW, until=now, limit=WORDS_SAMPLE
            )
            found = await articles.by_ids(session, [i for i, _ in fresh])
        texts = [(i, a.title, a.body) for i, a in found.items()]

        def count() -> int:  # a few thousand texts: off the event loop
            read = ((i, article_words(title, body)) for i, title, body in texts)
            return len(passing(parse_filter(words), read))

        return await asyncio.to_thread(count)

    async def channels_of(self, user_id: int) -> list[Subscriber]:
        async with self.db.read() as session:
            return await subscribers.channels_of(session, user_id)

    async def chat_moved(self, old_chat_id: int, new_chat_id: int) -> bool:
        """A group became a supergroup: its digest follows with every setting (its topic too),
        at once rather than at its next digest."""
        async with self.db.write() as session:
            existing = await subscribers.by_chat(session, old_chat_id)
            if existing is None or await subscribers.by_chat(session, new_chat_id) is not None:
                return False
            await subscribers.move_chat(session, existing.id, new_chat_id, self.clock.now())
        return True

    async def bot_left(self, chat_id: int) -> Subscriber | None:
        """The bot was removed from the chat: its digest stops, every setting kept."""
        async with self.db.write() as session:
            existing = await subscribers.by_chat(session, chat_id)
            if existing is None or not existing.active:
                return None
            await subscribers.deactivate(session, existing.id, BOT_REMOVED, self.clock.now())
            return existing

    async def bot_back(self, chat_id: int) -> Subscriber | None:
        """The bot was added back: a digest stopped because it was gone (told so, or found out
        on a send) resumes as it was."""
        async with self.db.read() as session:
            existing = await subscribers.by_chat(session, chat_id)
        if existing is None or existing.active or not _resumable(existing.inactive_reason):
            return None
        args = SubscribeArgs(existing.delivery_minute, "", None)
        outcome = await self.subscribe(chat_id, existing.user_id, args)
        return outcome.subscriber if isinstance(outcome, Subscribed) else None

    # --- questions -------------------------------------------------------------------------

    async def ask(
        self, chat_id: int, message_id: int, kind: str, pending: dict[str, Any] | None = None
    ) -> None:
        """Remember that the message `message_id` asked the chat something (zone, topics)."""
        async with self.db.write() as session:
            await questions.ask(session, chat_id, message_id, kind, pending or {}, self.clock.now())

    async def asked_in(self, chat_id: int, kind: str, message_id: int) -> None:
        """The question opened with `ask(chat_id, 0, ...)` went out as `message_id`."""
        async with self.db.write() as session:
            await questions.asked_in(session, chat_id, kind, message_id)

    async def question(self, chat_id: int) -> Question | None:
        """The chat's open question, if it has one that is not too old."""
        async with self.db.read() as session:
            found = await questions.open_question(session, chat_id)
        if found is None or found.asked_at < self.clock.now() - QUESTION_LIFETIME:
            return None
        return found

    async def close_question(self, chat_id: int) -> bool:
        async with self.db.write() as session:
            return await questions.close(session, chat_id)


def _resumable(reason: str | None) -> bool:
    """Whether the bot coming back into a chat resumes its digest: not one its readers
    stopped, nor one whose forum topic is gone (a new one is chosen with /subscribe there)."""
    return reason != "unsubscribed" and TOPIC_GONE_TEXT not in (reason or "").lower()


async def _first_digest(
    session: AsyncSession, subscriber_id: int | None, now: datetime, minute: int, zone_name: str
) -> tuple[date, datetime]:
    """The next digest after a change of time or zone: today's if its time is still ahead and
    no digest went out during today in this zone, else tomorrow's. One a day per local date of
    the zone the digest is for: a Tokyo digest sent early on Monday in Tokyo went out on
    Sunday in Berlin, so a move to Berlin still gets Monday's."""
    zone = zone_info(zone_name)
    day, instant = first_due(now, minute, zone)
    if subscriber_id is not None and await deliveries.delivered_between(
        session, subscriber_id, day_start(day, zone), day_start(day + timedelta(days=1), zone)
    ):
        return next_due(day, minute, zone)
    return day, instant
