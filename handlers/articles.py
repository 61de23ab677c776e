"""/summary and /article, and the Summary / Full text buttons."""

from __future__ import annotations

from telegram import Update

from bot.library import Missing
from bot.rendering import texts
from bot.rendering.cards import Reply, full_text, no_results, summary_card
from handlers.common import Context, command_argument, reader, reader_zone, send, services
from storage.models import Article


async def _find_or_say(
    update: Update, context: Context, text: str, *, linked: bool = False
) -> Article | None:
    """The article `text` names or finds, telling the user when there is none (no articles,
    no such id, no match); `linked`: the id came from a button or link, not typed."""
    found = await services(context).articles.find(text)
    if found.article is None:
        tr = await reader(update, context)
        if linked:
            await send(update, texts.withdrawn_article(tr))
        elif found.missing is Missing.NO_ARTICLES:
            await send(update, texts.no_articles(tr))
        elif found.missing is Missing.NO_SUCH_ID:
            await send(update, texts.unknown_article(tr, text))
        else:
            await send(update, no_results(tr, text))
    return found.article


async def send_summary(
    update: Update, context: Context, text: str, *, linked: bool = False
) -> None:
    article = await _find_or_say(update, context, text, linked=linked)
    if article is None:
        return
    sentences = await services(context).summaries.for_article(article)
    tr = await reader(update, context)
    await send(update, summary_card(tr, article, sentences, await reader_zone(context, update)))


async def send_full_text(
    update: Update, context: Context, short_id: str, *, linked: bool = False
) -> None:
    article = await services(context).articles.by_short_id(short_id)
    if article is None:
        tr = await reader(update, context)
        reply = texts.withdrawn_article(tr) if linked else texts.unknown_article(tr, short_id)
        await send(update, reply)
        return
    await _send_parts(update, context, article)


async def _send_parts(update: Update, context: Context, article: Article) -> None:
    tr = await reader(update, context)
    for part in full_text(tr, article, await reader_zone(context, update)):
        await send(update, Reply(part))


async def summary_command(update: Update, context: Context) -> None:
    await send_summary(update, context, command_argument(update))


async def article_command(update: Update, context: Context) -> None:
    argument = command_argument(update)
    if not argument:
        await send(update, texts.which_article(await reader(update, context)))
        return
    # Like /summary: an id, or words that find the article.
    if (article := await _find_or_say(update, context, argument)) is not None:
        await _send_parts(update, context, article)
