"""/latest and its ◀ ▶ page buttons."""

from __future__ import annotations

from telegram import Update

from bot.arguments import match_topic, parse_latest
from bot.callbacks import LatestPage, topic_for_key
from bot.rendering import texts
from bot.rendering.cards import PAGE_SIZE, Reply, latest_page
from handlers.common import (
    Context,
    command_argument,
    edit_or_send,
    reader_zone,
    send,
    services,
)
from storage import articles


async def _page(update: Update, context: Context, offset: int, limit: int, topic: str) -> Reply:
    async with services(context).db.read() as session:
        total = await articles.count_live(session, topic or None)
        if limit:
            total = min(total, limit)
        shown = await articles.latest(
            session,
            limit=max(0, min(PAGE_SIZE, total - offset)),
            offset=offset,
            topic=topic or None,
        )
    return latest_page(
        shown,
        offset=offset,
        total=total,
        limit=limit,
        topic=topic,
        zone=await reader_zone(context, update),
    )


async def latest_command(update: Update, context: Context) -> None:
    await show_latest(update, context, command_argument(update))


async def show_latest(update: Update, context: Context, argument: str) -> None:
    args = parse_latest(argument)
    if isinstance(args, str):
        await send(update, texts.plain(args))
        return
    topic = ""
    if args.topic:
        async with services(context).db.read() as session:
            known = await articles.topic_names(session)
        found = match_topic(args.topic, known)
        if found is None:
            await send(update, texts.no_topic(args.topic, known))
            return
        topic = found
    await send(update, await _page(update, context, 0, args.count, topic))


async def latest_button(update: Update, context: Context, page: LatestPage) -> None:
    topic = ""
    if page.topic_key:
        async with services(context).db.read() as session:
            known = await articles.topic_names(session)
        found = topic_for_key(page.topic_key, known)
        if found is None:  # the topic is gone (its articles were retracted)
            await edit_or_send(update, texts.plain("That topic has no articles any more."))
            return
        topic = found
    await edit_or_send(update, await _page(update, context, page.offset, page.limit, topic))
