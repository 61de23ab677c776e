"""/start (with article deep links) and /help."""

from __future__ import annotations

from telegram import Update

from bot.application import set_chat_menu
from bot.rendering import texts
from handlers.articles import send_full_text
from handlers.common import (
    Context,
    admin_id,
    command_argument,
    commands,
    reader,
    send,
    services,
)

DEEP_LINK_ARTICLE = "a_"


async def start(update: Update, context: Context) -> None:
    payload = command_argument(update)
    if payload.startswith(DEEP_LINK_ARTICLE):
        await send_full_text(update, context, payload.removeprefix(DEEP_LINK_ARTICLE))
        return
    user = update.effective_user
    chat = update.effective_chat
    found = services(context)
    if chat is not None:
        # Someone who blocked the bot and comes back gets their digest back too.
        await found.subscriptions.reactivate(chat.id)
    if (admin := admin_id(update, context)) is not None:
        # Telegram keeps no menu for a chat it does not know yet: set it on the admin's /start.
        chosen = await found.languages.chosen(admin)
        await set_chat_menu(context.bot, admin, commands(context), admin=True, chosen=chosen)
    tr = await reader(update, context)
    await send(
        update,
        texts.welcome(tr, user.first_name if user else None, services(context).bot_username),
    )


async def help_command(update: Update, context: Context) -> None:
    admin = admin_id(update, context) is not None
    tr = await reader(update, context)
    bot = services(context).bot_username
    await send(update, texts.help_text(tr, bot, commands(context), admin=admin))
