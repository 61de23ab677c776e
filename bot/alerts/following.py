"""Following words and topics, and each chat's alert settings: the rules behind /follow,
/unfollow and /alerts, returning typed results that `bot/rendering/alerts.py` words."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA
from sqlalchemy.ext.asyncio import AsyncSession

from bot.alerts.matching import TOPIC, WORD, matches
from bot.arguments import match_topic, parse_time
from bot.clock import Clock
from bot.search.text import typo_budget, words
from storage import alerts, articles, subscribers
from storage.database import Database
from storage.models import Follow

MAX_FOLLOWS = 50  # per chat
MAX_TERM_CHARS = 100
MAX_TERMS = 10  # in one command
CAPS = (5, 10, 30)  # the cap buttons
MAX_CAP = 60
_TOPIC = re.compile(r"^(?:topic|t)\s*:\s*", re.IGNORECASE)
_QUIET_RANGE = re.compile(r"^(.+?)\s*(?:-|–|to)\s*(.+)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Term:
    kind: str  # word | topic
    text: str  # as typed (a topic), or folded (words)


def parse_terms(typed: str) -> list[Term]:
    """`election, topic:politics, "climate deal"`: comma-separated; `topic:` (or `t:`) marks a
    topic; words are folded as search folds them. Blank and over-long ones are left out."""
    terms: dict[Term, None] = {}
    for piece in typed.split(",")[:MAX_TERMS]:
        piece = piece.strip().strip("\"“”'")
        if not piece or len(piece) > MAX_TERM_CHARS:
            continue
        if _TOPIC.match(piece):
            topic = _TOPIC.sub("", piece).strip()
            if topic:
                terms[Term(TOPIC, topic)] = None
            continue
        folded = " ".join(words(piece))
        if folded:
            terms[Term(WORD, folded)] = None
    return list(terms)


@dataclass(frozen=True, slots=True)
class Overview:
    follows: list[Follow]
    cap: int
    quiet: tuple[int, int] | None  # local minutes [start, end)
    zone: str
    active: bool


@dataclass(frozen=True, slots=True)
class Followed:
    added: list[Term] = field(default_factory=list)
    already: list[Term] = field(default_factory=list)
    unknown_topics: list[str] = field(default_factory=list)
    known_topics: list[str] = field(default_factory=list)
    over_limit: list[Term] = field(default_factory=list)  # past MAX_FOLLOWS: not added
    overview: Overview | None = None


@dataclass(frozen=True, slots=True)
class Unfollowed:
    removed: list[Follow]
    not_followed: list[Term]
    overview: Overview


@dataclass(frozen=True, slots=True)
class Nothing:
    """No word or topic could be read from what was typed."""


@dataclass(frozen=True, slots=True)
class BadQuiet:
    """Quiet hours that are not two times (`22:00-07:00`) or `off`."""


@dataclass(frozen=True, slots=True)
class BadCap:
    """A cap that is not a number from 1 to MAX_CAP."""


class Following:
    def __init__(self, db: Database, clock: Clock, default_zone: str) -> None:
        self.db = db
        self.clock = clock
        self.default_zone = default_zone

    async def overview(self, chat_id: int) -> Overview:
        async with self.db.read() as session:
            settings = await alerts.chat(session, chat_id)
            follows = await alerts.follows_of(session, chat_id)
            zone = await subscribers.zone_of(session, chat_id) or self.default_zone
        if settings is None:
            return Overview(follows, 10, None, zone, active=True)
        quiet = None
        if settings.quiet_start is not None and settings.quiet_end is not None:
            quiet = (settings.quiet_start, settings.quiet_end)
        return Overview(follows, settings.hourly_cap, quiet, zone, settings.active)

    async def follow(self, chat_id: int, typed: str) -> Followed | Nothing:
        terms = parse_terms(typed)
        if not terms:
            return Nothing()
        now = self.clock.now()
        added: list[Term] = []
        already: list[Term] = []
        over: list[Term] = []
        unknown: list[str] = []
        known: list[str] = []
        async with self.db.write() as session:
            if any(t.kind == TOPIC for t in terms):
                known = await articles.topic_names(session)
            await alerts.ensure_chat(session, chat_id, now)
            count = len(await alerts.follows_of(session, chat_id))
            for term in terms:
                if term.kind == TOPIC:
                    found = match_topic(term.text, known)
                    if found is None:
                        unknown.append(term.text)
                        continue
                    term = Term(TOPIC, found)
                if count >= MAX_FOLLOWS:
                    over.append(term)
                elif await alerts.add_follow(session, chat_id, term.kind, term.text, now):
                    added.append(term)
                    count += 1
                else:
                    already.append(term)
        return Followed(added, already, unknown, known, over, await self.overview(chat_id))

    async def unfollow(self, chat_id: int, typed: str) -> Unfollowed | Nothing:
        terms = parse_terms(typed)
        if not terms:
            return Nothing()
        async with self.db.write() as session:
            follows = await alerts.follows_of(session, chat_id)
            removed: list[Follow] = []
            missing: list[Term] = []
            for term in terms:
                hit = find_follow(follows, term)
                if hit is None or hit in removed:
                    missing.append(term)
                    continue
                await alerts.remove_follow(session, chat_id, hit.id)
                removed.append(hit)
            if removed:
                await _drop_unfollowed(session, chat_id)
        return Unfollowed(removed, missing, await self.overview(chat_id))

    async def unfollow_id(self, chat_id: int, follow_id: int) -> Unfollowed:
        async with self.db.write() as session:
            found = await alerts.remove_follow(session, chat_id, follow_id)
            if found is not None:
                await _drop_unfollowed(session, chat_id)
        return Unfollowed([found] if found else [], [], await self.overview(chat_id))

    async def set_cap(self, chat_id: int, typed: str | int) -> Overview | BadCap:
        text = str(typed).strip()
        if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= MAX_CAP:
            return BadCap()
        async with self.db.write() as session:
            settings = await alerts.ensure_chat(session, chat_id, self.clock.now())
            settings.hourly_cap = int(text)
        return await self.overview(chat_id)

    async def set_quiet(self, chat_id: int, typed: str) -> Overview | BadQuiet:
        text = typed.strip()
        quiet: tuple[int | None, int | None]
        if text.lower() in ("off", "none", "no"):
            quiet = (None, None)
        else:
            found = _QUIET_RANGE.match(text)
            start = parse_time(found[1]) if found else None
            end = parse_time(found[2]) if found else None
            if start is None or end is None or start == end:
                return BadQuiet()
            quiet = (start, end)
        async with self.db.write() as session:
            settings = await alerts.ensure_chat(session, chat_id, self.clock.now())
            settings.quiet_start, settings.quiet_end = quiet
        return await self.overview(chat_id)


async def _drop_unfollowed(session: AsyncSession, chat_id: int) -> None:
    """Stories held for a word or topic just unfollowed are not sent after all: the waiting
    ones that nothing the chat still follows matches are dropped (at most the chat's queue,
    each article read once)."""
    follows = await alerts.follows_of(session, chat_id)
    held = [article_id for _, article_id, _ in await alerts.waiting(session, chat_id)]
    if not follows or not held:
        return  # with no follows left, remove_follow dropped them all
    found = await articles.by_ids(session, held)
    wanted = {m.article_id for m in matches(sorted(found.values(), key=lambda a: a.id), follows)}
    await alerts.drop_pending(session, chat_id, [i for i in held if i not in wanted])


def find_follow(follows: Sequence[Follow], term: Term) -> Follow | None:
    """The follow a typed term means: a word as followed (folded), else the closest within the
    typos search forgives ("/unfollow election" for a follow of "elecion", either way round);
    a topic as /follow took it."""
    near: tuple[int, Follow] | None = None
    for follow in follows:
        if follow.kind != term.kind:
            continue
        if follow.term == term.text:
            return follow
        if term.kind == TOPIC and match_topic(term.text, [follow.term]) is not None:
            return follow
        if term.kind == WORD:
            budget = min(typo_budget(term.text), typo_budget(follow.term))
            distance = OSA.distance(term.text, follow.term, score_cutoff=budget)
            if distance <= budget and (near is None or distance < near[0]):
                near = (distance, follow)
    return near[1] if near is not None else None
