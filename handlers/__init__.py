"""Thin Telegram callbacks: parse the update, ask bot/ or storage/, render, reply."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.application import App
from handlers import (
    admin,
    alerts,
    articles,
    buttons,
    channels,
    errors,
    fallback,
    feeds,
    flood,
    groups,
    inline,
    latest,
    search,
    start,
    subscriptions,
)
from handlers.timing import Callback, timed

COMMANDS: dict[str, Callback] = {
    "start": start.start,
    "help": start.help_command,
    "latest": latest.latest_command,
    "search": search.search_command,
    "summary": articles.summary_command,
    "article": articles.article_command,
    "subscribe": subscriptions.subscribe_command,
    "unsubscribe": subscriptions.unsubscribe_command,
    "settings": subscriptions.settings_command,
    "digest": subscriptions.digest_command,
    "cancel": subscriptions.cancel_command,
    "channel": channels.channel_command,
    "follow": alerts.follow_command,
    "unfollow": alerts.unfollow_command,
    "alerts": alerts.alerts_command,
    "reload": admin.reload_command,
    "stats": admin.stats_command,
    "senddigests": admin.send_digests_command,
    "broadcast": admin.broadcast_command,
    "feeds": feeds.feeds_command,
}


def register(application: App) -> None:
    """Attach every handler, most specific first; each one's answer time is recorded."""
    add = application.add_handler
    # Group -2 runs first for every update: a flooding user goes no further.
    application.add_handler(TypeHandler(Update, flood.guard), group=-2)
    # Then text that answers the chat's open question (a timezone, topics): it stops there;
    # without one, the update goes on to the handlers below (a search, most often).
    application.add_handler(
        MessageHandler(
            filters.TEXT
            & ~filters.COMMAND
            & ~filters.VIA_BOT
            & (filters.ChatType.PRIVATE | filters.REPLY),
            timed("question reply", subscriptions.question_answer, when_taken=True),
        ),
        group=-1,
    )
    for name, callback in COMMANDS.items():
        add(CommandHandler(name, timed("/" + name, callback)))
    add(CallbackQueryHandler(timed("button", buttons.on_button)))  # every press, decoded once
    add(
        MessageHandler(filters.StatusUpdate.CHAT_SHARED, timed("chat shared", channels.chat_shared))
    )
    add(ChatMemberHandler(channels.my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
    add(MessageHandler(filters.StatusUpdate.MIGRATE, groups.migrated))
    add(InlineQueryHandler(timed("inline", inline.inline_query)))
    add(MessageHandler(filters.COMMAND, fallback.unknown_command))
    add(
        MessageHandler(
            filters.TEXT & ~filters.COMMAND & ~filters.VIA_BOT & filters.ChatType.PRIVATE,
            timed("text search", search.plain_text),
        )
    )
    application.add_error_handler(errors.on_error)
