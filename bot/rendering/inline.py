"""Inline-mode results: one article as a result people can post in any chat."""

from __future__ import annotations

from datetime import tzinfo

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
)

from bot.i18n import Translator
from bot.rendering.cards import summary_card
from bot.rendering.markup import clip
from bot.summaries.service import lead_sentences
from storage.models import Article


def deep_link(bot_username: str, short_id: str) -> str:
    return f"https://t.me/{bot_username}?start=a_{short_id}"


def article_result(
    tr: Translator, article: Article, bot_username: str, zone: tzinfo
) -> InlineQueryResultArticle:
    """Title and first summary sentence in the list; the summary card when chosen."""
    sentences = article.summary if article.summary else lead_sentences(article.paragraphs)
    card = summary_card(tr, article, sentences, zone)
    link = deep_link(bot_username, article.short_id)
    return InlineQueryResultArticle(
        id=article.short_id,
        title=clip(article.title, 200),
        description=clip(sentences[0], 200) if sentences else None,
        input_message_content=InputTextMessageContent(card.text, parse_mode="HTML"),
        reply_markup=InlineKeyboardMarkup(
            [[InlineKeyboardButton(tr._("📄 Read it with @{bot}", bot=bot_username), url=link)]]
        ),
    )
