"""What is left: unknown commands (buttons, stale or forged, are handlers/buttons.py's)."""

from __future__ import annotations

from telegram import Update

from bot.rendering import texts
from handlers.common import Context, send


async def unknown_command(update: Update, context: Context) -> None:
    message = update.effective_message
    command = (message.text or "").split()[0] if message and message.text else "that"
    await send(update, texts.unknown_command(command.split("@")[0][:64]))
