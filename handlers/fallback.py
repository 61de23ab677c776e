"""What is left: unknown commands, expired or foreign buttons, the page-number button."""

from __future__ import annotations

from telegram import Update

from bot.callbacks import Action, decode
from bot.rendering import texts
from handlers.common import Context, send


async def unknown_command(update: Update, context: Context) -> None:
    message = update.effective_message
    command = (message.text or "").split()[0] if message and message.text else "that"
    await send(update, texts.unknown_command(command.split("@")[0][:64]))


async def unknown_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    if decode(query.data) == Action("noop"):
        await query.answer()
        return
    await query.answer(texts.expired_button(), show_alert=True)
