"""Who may change a chat's digest and language, and where a command's digest goes: in groups
only their admins (the anonymous admin too) change them; a digest goes to the forum topic it
came from."""

from __future__ import annotations

from collections.abc import Callable

from telegram import Update
from telegram.constants import ChatType

from bot.i18n import Translator
from bot.rendering.chats import only_admins
from bot.rendering.texts import plain
from bot.subscriptions import Place
from handlers.common import Context, reader, send, services, thread_of

GROUPS = (ChatType.GROUP, ChatType.SUPERGROUP)


async def may_change(
    update: Update, context: Context, refusal: Callable[[Translator], str] = only_admins
) -> bool:
    """True in private chats and for a group's admins; others are told why not (`refusal`:
    the digest's by default)."""
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        return True
    if chat.type not in GROUPS:
        return False  # a channel's posts never change its digest: its admins use /settings
    message = update.effective_message
    # An admin posting anonymously shows as the group itself.
    sender_chat = message.sender_chat if message and update.callback_query is None else None
    if sender_chat is not None and sender_chat.id == chat.id:
        return True
    user = update.effective_user
    if user is not None and await services(context).chat_admins.is_admin(chat.id, user.id):
        return True
    tr = await reader(update, context)
    if update.callback_query is not None:
        await update.callback_query.answer(refusal(tr), show_alert=True)
    else:
        await send(update, plain(refusal(tr)))
    return False


def place_of(update: Update) -> Place:
    """Where a digest subscribed by this update goes: the chat, and its forum topic if any."""
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        return Place("private")
    return Place("group", thread_of(update))


async def migrated(update: Update, context: Context) -> None:
    """The service message in a supergroup that was a group: its digest moves along now."""
    message = update.effective_message
    if message is not None and message.migrate_from_chat_id:
        await services(context).subscriptions.chat_moved(
            message.migrate_from_chat_id, message.chat_id
        )
