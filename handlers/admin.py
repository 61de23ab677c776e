"""Admin commands: /reload, /stats, /senddigests, /broadcast. Everyone else is told no."""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import MaybeInaccessibleMessage, Message, Update
from telegram.error import TelegramError

from bot.admin.reload import AlreadyRunning
from bot.admin.stats import gather
from bot.callbacks import Action
from bot.rendering.admin import (
    FOR_ADMINS,
    broadcast_confirm,
    broadcast_done,
    reload_progress,
    stats_text,
)
from bot.rendering.cards import Reply
from bot.rendering.reports import load_report
from bot.rendering.texts import plain
from handlers.common import Context, admin_id, command_argument, send, services
from handlers.flood import metrics as counters_of

log = logging.getLogger(__name__)

Callback = Callable[..., Coroutine[Any, Any, None]]
REPORT_LINES = 10  # per list in the Telegram report; the log has them all


def admin_only(callback: Callback) -> Callback:
    """Checked on the sender's user id, in private chats and groups alike."""

    @functools.wraps(callback)
    async def guarded(update: Update, context: Context, *args: Any) -> None:
        if admin_id(update, context) is None:
            if update.callback_query is not None:
                await update.callback_query.answer(FOR_ADMINS, show_alert=True)
            else:
                await send(update, Reply(FOR_ADMINS))
            return
        await callback(update, context, *args)

    return guarded


@admin_only
async def reload_command(update: Update, context: Context) -> None:
    found = services(context)
    admin = admin_id(update, context)
    if found.reloader.running:
        await send(update, Reply("⏳ A reload is running already; its report will follow."))
        return
    progress_message = await send(update, Reply("⏳ Reloading seeds…"))

    async def show(done: int, total: int) -> None:
        if progress_message is not None:
            try:
                await progress_message.edit_text(reload_progress(done, total))
            except TelegramError as exc:  # progress is a nicety: never fail the reload for it
                log.debug("progress edit failed: %s", exc)

    try:
        report = await found.reloader.reload(admin, show)
    except AlreadyRunning:
        await send(update, Reply("⏳ A reload is running already; its report will follow."))
        return
    except Exception as exc:
        log.exception("admin %s: reload failed", admin)
        text = f"❌ Reload failed: {exc.__class__.__name__}. Nothing was changed."
        await _replace(progress_message, update, text)
        return
    found.alerts.kick()  # its new articles reach their followers now
    await _replace(
        progress_message, update, "✅ " + load_report(report, html=True, limit=REPORT_LINES)
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
    await send(update, Reply(stats_text(stats)))


@admin_only
async def send_digests_command(update: Update, context: Context) -> None:
    found = services(context)
    log.info("admin %s: /senddigests", admin_id(update, context))
    await send(update, Reply("📨 Sending today's digest to everyone who has not had it…"))
    report = await found.digests.run(force=True)
    await send(
        update,
        Reply(
            f"📨 Digests: {report.sent} sent, {report.empty} with nothing new, "
            f"{report.skipped} had today's already, {report.failed} failed "
            f"({report.deactivated} blocked) in {report.seconds:.1f} s."
        ),
    )


@admin_only
async def broadcast_command(update: Update, context: Context) -> None:
    text = command_argument(update)
    if not text:
        await send(update, Reply("What should I announce? <code>/broadcast Hello everyone</code>"))
        return
    admin = admin_id(update, context)
    assert admin is not None
    token, audience = await services(context).broadcaster.prepare(text, admin)
    log.info("admin %s: broadcast %s prepared for %d", admin, token, audience)
    await send(update, broadcast_confirm(text, token, audience))


@admin_only
async def broadcast_button(update: Update, context: Context, action: Action) -> None:
    query = update.callback_query
    assert query is not None
    verb, _, token = action.name.partition(":")
    broadcaster = services(context).broadcaster
    await query.answer()
    if verb == "bc_no":
        cancelled = await broadcaster.cancel(token)
        await _replace(query.message, update, "Cancelled." if cancelled else "Nothing to cancel.")
        return
    state = await broadcaster.take(token)
    if isinstance(state, str):  # a second press, or an old button
        await send(update, plain(state))
        return
    await _replace(query.message, update, "📢 Sending the announcement…")
    await send(update, Reply(broadcast_done(await broadcaster.deliver(token, state))))
