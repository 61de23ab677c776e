"""Typed SQLAlchemy 2 models: the tables the bot keeps."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out, on SQLite (which keeps no zone) as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON,
        list[str]: JSON,
    }


class Article(Base):
    """A news article as the bot serves it. Body paragraphs are joined by blank lines."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    short_id: Mapped[str] = mapped_column(String(16), unique=True)
    # The id this text had when ids came from the text (before migration 0005): links shared
    # then still open the article after the database is rebuilt.
    text_id: Mapped[str | None] = mapped_column(String(16), index=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime | None]
    # published_at where known, else loaded_at: one indexed column to order "latest" by.
    sort_at: Mapped[datetime]
    source: Mapped[str | None] = mapped_column(Text)
    dateline: Mapped[str | None] = mapped_column(Text)
    section: Mapped[str | None] = mapped_column(Text)
    topics: Mapped[list[str]] = mapped_column(default=list)
    url: Mapped[str | None] = mapped_column(Text)
    seed_path: Mapped[str] = mapped_column(Text)
    loaded_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    retracted: Mapped[bool] = mapped_column(default=False)
    # Extractive summary sentences, filled in after loading (sentence splitting is slow).
    summary: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True))

    __table_args__ = (
        Index("ix_articles_live_sort", "retracted", "sort_at"),
        Index("ix_articles_loaded_at", "loaded_at"),
        Index("ix_articles_url", "url"),  # feed items are matched to stored articles by link
        # Each search index reads the rows changed since its last sync (migration 0010).
        Index("ix_articles_updated_at", "updated_at"),
    )

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.body.split("\n\n") if p]


class SeedFile(Base):
    """What the loader last saw of one seed file, so an unchanged file costs one stat."""

    __tablename__ = "seed_files"

    path: Mapped[str] = mapped_column(Text, primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    mtime_ns: Mapped[int] = mapped_column(BigInteger)
    file_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))  # article | duplicate | rejected
    reason: Mapped[str | None] = mapped_column(Text)
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"), index=True
    )
    checked_at: Mapped[datetime]


class AppState(Base):
    """Small named values shared by every instance: the corpus version, the last reload's report."""

    __tablename__ = "app_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime]


class Subscriber(Base):
    """A chat that gets the daily digest, and the reader's own settings (time, zone, topics)."""

    __tablename__ = "subscribers"

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    user_id: Mapped[int | None] = mapped_column(BigInteger)
    delivery_minute: Mapped[int]  # minutes after local midnight, 0-1439
    timezone: Mapped[str] = mapped_column(String(64))
    topics: Mapped[list[str]] = mapped_column(default=list)
    digest_size: Mapped[int] = mapped_column(default=5)
    # private | group | channel; a group's digest goes to the forum topic `thread_id` if set.
    kind: Mapped[str] = mapped_column(String(16), default="private", server_default="private")
    thread_id: Mapped[int | None] = mapped_column(BigInteger)
    title: Mapped[str | None] = mapped_column(Text)  # a channel's name, for /settings
    # Word filters as typed (`+election`, `-football`), read with bot.search.wordmatch.
    words: Mapped[list[str]] = mapped_column(default=list, server_default="[]")
    active: Mapped[bool] = mapped_column(default=True)
    inactive_reason: Mapped[str | None] = mapped_column(Text)
    # The schedule index: the local date of the next digest and the UTC instant it is due.
    next_due_date: Mapped[date]
    next_due_at: Mapped[datetime]
    # Articles loaded after this go into the next digest.
    last_digest_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (Index("ix_subscribers_due", "active", "next_due_at"),)


class Delivery(Base):
    """The ledger: one row per subscriber and local date, the source of truth for "sent today"."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    subscriber_id: Mapped[int] = mapped_column(ForeignKey("subscribers.id", ondelete="CASCADE"))
    local_date: Mapped[date]
    # The zone `local_date` is a date of: one digest a day per local date of the zone it is for.
    timezone: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(16))  # sending | sent | empty | failed
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_at: Mapped[datetime]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    sent_at: Mapped[datetime | None]
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    article_count: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint(
            "subscriber_id", "local_date", "timezone", name="uq_deliveries_subscriber_zone_day"
        ),
        Index("ix_deliveries_local_date_status", "local_date", "status"),
    )


class Question(Base):
    """A question the bot asked a chat and awaits the answer to (a time, a timezone, topics):
    the next text in a private chat, or a reply to it in a group, answers it, until /cancel."""

    __tablename__ = "questions"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    message_id: Mapped[int] = mapped_column(BigInteger)  # the question's message
    kind: Mapped[str] = mapped_column(String(16))  # zone | topics | words | time
    # What the question is for: a /subscribe waiting for its zone keeps its time and topics.
    pending: Mapped[dict[str, Any]] = mapped_column(JSON)
    asked_at: Mapped[datetime]


class ChatLanguage(Base):
    """The language a chat is written to in: Telegram's `language_code` of whoever wrote last,
    until the chat chooses one with /language (then `chosen` and it stays)."""

    __tablename__ = "chat_languages"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    language: Mapped[str] = mapped_column(String(16))
    chosen: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime]


class Feed(Base):
    """An RSS or Atom feed polled for new articles, with what its last fetch said."""

    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    title: Mapped[str | None] = mapped_column(Text)
    # The validators of the last 200, sent back so an unchanged feed answers 304 with no body.
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    added_at: Mapped[datetime]
    last_fetch_at: Mapped[datetime | None]
    last_status: Mapped[str | None] = mapped_column(String(16))  # ok | unchanged | error
    last_error: Mapped[str | None] = mapped_column(Text)
    items_seen: Mapped[int] = mapped_column(default=0)
    articles_added: Mapped[int] = mapped_column(default=0)
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    paused: Mapped[bool] = mapped_column(default=False)
    # One instance polls a feed at a time: the holder and until when its claim stands (a holder
    # that died leaves a claim that runs out, so a restart loses nothing).
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None]

    __table_args__ = (Index("ix_feeds_due", "paused", "next_attempt_at"),)


class FeedItem(Base):
    """An item a feed has carried (by its GUID, else link, else text) and the article it became."""

    __tablename__ = "feed_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"))
    item_key: Mapped[str] = mapped_column(String(64))
    link: Mapped[str | None] = mapped_column(Text)
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"), index=True
    )
    seen_at: Mapped[datetime]
    # The item's own text as the feed last carried it (before a teaser's page stood in for it):
    # the same GUID with another text is an edit of the story.
    item_hash: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("feed_id", "item_key", name="uq_feed_items_feed_key"),)


class Follow(Base):
    """A word or a topic a chat follows: matching new articles are sent as they arrive."""

    __tablename__ = "follows"

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    kind: Mapped[str] = mapped_column(String(8))  # word | topic
    # A word (or words) folded as search folds them; a topic as articles spell it.
    term: Mapped[str] = mapped_column(Text)
    # Only articles that arrive after this are sent: following is not a search of the past.
    created_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("chat_id", "kind", "term", name="uq_follows_chat_term"),)


class AlertChat(Base):
    """A chat's alert settings, and the claim of the instance sending its alerts right now."""

    __tablename__ = "alert_chats"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hourly_cap: Mapped[int] = mapped_column(default=10)
    # Quiet hours, minutes after local midnight in the chat's zone: [start, end), may wrap.
    quiet_start: Mapped[int | None]
    quiet_end: Mapped[int | None]
    active: Mapped[bool] = mapped_column(default=True)
    inactive_reason: Mapped[str | None] = mapped_column(Text)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class AlertItem(Base):
    """The alert ledger: one row per chat and article matched, `pending` until sent (or
    `failed`: Telegram refused the message); never sent twice."""

    __tablename__ = "alert_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16))  # pending | sent | failed
    matched_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    message_id: Mapped[int | None] = mapped_column(BigInteger)

    __table_args__ = (
        UniqueConstraint("chat_id", "article_id", name="uq_alert_items_chat_article"),
        Index("ix_alert_items_status_chat", "status", "chat_id"),
        Index("ix_alert_items_chat_sent", "chat_id", "sent_at"),
    )
