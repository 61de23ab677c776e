"""What every handler needs: its services, the reader's timezone, and sending a rendered reply."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import tzinfo

from telegram import Message, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.commands import COMMANDS_KEY, Command
from bot.i18n import Translator, translator
from bot.rendering.cards import Reply
from bot.services import SERVICES_KEY, Services

Context = ContextTypes.DEFAULT_TYPE
_ARGUMENT = re.compile(r"/\S*\s*(.*)", re.DOTALL)


def services(context: Context) -> Services:
    found: Services = context.bot_data[SERVICES_KEY]
    return found


def commands(context: Context) -> Sequence[Command]:
    """The command declarations (handlers.COMMANDS), for /help and the menus."""
    found: Sequence[Command] = context.bot_data.get(COMMANDS_KEY, ())
    return found


def admin_id(update: Update, context: Context) -> int | None:
    """The sender's user id when they are an admin (in any chat), else None."""
    user = update.effective_user
    if user is not None and user.id in services(context).settings.ADMIN_IDS:
        return user.id
    return None


async def reader_zone(context: Context, update: Update) -> tzinfo:
    """The reader's timezone: the one they chose, else the bot's default."""
    found = services(context)
    # Inline queries come with no chat: a user's private chat has the user's id.
    chat = update.effective_chat or update.effective_user
    if chat is None:
        return found.settings.timezone
    return await found.subscriptions.zone_for(chat.id)


async def reader(update: Update, context: Context) -> Translator:
    """The language to answer in: the chat's choice, else the sender's Telegram language."""
    user = update.effective_user
    # Inline queries come with no chat: a user's private chat has the user's id.
    chat = update.effective_chat or user
    code = user.language_code if user is not None else None
    if chat is None:
        return translator(code)
    return await services(context).languages.for_chat(chat.id, code)


async def reader_at_least(update: Update, context: Context) -> Translator:
    """`reader`, or Telegram's language alone when the database cannot say (the error being
    reported may be the database's; a flood warning must not wait on it either)."""
    try:
        return await reader(update, context)
    except Exception:
        user = update.effective_user
        return translator(user.language_code if user is not None else None)


def command_argument(update: Update) -> str:
    """Everything after the command word (`/search putin syria` -> `putin syria`)."""
    message = update.effective_message
    text = message.text if message and message.text else ""
    found = _ARGUMENT.match(text)
    return found.group(1).strip() if found else text.strip()


async def send(update: Update, reply: Reply) -> Message | None:
    """Reply in the chat the update came from."""
    message = update.effective_message
    if message is None:
        return None
    return await message.reply_text(reply.text, reply_markup=reply.keyboard)


async def edit_or_send(update: Update, reply: Reply) -> None:
    """For a button press: replace the message the button sits on, else send a new one."""
    query = update.callback_query
    on_message = query is not None and query.message is not None and query.message.is_accessible
    if query is not None and (on_message or query.inline_message_id):
        try:
            await query.edit_message_text(reply.text, reply_markup=reply.keyboard)
        except BadRequest as exc:
            # A double tap asks for the page already shown: nothing to do.
            if "not modified" not in exc.message:
                raise
        return
    if update.effective_chat is not None:
        await update.get_bot().send_message(
            update.effective_chat.id,
            reply.text,
            reply_markup=reply.keyboard,
            message_thread_id=thread_of(update),
        )


def thread_of(update: Update) -> int | None:
    """The forum topic the update came from (a command's, or a pressed button's message):
    every answer goes back there."""
    message = update.effective_message
    if message is not None and message.is_topic_message:
        return message.message_thread_id
    return None
