"""Admin commands: /reload, /stats, /senddigests, /broadcast. Everyone else is told no."""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import MaybeInaccessibleMessage, Message, Update
from telegram.error import TelegramError

from bot.admin.broadcast import BroadcastState
from bot.admin.reload import AlreadyRunning
from bot.admin.stats import gather
from bot.callbacks import BroadcastDecision
from bot.rendering import admin as view
from bot.rendering.cards import Reply
from bot.rendering.reports import load_report
from handlers.common import Context, admin_id, command_argument, reader, send, services
from handlers.flood import metrics as counters_of

log = logging.getLogger(__name__)

Callback = Callable[..., Coroutine[Any, Any, None]]
REPORT_LINES = 10  # per list in the Telegram report; the log has them all


def admin_only(callback: Callback) -> Callback:
    """Checked on the sender's user id, in private chats and groups alike."""

    @functools.wraps(callback)
    async def guarded(update: Update, context: Context, *args: Any) -> None:
        if admin_id(update, context) is None:
            answer = view.for_admins(await reader(update, context))
            if update.callback_query is not None:
                await update.callback_query.answer(answer, show_alert=True)
            else:
                await send(update, Reply(answer))
            return
        await callback(update, context, *args)

    return guarded


@admin_only
async def reload_command(update: Update, context: Context) -> None:
    found = services(context)
    admin = admin_id(update, context)
    tr = await reader(update, context)
    if found.reloader.running:
        await send(update, view.reload_running(tr))
        return
    progress_message = await send(update, view.reload_started(tr))

    async def show(done: int, total: int) -> None:
        if progress_message is not None:
            try:
                await progress_message.edit_text(view.reload_progress(tr, done, total))
            except TelegramError as exc:  # progress is a nicety: never fail the reload for it
                log.debug("progress edit failed: %s", exc)

    try:
        report = await found.reloader.reload(admin, show)
    except AlreadyRunning:
        await send(update, view.reload_running(tr))
        return
    except Exception as exc:
        log.exception("admin %s: reload failed", admin)
        text = view.reload_failed(tr, exc.__class__.__name__)
        await _replace(progress_message, update, text)
        return
    found.alerts.kick()  # its new articles reach their followers now
    await _replace(
        progress_message, update, "✅ " + load_report(tr, report, html=True, limit=REPORT_LINES)
    )


async def _replace(message: MaybeInaccessibleMessage | None, update: Update, text: str) -> None:
    """Edit the bot's status message into `text`; send it anew if the edit cannot be made."""
    if isinstance(message, Message):
        try:
            await message.edit_text(text)
            return
        except TelegramError as exc:
            log.debug("could not edit the status message: %s", exc)
    await send(update, Reply(text))


@admin_only
async def stats_command(update: Update, context: Context) -> None:
    found = services(context)
    log.info("admin %s: /stats", admin_id(update, context))
    stats = dataclasses.replace(
        await gather(found.db, found.clock.now(), found.settings.DIGEST_TICK_SECONDS),
        uptime=found.clock.now() - found.started_at,
        latency=found.latency.summary(),
        counters=metrics.since_start() if (metrics := counters_of(context)) else {},
    )
    await send(update, Reply(view.stats_text(await reader(update, context), stats)))


@admin_only
async def send_digests_command(update: Update, context: Context) -> None:
    found = services(context)
    log.info("admin %s: /senddigests", admin_id(update, context))
    tr = await reader(update, context)
    await send(update, view.sending_digests(tr))
    report = await found.digests.run(force=True)
    await send(update, view.digests_sent(tr, report))


@admin_only
async def broadcast_command(update: Update, context: Context) -> None:
    text = command_argument(update)
    tr = await reader(update, context)
    if not text:
        await send(update, view.broadcast_usage(tr))
        return
    admin = admin_id(update, context)
    assert admin is not None
    token, audience = await services(context).broadcaster.prepare(text, admin)
    log.info("admin %s: broadcast %s prepared for %d", admin, token, audience)
    await send(update, view.broadcast_confirm(tr, text, token, audience))


@admin_only
async def broadcast_button(update: Update, context: Context, decision: BroadcastDecision) -> None:
    query = update.callback_query
    assert query is not None
    token = decision.token
    broadcaster = services(context).broadcaster
    tr = await reader(update, context)
    await query.answer()
    if not decision.send:
        cancelled = await broadcaster.cancel(token)
        await _replace(query.message, update, view.broadcast_cancelled(tr, cancelled))
        return
    state = await broadcaster.take(token)
    if isinstance(state, BroadcastState):  # a second press, or an old button
        await send(update, view.broadcast_not_pending(tr, state))
        return
    await _replace(query.message, update, view.broadcast_sending(tr))
    await send(update, Reply(view.broadcast_done(tr, await broadcaster.deliver(token, state))))
