"""Runs before every other handler: tags the log with the update, counts it, and drops updates
from a user who floods the bot."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.flood import Verdict
from bot.logging_setup import bind_update
from bot.metrics import METRICS_KEY, Metrics
from bot.rendering.texts import slow_down
from handlers.common import Context, reader_at_least, services, thread_of

log = logging.getLogger(__name__)


def command_of(update: Update) -> str | None:
    """What the update asks for, in a word: `/search`, `button`, `inline`, `text`."""
    if update.callback_query is not None:
        return "button"
    if update.inline_query is not None:
        return "inline"
    message = update.effective_message
    if message is None or not message.text:
        return None
    if message.text.startswith("/"):
        return message.text.split(maxsplit=1)[0].split("@", 1)[0][:33]
    return "text"


def kind_of(update: Update) -> str:
    for kind in ("message", "edited_message", "callback_query", "inline_query"):
        if getattr(update, kind) is not None:
            return kind
    return "other"


def metrics(context: Context) -> Metrics | None:
    found = context.bot_data.get(METRICS_KEY)
    return found if isinstance(found, Metrics) else None


async def guard(update: Update, context: Context) -> None:
    chat = update.effective_chat
    bind_update(update.update_id, chat.id if chat is not None else None, command_of(update))
    counted = metrics(context)
    if counted is not None:
        counted.update(kind_of(update))
    user = update.effective_user
    if user is None:
        return
    verdict = services(context).flood.check(user.id)
    if verdict is Verdict.PASS:
        return
    if counted is not None:
        counted.dropped.inc()
    if verdict is Verdict.WARN:
        log.info("user %s is flooding: slowing them down", user.id)
        if update.callback_query is not None:
            await update.callback_query.answer(slow_down(await reader_at_least(update, context)))
        elif update.effective_chat is not None and update.inline_query is None:
            text = slow_down(await reader_at_least(update, context))
            await context.bot.send_message(
                update.effective_chat.id, text, message_thread_id=thread_of(update)
            )
    raise ApplicationHandlerStop
