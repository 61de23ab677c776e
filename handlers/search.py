"""/search, plain text sent to the bot, and the search result page buttons."""

from __future__ import annotations

from telegram import Message, Update

from bot.callbacks import SearchPage
from bot.rendering import texts
from bot.rendering.cards import PAGE_SIZE, Reply, no_results, search_page
from bot.search.service import MAX_QUERY_CHARS
from bot.search.snippets import snippet
from handlers.common import (
    Context,
    command_argument,
    edit_or_send,
    reader_zone,
    send,
    services,
)

_HEADING_START, _HEADING_END = "Results for “", "”"


async def _page(update: Update, context: Context, query: str, page: int) -> Reply:
    search = services(context).search
    result = await search.search(query, articles=False)
    if not result.hits:
        return no_results(query)
    page = min(page, (len(result.hits) - 1) // PAGE_SIZE)
    # Only the page shown is read from the database.
    shown = await search.load(result.hits[page * PAGE_SIZE : (page + 1) * PAGE_SIZE])
    return search_page(
        query,
        result.corrected,
        [(hit.article, snippet(hit.article.paragraphs, hit.match.terms)) for hit in shown],
        page=page,
        total=len(result.hits),
        zone=await reader_zone(context, update),
        ignored=result.ignored,
    )


async def search_command(update: Update, context: Context) -> None:
    await run_search(update, context, command_argument(update))


async def plain_text(update: Update, context: Context) -> None:
    message = update.effective_message
    await run_search(update, context, message.text if message and message.text else "")


async def run_search(update: Update, context: Context, query: str) -> None:
    query = query.strip()[:MAX_QUERY_CHARS]  # what the search reads, and what the heading shows
    if not query:
        await send(update, texts.empty_search())
        return
    await send(update, await _page(update, context, query, 0))


def _query_from_message(update: Update) -> str | None:
    """The whole query, read back from the heading of the results message."""
    query = update.callback_query
    message = query.message if query else None
    if not isinstance(message, Message) or not message.text:
        return None
    heading = message.text.split("\n", 1)[0]
    start, end = heading.find(_HEADING_START), heading.rfind(_HEADING_END)
    if start < 0 or end <= start:
        return None
    return heading[start + len(_HEADING_START) : end]


async def search_button(update: Update, context: Context, callback: SearchPage) -> None:
    text = (_query_from_message(update) if callback.truncated else None) or callback.query
    await edit_or_send(update, await _page(update, context, text, callback.page))
