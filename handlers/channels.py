"""/channel: linking a channel from the private chat (a native chat picker, or `@name`), and
the bot's own membership changes (my_chat_member): removed, its digest stops; back, it resumes."""

from __future__ import annotations

import contextlib

from telegram import ChatMember, Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot.arguments import SubscribeArgs
from bot.chat_admins import LinkProblem
from bot.rendering.chats import (
    CHANNEL_REQUEST_ID,
    KeyboardReply,
    channel_back,
    channel_linked,
    channel_picker,
    channel_removed,
    channel_usage,
    link_problem,
)
from bot.subscriptions import Place, Subscribed
from handlers.common import Context, command_argument, reader, send, services
from storage.models import Subscriber

_GONE = (ChatMember.LEFT, ChatMember.BANNED)


async def _answer(update: Update, reply: KeyboardReply) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(reply.text, reply_markup=reply.markup)


async def channel_command(update: Update, context: Context) -> None:
    chat = update.effective_chat
    if chat is None or chat.type != ChatType.PRIVATE:
        await send(update, channel_usage(await reader(update, context)))
        return
    name = command_argument(update)
    if not name:
        await _answer(update, channel_picker(await reader(update, context)))
        return
    await _link(update, context, name if name.startswith("@") else "@" + name)


async def chat_shared(update: Update, context: Context) -> None:
    """A chat chosen with the /channel picker."""
    message = update.effective_message
    if message is None or message.chat_shared is None:
        return
    if message.chat_shared.request_id == CHANNEL_REQUEST_ID:
        await _link(update, context, message.chat_shared.chat_id)


async def _link(update: Update, context: Context, chat_ref: int | str) -> None:
    user = update.effective_user
    if user is None:
        return
    found = services(context)
    checked = await found.chat_admins.check_channel(chat_ref, user.id)
    if isinstance(checked, LinkProblem):
        await _answer(update, link_problem(await reader(update, context), checked))
        return
    # A new channel's digest starts at the linker's own time and zone, if they have one.
    own = await found.subscriptions.get(user.id)
    args = SubscribeArgs(own.delivery_minute if own else None, own.timezone if own else "", None)
    place = Place("channel", None, checked.title)
    outcome = await found.subscriptions.subscribe(checked.chat_id, user.id, args, place)
    if not isinstance(outcome, Subscribed):  # the zone came from a stored one: never unclear
        return
    subscriber = outcome.subscriber
    tr = await reader(update, context)
    linked = channel_linked(tr, checked.title, subscriber.delivery_minute, subscriber.timezone)
    await _answer(update, linked)


async def my_chat_member(update: Update, context: Context) -> None:
    """The bot was removed from a chat (its digest stops, settings kept) or added back."""
    change = update.my_chat_member
    if change is None:
        return
    found = services(context)
    chat_id = change.chat.id
    found.chat_admins.forget(chat_id)
    subscriber: Subscriber | None
    if change.new_chat_member.status in _GONE:
        subscriber = await found.subscriptions.bot_left(chat_id)
        tell = channel_removed
    else:
        subscriber = await found.subscriptions.bot_back(chat_id)
        tell = channel_back
    # A channel cannot be written to about itself: its linker hears of it in private.
    if subscriber is None or subscriber.kind != "channel" or subscriber.user_id is None:
        return
    # They may have blocked the bot meanwhile: nothing else to do then.
    with contextlib.suppress(TelegramError):
        tr = await found.languages.for_chat(subscriber.user_id)
        await context.bot.send_message(subscriber.user_id, tell(tr, subscriber.title or ""))
