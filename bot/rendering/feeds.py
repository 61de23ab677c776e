"""Feed lists and poll reports, as plain text (the command line) or Telegram HTML (/feeds)."""

from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.callbacks import FeedButton
from bot.feeds.errors import FeedReason
from bot.feeds.manage import MAX_URL_CHARS, FeedView, UrlProblem
from bot.feeds.poller import PollReport, logged_url
from bot.i18n import Translator
from bot.rendering.cards import Reply
from bot.rendering.feed_errors import feed_error_text
from bot.rendering.markup import clean, clip, visible_length

MAX_LISTED = 25  # feeds listed in one message (with their buttons), far under 4096 characters
URL_CHARS = 70
ERROR_CHARS = 90
TEXT_BUDGET = 3700  # of Telegram's 4096, the rest for the head and foot lines


def _ago(tr: Translator, moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return tr._("never fetched")
    seconds = max(0, int((now - moment).total_seconds()))
    if seconds < 120:
        return tr._("fetched {count} s ago", count=seconds)
    if seconds < 2 * 3600:
        return tr._("fetched {count} min ago", count=seconds // 60)
    if seconds < 2 * 86400:
        return tr._("fetched {count} h ago", count=seconds // 3600)
    return tr._("fetched {count} d ago", count=seconds // 86400)


def feed_state(tr: Translator, feed: FeedView, now: datetime) -> str:
    """One line: when it was fetched, what it brought, what went wrong."""
    parts = [
        _ago(tr, feed.last_fetch_at, now),
        tr.ngettext("{count} item", "{count} items", feed.items_seen),
    ]
    if feed.articles_added != feed.items_seen:
        parts.append(
            tr.ngettext("{count} new article", "{count} new articles", feed.articles_added)
        )
    if feed.paused:
        parts.insert(0, tr._("paused"))
    if feed.last_status == "error":
        retry = max(0, int((feed.next_attempt_at - now).total_seconds() // 60))
        parts.append(
            tr.ngettext(
                "failing ({count} time running, next try in {retry} min): {error}",
                "failing ({count} times running, next try in {retry} min): {error}",
                feed.failures,
                retry=retry,
                error=clip(_error(tr, feed.last_error), ERROR_CHARS),
            )
        )
    elif feed.last_error:
        parts.append(clip(_error(tr, feed.last_error), ERROR_CHARS))
    return ", ".join(parts)


def feeds_plain(tr: Translator, feeds: list[FeedView], now: datetime) -> str:
    if not feeds:
        return tr._("No feeds. Add one: run_bot.py feeds add https://example.com/rss.xml")
    lines = []
    for feed in feeds:
        title = f" ({feed.title})" if feed.title else ""
        lines.append(f"#{feed.id} {feed.url}{title}\n    {feed_state(tr, feed, now)}")
    return "\n".join(lines)


def feeds_reply(tr: Translator, feeds: list[FeedView], now: datetime) -> Reply:
    """The /feeds list, a pause/resume and a remove button under each feed shown."""
    if not feeds:
        return Reply(
            tr._(
                "📡 <b>No feeds yet.</b>\n"
                "Add one: <code>/feeds add https://example.com/rss.xml</code>"
            )
        )
    lines = ["📡 <b>" + tr.ngettext("{count} feed", "{count} feeds", len(feeds)) + "</b>"]
    rows = []
    used = 0
    shown = 0
    for feed in feeds[:MAX_LISTED]:
        name = feed.title or logged_url(feed.url)  # a chat is no place for a feed's password
        icon = "⏸" if feed.paused else ("⚠️" if feed.last_status == "error" else "✅")
        entry = (
            f"{icon} <b>#{feed.id}</b> {clean(clip(name, URL_CHARS))}\n"
            f"<i>{clean(feed_state(tr, feed, now))}</i>"
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
                    tr._("▶️ Resume #{id}", id=feed.id)
                    if feed.paused
                    else tr._("⏸ Pause #{id}", id=feed.id),
                    callback_data=callbacks.encode(FeedButton(toggle, feed.id)),
                ),
                InlineKeyboardButton(
                    tr._("🗑 Remove #{id}", id=feed.id),
                    callback_data=callbacks.encode(FeedButton("remove", feed.id)),
                ),
            ]
        )
    if len(feeds) > shown:
        lines.append(
            tr.ngettext(
                "… and {count} more (run_bot.py feeds list shows all)",
                "… and {count} more (run_bot.py feeds list shows all)",
                len(feeds) - shown,
            )
        )
    lines.append(tr._("Add: <code>/feeds add URL</code> · remove: <code>/feeds remove #</code>"))
    return Reply("\n".join(lines), InlineKeyboardMarkup(rows))


def poll_plain(tr: Translator, report: PollReport) -> str:
    lines = [
        tr._(
            "Feeds polled: {ok} fetched, {unchanged} unchanged, {failed} failed; "
            "{items} new items, {articles} new articles in {seconds} s",
            ok=report.count("ok"),
            unchanged=report.count("unchanged"),
            failed=report.count("error"),
            items=report.new_items,
            articles=len(report.added),
            seconds=tr.decimal(report.seconds),
        )
    ]
    if report.updated:
        lines.append(
            "  "
            + tr.ngettext(
                "{count} article updated: its item's text changed",
                "{count} articles updated: their item's text changed",
                report.updated,
            )
        )
    for outcome in report.outcomes:
        if outcome.error:
            lines.append(
                f"  #{outcome.feed_id} {outcome.url}: {feed_error_text(tr, outcome.error)}"
            )
    return "\n".join(lines)


def feeds_usage(tr: Translator) -> str:
    return tr._(
        "Feeds: <code>/feeds</code> lists them; <code>/feeds add URL</code>, "
        "<code>/feeds pause #</code>, <code>/feeds resume #</code>, <code>/feeds remove #</code> "
        "(a number from the list, or the feed's address)."
    )


def _url_problem(tr: Translator, problem: UrlProblem) -> str:
    match problem:
        case UrlProblem.MISSING:
            return tr._("give the feed's address, e.g. https://example.com/rss.xml")
        case UrlProblem.TOO_LONG:
            return tr._("the address is over {max} characters", max=MAX_URL_CHARS)
        case UrlProblem.SPACES:
            return tr._("a feed address has no spaces")
        case UrlProblem.INVALID:
            return tr._("not a valid web address")
        case UrlProblem.NOT_WEB:
            return tr._("a feed address starts with http:// or https:// and names a host")


def feed_not_added(tr: Translator, problem: UrlProblem) -> Reply:
    return Reply(tr._("❌ Not added: {reason}.", reason=clean(_url_problem(tr, problem))))


def feed_listed_already(tr: Translator, feed_id: int, url: str) -> Reply:
    return Reply(
        tr._("Feed #{id} is on the list already: {url}", id=feed_id, url=clean(clip(url, 200)))
    )


def feed_added(tr: Translator, feed_id: int, url: str) -> Reply:
    return Reply(
        tr._(
            "✅ Feed #{id} added: {url}\nFetching it now; /feeds shows how it went.",
            id=feed_id,
            url=clean(clip(url, 200)),
        )
    )


def no_such_feed(tr: Translator, typed: str) -> Reply:
    return Reply(
        tr._("No feed {typed}. {usage}", typed=repr(clean(clip(typed, 100))), usage=feeds_usage(tr))
    )


def feed_changed(tr: Translator, action: str, feed_id: int, done: bool) -> str:
    """Paused, resumed or removed; the one-line answer (short enough for a button's alert)."""
    if not done:
        return tr._("That feed is gone.")
    if action == "remove":
        return tr._("Feed #{id} removed; its articles stay.", id=feed_id)
    if action == "pause":
        return tr._("Feed #{id} paused.", id=feed_id)
    return tr._("Feed #{id} resumed; fetching it now.", id=feed_id)


def _error(tr: Translator, error: FeedReason | None) -> str:
    return feed_error_text(tr, error) if error is not None else tr._("error")
