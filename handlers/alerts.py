"""/follow, /unfollow and /alerts (with its buttons): words and topics sent as they arrive."""

from __future__ import annotations

from telegram import Update

from bot.alerts.following import BadCap, BadQuiet, Nothing
from bot.callbacks import AlertButton
from bot.rendering.alerts import (
    alerts_card,
    bad_cap,
    bad_quiet,
    follow_usage,
    followed,
    saved,
    unfollow_usage,
    unfollowed,
    unfollowed_note,
    unknown_alerts_setting,
)
from handlers.common import Context, command_argument, edit_or_send, reader, send, services

CAP_WORDS = frozenset({"limit", "cap", "max"})
QUIET_WORDS = frozenset({"quiet", "mute"})


def _chat_id(update: Update) -> int:
    assert update.effective_chat is not None
    return update.effective_chat.id


async def follow_command(update: Update, context: Context) -> None:
    tr = await reader(update, context)
    result = await services(context).following.follow(_chat_id(update), command_argument(update))
    await send(update, follow_usage(tr) if isinstance(result, Nothing) else followed(tr, result))


async def unfollow_command(update: Update, context: Context) -> None:
    tr = await reader(update, context)
    following = services(context).following
    chat_id = _chat_id(update)
    result = await following.unfollow(chat_id, command_argument(update))
    if isinstance(result, Nothing):
        await send(update, unfollow_usage(tr, await following.overview(chat_id)))
        return
    await send(update, unfollowed(tr, result))


async def alerts_command(update: Update, context: Context) -> None:
    """`/alerts`, `/alerts limit 5`, `/alerts quiet 22:00-07:00`, `/alerts quiet off`."""
    tr = await reader(update, context)
    following = services(context).following
    chat_id = _chat_id(update)
    word, _, rest = command_argument(update).partition(" ")
    if not word:
        await send(update, alerts_card(tr, await following.overview(chat_id)))
        return
    if word.lower() in CAP_WORDS or word.isdigit():
        capped = await following.set_cap(chat_id, rest if not word.isdigit() else word)
        await send(update, bad_cap(tr) if isinstance(capped, BadCap) else alerts_card(tr, capped))
        return
    if word.lower() in QUIET_WORDS:
        quiet = await following.set_quiet(chat_id, rest)
        shown = bad_quiet(tr) if isinstance(quiet, BadQuiet) else alerts_card(tr, quiet)
        await send(update, shown)
        return
    await send(update, unknown_alerts_setting(tr, word))


async def alerts_button(update: Update, context: Context, button: AlertButton) -> None:
    tr = await reader(update, context)
    following = services(context).following
    chat_id = _chat_id(update)
    query = update.callback_query
    assert query is not None
    note = saved(tr)
    if button.action == "cap":
        result = await following.set_cap(chat_id, button.value)
        overview = result if not isinstance(result, BadCap) else await following.overview(chat_id)
    elif button.action == "quiet_off":
        quiet = await following.set_quiet(chat_id, "off")
        overview = quiet if not isinstance(quiet, BadQuiet) else await following.overview(chat_id)
    else:
        unfollowed = await following.unfollow_id(chat_id, button.value)
        overview, note = unfollowed.overview, unfollowed_note(tr, unfollowed)
    await query.answer(note)
    await edit_or_send(update, alerts_card(tr, overview))
