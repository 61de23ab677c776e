"""Feed lists and poll reports, as plain text (the command line) or Telegram HTML (/feeds)."""

from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.callbacks import FeedButton
from bot.feeds.manage import FeedView
from bot.feeds.poller import PollReport, logged_url
from bot.rendering.cards import Reply
from bot.rendering.markup import clean, clip, counted, visible_length

MAX_LISTED = 25  # feeds listed in one message (with their buttons), far under 4096 characters
URL_CHARS = 70
ERROR_CHARS = 90
TEXT_BUDGET = 3700  # of Telegram's 4096, the rest for the head and foot lines


def _ago(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "never fetched"
    seconds = max(0, int((now - moment).total_seconds()))
    if seconds < 120:
        return f"fetched {seconds} s ago"
    if seconds < 2 * 3600:
        return f"fetched {seconds // 60} min ago"
    if seconds < 2 * 86400:
        return f"fetched {seconds // 3600} h ago"
    return f"fetched {seconds // 86400} d ago"


def feed_state(feed: FeedView, now: datetime) -> str:
    """One line: when it was fetched, what it brought, what went wrong."""
    parts = [_ago(feed.last_fetch_at, now), f"{feed.items_seen} items"]
    if feed.articles_added != feed.items_seen:
        parts.append(f"{feed.articles_added} new articles")
    if feed.paused:
        parts.insert(0, "paused")
    if feed.last_status == "error":
        retry = max(0, int((feed.next_attempt_at - now).total_seconds() // 60))
        parts.append(
            f"failing ({counted(feed.failures, 'time')} running, next try in {retry} min): "
            + clip(feed.last_error or "error", ERROR_CHARS)
        )
    elif feed.last_error:
        parts.append(clip(feed.last_error, ERROR_CHARS))
    return ", ".join(parts)


def feeds_plain(feeds: list[FeedView], now: datetime) -> str:
    if not feeds:
        return "No feeds. Add one: run_bot.py feeds add https://example.com/rss.xml"
    lines = []
    for feed in feeds:
        title = f" ({feed.title})" if feed.title else ""
        lines.append(f"#{feed.id} {feed.url}{title}\n    {feed_state(feed, now)}")
    return "\n".join(lines)


def feeds_reply(feeds: list[FeedView], now: datetime) -> Reply:
    """The /feeds list, a pause/resume and a remove button under each feed shown."""
    if not feeds:
        return Reply(
            "📡 <b>No feeds yet.</b>\nAdd one: <code>/feeds add https://example.com/rss.xml</code>"
        )
    lines = [f"📡 <b>{counted(len(feeds), 'feed')}</b>"]
    rows = []
    used = 0
    shown = 0
    for feed in feeds[:MAX_LISTED]:
        name = feed.title or logged_url(feed.url)  # a chat is no place for a feed's password
        icon = "⏸" if feed.paused else ("⚠️" if feed.last_status == "error" else "✅")
        entry = (
            f"{icon} <b>#{feed.id}</b> {clean(clip(name, URL_CHARS))}\n"
            f"<i>{clean(feed_state(feed, now))}</i>"
        )
        used += visible_length(entry) + 1
        if used > TEXT_BUDGET:
            break
        shown += 1
        lines.append(entry)
        toggle = "resume" if feed.paused else "pause"
        rows.append(
            [
                InlineKeyboardButton(
                    f"{'▶️ Resume' if feed.paused else '⏸ Pause'} #{feed.id}",
                    callback_data=callbacks.encode(FeedButton(toggle, feed.id)),
                ),
                InlineKeyboardButton(
                    f"🗑 Remove #{feed.id}",
                    callback_data=callbacks.encode(FeedButton("remove", feed.id)),
                ),
            ]
        )
    if len(feeds) > shown:
        lines.append(f"… and {len(feeds) - shown} more (run_bot.py feeds list shows all)")
    lines.append("Add: <code>/feeds add URL</code> · remove: <code>/feeds remove #</code>")
    return Reply("\n".join(lines), InlineKeyboardMarkup(rows))


def poll_plain(report: PollReport) -> str:
    lines = [
        f"Feeds polled: {report.count('ok')} fetched, {report.count('unchanged')} unchanged, "
        f"{report.count('error')} failed; {report.new_items} new items, "
        f"{len(report.added)} new articles in {report.seconds:.1f} s"
    ]
    if report.updated:
        lines.append(f"  {counted(report.updated, 'article')} updated: their item's text changed")
    for outcome in report.outcomes:
        if outcome.error:
            lines.append(f"  #{outcome.feed_id} {outcome.url}: {outcome.error}")
    return "\n".join(lines)
