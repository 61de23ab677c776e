"""/feeds for admins: the list with its buttons; add, pause, resume and remove by word or button."""

from __future__ import annotations

from telegram import Update

from bot.callbacks import FeedButton
from bot.feeds.manage import BadFeedUrl
from bot.feeds.poller import logged_url
from bot.feeds.service import FEEDS_KEY, FeedsService
from bot.i18n import Translator
from bot.rendering import feeds as view
from bot.rendering.cards import Reply
from handlers.admin import admin_only
from handlers.common import Context, command_argument, edit_or_send, reader, send, services

ACTIONS = {"pause", "resume", "remove"}


def _feeds(context: Context) -> FeedsService:
    found: FeedsService = context.bot_data[FEEDS_KEY]
    return found


@admin_only
async def feeds_command(update: Update, context: Context) -> None:
    feeds = _feeds(context)
    tr = await reader(update, context)
    word, _, rest = command_argument(update).partition(" ")
    word, rest = word.lower(), rest.strip()
    if not word or word == "list":
        listed = await feeds.manager.all()
        await send(update, view.feeds_reply(tr, listed, services(context).clock.now()))
        return
    if word == "add":
        try:
            added = await feeds.manager.add(rest)
        except BadFeedUrl as exc:
            await send(update, view.feed_not_added(tr, exc.problem))
            return
        url = logged_url(added.feed.url)
        if not added.new:
            await send(update, view.feed_listed_already(tr, added.feed.id, url))
            return
        feeds.poll_soon(added.feed.id)
        await send(update, view.feed_added(tr, added.feed.id, url))
        return
    if word in ACTIONS:
        found = await feeds.manager.find(rest.lstrip("#")) if rest else None
        if found is None:
            await send(update, view.no_such_feed(tr, rest))
            return
        await send(update, Reply(await _act(tr, feeds, word, found.id)))
        return
    await send(update, Reply(view.feeds_usage(tr)))


async def _act(tr: Translator, feeds: FeedsService, action: str, feed_id: int) -> str:
    """Pause, resume or remove; the one-line answer (short enough for a button's alert)."""
    if action == "remove":
        done = await feeds.manager.remove(feed_id)
    else:
        done = await feeds.manager.set_paused(feed_id, action == "pause")
        if done and action == "resume":
            feeds.poll_soon(feed_id)
    return view.feed_changed(tr, action, feed_id, done)


@admin_only
async def feeds_button(update: Update, context: Context, button: FeedButton) -> None:
    query = update.callback_query
    assert query is not None
    feeds = _feeds(context)
    tr = await reader(update, context)
    await query.answer(await _act(tr, feeds, button.action, button.feed_id))
    listed = await feeds.manager.all()
    await edit_or_send(update, view.feeds_reply(tr, listed, services(context).clock.now()))
