"""Runs before every other handler: updates from a user who floods the bot are dropped."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.flood import Verdict
from handlers.common import Context, services

log = logging.getLogger(__name__)

SLOW_DOWN = "🐢 Please slow down a little: I'll answer again in a few seconds."


async def guard(update: Update, context: Context) -> None:
    user = update.effective_user
    if user is None:
        return
    verdict = services(context).flood.check(user.id)
    if verdict is Verdict.PASS:
        return
    if verdict is Verdict.WARN:
        log.info("user %s is flooding: slowing them down", user.id)
        if update.callback_query is not None:
            await update.callback_query.answer(SLOW_DOWN)
        elif update.effective_chat is not None and update.inline_query is None:
            await context.bot.send_message(update.effective_chat.id, SLOW_DOWN)
    raise ApplicationHandlerStop
