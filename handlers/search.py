"""/search, plain text sent to the bot, and the search result page buttons."""

from __future__ import annotations

from telegram import Update

from bot.callbacks import SearchPage, query_fits
from bot.rendering import texts
from bot.rendering.cards import PAGE_SIZE, Reply, no_results, search_page
from bot.search.service import clip_query
from bot.search.snippets import snippet
from handlers.common import (
    Context,
    command_argument,
    edit_or_send,
    reader,
    reader_zone,
    send,
    services,
)


async def _page(update: Update, context: Context, query: str, page: int, token: str = "") -> Reply:
    found = services(context)
    tr = await reader(update, context)
    result = await found.search.search(query, articles=False)
    if not result.hits:
        return no_results(tr, query, foreign_script=result.foreign_script)
    page = min(page, (len(result.hits) - 1) // PAGE_SIZE)
    if len(result.hits) > PAGE_SIZE and not token and not query_fits(query):
        token = await found.articles.remember_query(query, found.clock.now())
    # Only the page shown is read from the database.
    shown = await found.search.load(result.hits[page * PAGE_SIZE : (page + 1) * PAGE_SIZE])
    return search_page(
        tr,
        query,
        result.corrected,
        [(hit.article, snippet(hit.article.paragraphs, hit.match.terms)) for hit in shown],
        page=page,
        total=len(result.hits),
        zone=await reader_zone(context, update),
        ignored=result.ignored,
        token=token,
    )


async def search_command(update: Update, context: Context) -> None:
    await run_search(update, context, command_argument(update))


async def plain_text(update: Update, context: Context) -> None:
    message = update.effective_message
    await run_search(update, context, message.text if message and message.text else "")


async def run_search(update: Update, context: Context, query: str) -> None:
    query = clip_query(query.strip())  # what the search reads, and what the heading shows
    if not query:
        await send(update, texts.empty_search(await reader(update, context)))
        return
    await send(update, await _page(update, context, query, 0))


async def search_button(update: Update, context: Context, callback: SearchPage) -> None:
    query = callback.query
    if callback.token:
        stored = await services(context).articles.stored_query(callback.token)
        if stored is None:  # cannot happen unless the database was rebuilt
            tr = await reader(update, context)
            await edit_or_send(update, Reply(texts.expired_button(tr)))
            return
        query = stored
    await edit_or_send(update, await _page(update, context, query, callback.page, callback.token))
