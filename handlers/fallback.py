"""What is left: unknown commands (buttons, stale or forged, are handlers/buttons.py's)."""

from __future__ import annotations

from telegram import Update

from bot.rendering import texts
from handlers.common import Context, reader, send


async def unknown_command(update: Update, context: Context) -> None:
    message = update.effective_message
    command = (message.text or "").split()[0] if message and message.text else "that"
    name, _, addressee = command.partition("@")
    # `/latest@otherbot` is another bot's (the command handlers above skip it for that reason);
    # in a group, an unknown command with no @ is most likely another bot's too.
    if addressee and addressee.casefold() != (context.bot.username or "").casefold():
        return
    chat = update.effective_chat
    if not addressee and chat is not None and chat.type != "private":
        return
    await send(update, texts.unknown_command(await reader(update, context), name[:64]))
