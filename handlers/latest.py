"""/latest and its ◀ ▶ page buttons."""

from __future__ import annotations

from telegram import Update

from bot.arguments import MAX_LATEST, ArgumentProblem, Problem, match_topic, parse_latest
from bot.callbacks import LatestPage
from bot.rendering import texts
from bot.rendering.cards import PAGE_SIZE, Reply, latest_page
from handlers.common import (
    Context,
    command_argument,
    edit_or_send,
    reader,
    reader_zone,
    send,
    services,
)


async def _page(
    update: Update, context: Context, offset: int, limit: int, topic: str, capped: bool = False
) -> Reply:
    found = await services(context).articles.newest(
        offset=offset, size=PAGE_SIZE, limit=limit, topic=topic
    )
    return latest_page(
        await reader(update, context),
        found.shown,
        offset=offset,
        total=found.total,
        limit=limit,
        topic=topic,
        zone=await reader_zone(context, update),
        # Said only of a full list: with fewer stories, all of them are shown anyway.
        capped=capped and found.total == limit,
    )


async def latest_command(update: Update, context: Context) -> None:
    await show_latest(update, context, command_argument(update))


async def show_latest(update: Update, context: Context, argument: str) -> None:
    args = parse_latest(argument)
    capped = isinstance(args, ArgumentProblem) and args.problem is Problem.TOO_MANY_ARTICLES
    if isinstance(args, ArgumentProblem) and capped:
        # `/latest 1000`: the most there can be, as if typed, rather than a lecture.
        args = parse_latest(_capped(argument, args.typed[0]))
    if isinstance(args, ArgumentProblem):
        await send(update, texts.argument_problem(await reader(update, context), args))
        return
    topic = ""
    if args.topic:
        known = await services(context).articles.topics()
        found = match_topic(args.topic, known)
        if found is None:
            await send(update, texts.no_topic(await reader(update, context), args.topic, known))
            return
        topic = found
    await send(update, await _page(update, context, 0, args.count, topic, capped=capped))


def _capped(argument: str, count: str) -> str:
    """The words typed with the count over the maximum (`1000`) as the maximum."""
    words = argument.split()
    words[words.index(count)] = str(MAX_LATEST)
    return " ".join(words)


async def latest_button(update: Update, context: Context, page: LatestPage) -> None:
    topic = ""
    if page.topic_key:
        found = await services(context).articles.topic_by_key(page.topic_key)
        if found is None:  # the topic is gone (its articles were retracted)
            await edit_or_send(update, texts.topic_gone(await reader(update, context)))
            return
        topic = found
    await edit_or_send(update, await _page(update, context, page.offset, page.limit, topic))
