"""/language and its buttons: the language the bot writes to this chat in."""

from __future__ import annotations

from telegram import Update

from bot.application import set_chat_menu
from bot.callbacks import LanguageChoice
from bot.rendering import texts
from handlers.common import Context, admin_id, commands, edit_or_send, reader, send, services


async def language_command(update: Update, context: Context) -> None:
    await send(update, texts.language_menu(await reader(update, context)))


async def language_button(update: Update, context: Context, choice: LanguageChoice) -> None:
    query = update.callback_query
    chat = update.effective_chat
    assert query is not None and chat is not None
    tr = await services(context).languages.choose(chat.id, choice.code)
    await query.answer(texts.saved(tr))
    await edit_or_send(update, texts.language_chosen(tr))
    # The chat's menu follows its choice, whatever language its people's apps are in.
    admin = admin_id(update, context) is not None and chat.type == "private"
    await set_chat_menu(context.bot, chat.id, commands(context), admin=admin, chosen=tr)
