"""What is left: unknown commands, a near miss answered with the command meant (buttons, stale
or forged, are handlers/buttons.py's)."""

from __future__ import annotations

from telegram import Update

from bot.commands import meant_command
from bot.rendering import texts
from handlers.common import Context, admin_id, command_argument, commands, reader, send


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
    tr = await reader(update, context)
    admin = admin_id(update, context) is not None
    where = chat.type if chat is not None else "private"
    names = [c.name for c in commands(context) if (admin or not c.admin) and where in c.chats]
    meant = meant_command(name[1:], names)
    if meant is None:
        await send(update, texts.unknown_command(tr, name[:64]))
        return
    command, stuck = meant
    rest = " ".join(part for part in (stuck, command_argument(update)) if part)
    await send(update, texts.did_you_mean(tr, command, rest))
