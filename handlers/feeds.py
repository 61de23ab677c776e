"""/feeds for admins: the list with its buttons; add, pause, resume and remove by word or button."""

from __future__ import annotations

from telegram import Update

from bot.callbacks import FeedButton
from bot.feeds.manage import BadFeedUrl
from bot.feeds.poller import logged_url
from bot.feeds.service import FEEDS_KEY, FeedsService
from bot.rendering.cards import Reply
from bot.rendering.feeds import feeds_reply
from bot.rendering.markup import clean, clip
from handlers.admin import admin_only
from handlers.common import Context, command_argument, edit_or_send, send, services

USAGE = (
    "Feeds: <code>/feeds</code> lists them; <code>/feeds add URL</code>, "
    "<code>/feeds pause #</code>, <code>/feeds resume #</code>, <code>/feeds remove #</code> "
    "(a number from the list, or the feed's address)."
)
ACTIONS = {"pause", "resume", "remove"}


def _feeds(context: Context) -> FeedsService:
    found: FeedsService = context.bot_data[FEEDS_KEY]
    return found


@admin_only
async def feeds_command(update: Update, context: Context) -> None:
    feeds = _feeds(context)
    word, _, rest = command_argument(update).partition(" ")
    word, rest = word.lower(), rest.strip()
    if not word or word == "list":
        await send(update, feeds_reply(await feeds.manager.all(), services(context).clock.now()))
        return
    if word == "add":
        try:
            added = await feeds.manager.add(rest)
        except BadFeedUrl as exc:
            await send(update, Reply(f"❌ Not added: {clean(str(exc))}."))
            return
        url = clean(clip(logged_url(added.feed.url), 200))
        if not added.new:
            await send(update, Reply(f"Feed #{added.feed.id} is on the list already: {url}"))
            return
        feeds.poll_soon(added.feed.id)
        text = f"✅ Feed #{added.feed.id} added: {url}\nFetching it now; /feeds shows how it went."
        await send(update, Reply(text))
        return
    if word in ACTIONS:
        found = await feeds.manager.find(rest.lstrip("#")) if rest else None
        if found is None:
            await send(update, Reply(f"No feed {clean(clip(rest, 100))!r}. {USAGE}"))
            return
        await send(update, Reply(await _act(feeds, word, found.id)))
        return
    await send(update, Reply(USAGE))


async def _act(feeds: FeedsService, action: str, feed_id: int) -> str:
    """Pause, resume or remove; the one-line answer (short enough for a button's alert)."""
    if action == "remove":
        done = await feeds.manager.remove(feed_id)
        return f"Feed #{feed_id} removed; its articles stay." if done else "That feed is gone."
    paused = action == "pause"
    if not await feeds.manager.set_paused(feed_id, paused):
        return "That feed is gone."
    if not paused:
        feeds.poll_soon(feed_id)
    return f"Feed #{feed_id} paused." if paused else f"Feed #{feed_id} resumed; fetching it now."


@admin_only
async def feeds_button(update: Update, context: Context, button: FeedButton) -> None:
    query = update.callback_query
    assert query is not None
    feeds = _feeds(context)
    await query.answer(await _act(feeds, button.action, button.feed_id))
    listed = await feeds.manager.all()
    await edit_or_send(update, feeds_reply(listed, services(context).clock.now()))
