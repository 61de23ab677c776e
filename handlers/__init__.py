"""Thin Telegram callbacks: parse the update, ask bot/ or storage/, render, reply."""

from __future__ import annotations

from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot.application import App
from handlers import articles, errors, fallback, inline, latest, search, start, subscriptions


def register(application: App) -> None:
    """Attach every handler, most specific first."""
    add = application.add_handler
    add(CommandHandler("start", start.start))
    add(CommandHandler("help", start.help_command))
    add(CommandHandler("latest", latest.latest_command))
    add(CommandHandler("search", search.search_command))
    add(CommandHandler("summary", articles.summary_command))
    add(CommandHandler("article", articles.article_command))
    add(CommandHandler("subscribe", subscriptions.subscribe_command))
    add(CommandHandler("unsubscribe", subscriptions.unsubscribe_command))
    add(CommandHandler("settings", subscriptions.settings_command))
    add(CommandHandler("digest", subscriptions.digest_command))
    add(CallbackQueryHandler(latest.latest_button, pattern=r"^L\|"))
    add(CallbackQueryHandler(search.search_button, pattern=r"^[ST]\|"))
    add(CallbackQueryHandler(articles.article_button, pattern=r"^[MF]\|"))
    add(CallbackQueryHandler(subscriptions.settings_button, pattern=r"^G\|"))
    add(CallbackQueryHandler(start.action_button, pattern=r"^A\|(latest|subscribe)$"))
    add(CallbackQueryHandler(fallback.unknown_button))
    add(InlineQueryHandler(inline.inline_query))
    add(MessageHandler(filters.COMMAND, fallback.unknown_command))
    add(
        MessageHandler(
            filters.TEXT & ~filters.COMMAND & ~filters.VIA_BOT & filters.ChatType.PRIVATE,
            search.plain_text,
        )
    )
    application.add_error_handler(errors.on_error)
