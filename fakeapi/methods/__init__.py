"""The Bot API methods the fake implements, by lower-cased name (Telegram ignores case)."""

from __future__ import annotations

from fakeapi.backend import Handler
from fakeapi.methods import bot, chats, messages, queries, updates

_NAMED: dict[str, Handler] = {
    "getMe": bot.get_me,
    "getUpdates": updates.get_updates,
    "setWebhook": updates.set_webhook,
    "deleteWebhook": updates.delete_webhook,
    "getWebhookInfo": updates.get_webhook_info,
    "sendMessage": messages.send_message,
    "sendPhoto": messages.send_photo,
    "editMessageText": messages.edit_message_text,
    "editMessageCaption": messages.edit_message_caption,
    "editMessageReplyMarkup": messages.edit_message_reply_markup,
    "deleteMessage": messages.delete_message,
    "deleteMessages": messages.delete_messages,
    "sendChatAction": messages.send_chat_action,
    "answerCallbackQuery": queries.answer_callback_query,
    "answerInlineQuery": queries.answer_inline_query,
    "setMyCommands": bot.set_my_commands,
    "getMyCommands": bot.get_my_commands,
    "deleteMyCommands": bot.delete_my_commands,
    "getChat": bot.get_chat,
    "getChatMember": chats.get_chat_member,
    "getChatAdministrators": chats.get_chat_administrators,
    "createForumTopic": chats.create_forum_topic,
    "deleteForumTopic": chats.delete_forum_topic,
    "closeForumTopic": chats.close_forum_topic,
    "reopenForumTopic": chats.reopen_forum_topic,
    "leaveChat": bot.leave_chat,
    "getChatMenuButton": bot.get_chat_menu_button,
    "getMyName": bot.get_my_name,
    "getMyDescription": bot.get_my_description,
    "getMyShortDescription": bot.get_my_short_description,
    **dict.fromkeys(bot.OK_METHODS, bot.ok),
}

HANDLERS: dict[str, Handler] = {name.lower(): handler for name, handler in _NAMED.items()}
CANONICAL: dict[str, str] = {name.lower(): name for name in _NAMED}

__all__ = ["CANONICAL", "HANDLERS"]
