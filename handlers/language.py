"""/language and its buttons: the language the bot writes to this chat in (in a group, chosen
by its admins)."""

from __future__ import annotations

from telegram import Update

from bot.application import set_chat_menu
from bot.callbacks import LanguageChoice
from bot.i18n import Translator
from bot.languages import language_named
from bot.rendering import texts
from bot.rendering.chats import only_admins_language
from handlers.common import (
    Context,
    admin_id,
    command_argument,
    commands,
    edit_or_send,
    reader,
    send,
    services,
)
from handlers.groups import may_change


async def language_command(update: Update, context: Context) -> None:
    """`/language` shows the buttons; `/language es` (or `español`) switches at once."""
    typed = command_argument(update)
    code = language_named(typed)
    if code is None:
        await send(update, texts.language_menu(await reader(update, context), unknown=typed))
        return
    if not await may_change(update, context, only_admins_language):
        return
    tr = await _choose(update, context, code)
    await send(update, texts.language_chosen(tr))
    await _follow_menu(update, context, tr)


async def language_button(update: Update, context: Context, choice: LanguageChoice) -> None:
    query = update.callback_query
    assert query is not None
    if not await may_change(update, context, only_admins_language):
        return  # in a group, its admins choose for everyone
    tr = await _choose(update, context, choice.code)
    await query.answer(texts.saved(tr))
    await edit_or_send(update, texts.language_chosen(tr))
    await _follow_menu(update, context, tr)


async def _choose(update: Update, context: Context, code: str) -> Translator:
    assert update.effective_chat is not None
    return await services(context).languages.choose(update.effective_chat.id, code)


async def _follow_menu(update: Update, context: Context, tr: Translator) -> None:
    """The chat's menu follows its choice, whatever language its people's apps are in."""
    chat = update.effective_chat
    assert chat is not None
    admin = admin_id(update, context) is not None and chat.type == "private"
    await set_chat_menu(context.bot, chat.id, commands(context), admin=admin, chosen=tr)
