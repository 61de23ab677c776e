"""The error handler: log the traceback, tell the user something short."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError

from handlers.common import Context

log = logging.getLogger(__name__)

SORRY = "Something went wrong, please try again."


async def on_error(update: object, context: Context) -> None:
    log.error("error while handling an update", exc_info=context.error)
    if not isinstance(update, Update) or isinstance(context.error, Forbidden):
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(SORRY, show_alert=True)
        elif update.effective_chat is not None and update.inline_query is None:
            await context.bot.send_message(update.effective_chat.id, SORRY)
    except TelegramError:
        log.warning("could not tell the user about the error")
