"""The error handler: log the traceback, tell the user something short, tell the admins once."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError

from bot.i18n import translator
from bot.rendering.admin import ErrorPlace, admin_error_notice
from bot.rendering.texts import something_went_wrong
from handlers.common import Context, reader_at_least, services, thread_of

log = logging.getLogger(__name__)


def _what(update: object) -> str | ErrorPlace:
    """The command the error came from, else the kind of update."""
    if not isinstance(update, Update):
        return ErrorPlace.JOB
    if update.effective_message and update.effective_message.text:
        return update.effective_message.text.split()[0][:32]
    if update.callback_query is not None:
        return ErrorPlace.BUTTON
    if update.inline_query is not None:
        return ErrorPlace.INLINE
    return ErrorPlace.UPDATE


async def on_error(update: object, context: Context) -> None:
    error = context.error
    what = _what(update)
    log.error(
        "error while handling %s", what.value if isinstance(what, ErrorPlace) else what,
        exc_info=error,
    )  # fmt: skip
    await _tell_admins(update, context)
    if not isinstance(update, Update) or isinstance(error, Forbidden):
        return
    try:
        sorry = something_went_wrong(await reader_at_least(update, context))
        if update.callback_query is not None:
            await update.callback_query.answer(sorry, show_alert=True)
        elif update.effective_chat is not None and update.inline_query is None:
            await context.bot.send_message(
                update.effective_chat.id, sorry, message_thread_id=thread_of(update)
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
    try:
        languages = await found.languages.for_chats(found.settings.ADMIN_IDS)
    except Exception:  # the error may be the database's: the notice still goes, in English
        languages = {}
    for admin in found.settings.ADMIN_IDS:
        tr = languages.get(admin) or translator(None)
        text = admin_error_notice(tr, kind, _what(update), detail, more)
        try:
            await context.bot.send_message(admin, text)
        except TelegramError as exc:
            log.warning("could not notify admin %s: %s", admin, exc)
