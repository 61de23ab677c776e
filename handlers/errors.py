"""The error handler: log the traceback, tell the user something short, tell the admins once."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError

from bot.rendering.markup import clean
from handlers.common import Context, services, thread_of

log = logging.getLogger(__name__)

SORRY = "Something went wrong, please try again."


def _what(update: object) -> str:
    if not isinstance(update, Update):
        return "a background job"
    if update.effective_message and update.effective_message.text:
        return (
            update.effective_message.text.split()[0][:32] if update.effective_message.text else ""
        )
    if update.callback_query is not None:
        return "a button"
    if update.inline_query is not None:
        return "an inline query"
    return "an update"


async def on_error(update: object, context: Context) -> None:
    error = context.error
    log.error("error while handling %s", _what(update), exc_info=error)
    await _tell_admins(update, context)
    if not isinstance(update, Update) or isinstance(error, Forbidden):
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(SORRY, show_alert=True)
        elif update.effective_chat is not None and update.inline_query is None:
            await context.bot.send_message(
                update.effective_chat.id, SORRY, message_thread_id=thread_of(update)
            )
    except TelegramError:
        log.warning("could not tell the user about the error")


async def _tell_admins(update: object, context: Context) -> None:
    found = services(context)
    kind = type(context.error).__name__
    if not found.settings.ADMIN_IDS or not found.error_throttle.should_notify(kind):
        return
    detail = str(context.error)
    if found.settings.token:
        detail = detail.replace(found.settings.token, "[redacted]")
    more = found.error_throttle.take_suppressed(kind)
    text = (
        f"⚠️ <b>{clean(kind)}</b> in {clean(_what(update))}: {clean(detail[:300])}"
        + (f"\n({more} more of these in the last minute)" if more else "")
        + "\nThe traceback is in the log."
    )
    for admin in found.settings.ADMIN_IDS:
        try:
            await context.bot.send_message(admin, text)
        except TelegramError as exc:
            log.warning("could not notify admin %s: %s", admin, exc)
