"""Inline mode: `@bot words` in any chat lists matching articles; choosing one posts its summary."""

from __future__ import annotations

from telegram import InlineQueryResultArticle, Update

from bot.rendering.inline import article_result
from handlers.common import Context, reader, reader_zone, services

PAGE = 50  # Telegram's most results per answer
MAX_OFFSET = 500


async def inline_query(update: Update, context: Context) -> None:
    query = update.inline_query
    assert query is not None
    found = services(context)
    # isdigit() alone admits "²", which int() refuses: ASCII digits only.
    offset = int(query.offset) if query.offset.isascii() and query.offset.isdigit() else 0
    offset = min(offset, MAX_OFFSET)
    text = query.query.strip()
    if text:
        result = await found.search.search(text, limit=offset + PAGE, articles=False)
        page = await found.search.load(result.hits[offset : offset + PAGE])
        shown = [hit.article for hit in page]
    else:
        shown = await found.articles.latest(offset=offset, size=PAGE)
    zone = await reader_zone(context, update)
    tr = await reader(update, context)
    results: list[InlineQueryResultArticle] = [
        article_result(tr, article, found.bot_username, zone) for article in shown
    ]
    more = len(shown) == PAGE and offset + PAGE < MAX_OFFSET
    # No more: leave next_offset out. An empty string would do on Telegram, but PTB 22.8 with
    # Defaults turns every empty-string parameter into "[]" (ExtBot._insert_defaults, poll case).
    await query.answer(results, cache_time=30, next_offset=str(offset + PAGE) if more else None)
