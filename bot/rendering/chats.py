"""Messages about groups, forum topics, channels and word filters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from telegram import (
    ChatAdministratorRights,
    KeyboardButton,
    KeyboardButtonRequestChat,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.chat_admins import LinkProblem
from bot.digests.schedule import format_minute
from bot.i18n import Translator
from bot.rendering.cards import Reply
from bot.rendering.markup import bold, clean
from bot.timezones import zone_label


@dataclass(frozen=True, slots=True)
class KeyboardReply:
    """A message with a reply keyboard (the chat picker) or that removes it."""

    text: str
    markup: ReplyKeyboardMarkup | ReplyKeyboardRemove


# The request_id of the /channel picker: a chat_shared with it answers that picker.
CHANNEL_REQUEST_ID = 1


def only_admins(tr: Translator) -> str:
    return tr._("Only group admins can change this group's digest.")


def only_admins_language(tr: Translator) -> str:
    return tr._("Only group admins can change the language I write in here.")


def topic_gone_notice(tr: Translator) -> str:
    return tr._(
        "The topic this group's daily digest went to was deleted, so the digest is stopped. "
        "An admin can send /subscribe in another topic to bring it back with the same settings."
    )


def _post_rights() -> ChatAdministratorRights:
    """Only the right to post messages (a picker's filter: more would hide fit channels)."""
    no = False
    return ChatAdministratorRights(
        no, no, no, no, no, no, no, no, no, no, no, can_post_messages=True
    )  # fmt: skip


def channel_picker(tr: Translator) -> KeyboardReply:
    """The native chat picker: channels where both the user and the bot may post."""
    button = KeyboardButton(
        tr._("📢 Choose a channel"),
        request_chat=KeyboardButtonRequestChat(
            CHANNEL_REQUEST_ID,
            chat_is_channel=True,
            user_administrator_rights=_post_rights(),
            bot_administrator_rights=_post_rights(),
            request_title=True,
        ),
    )
    return KeyboardReply(
        tr._(
            "📢 Which channel should get a daily digest? Tap the button and choose one where you "
            "may post and I am an admin who may post too, or send <code>/channel @name</code>."
        ),
        ReplyKeyboardMarkup([[button]], resize_keyboard=True, one_time_keyboard=True),
    )


def channel_linked(tr: Translator, title: str, minute: int, zone: str) -> KeyboardReply:
    name = bold(title)  # built before the call: the extractor skips f-strings inside tr._
    return KeyboardReply(
        tr._(
            "📢 {title} is linked: its digest goes out daily at {time} ({zone}). "
            "/settings here changes it.",
            title=name,
            time=format_minute(minute),
            zone=clean(zone_label(zone)),
        ),
        ReplyKeyboardRemove(),
    )


def link_problem(tr: Translator, problem: LinkProblem) -> KeyboardReply:
    texts = {
        LinkProblem.NOT_FOUND: tr._(
            "I cannot find that channel. Add me to it as an admin first, then try again."
        ),
        LinkProblem.NOT_A_CHANNEL: tr._(
            "That is not a channel. /channel links a channel; in a group, send /subscribe there."
        ),
        LinkProblem.BOT_CANNOT_POST: tr._(
            "I am not an admin of that channel with the right to post messages. "
            "Give me that right, then try again."
        ),
        LinkProblem.USER_CANNOT_POST: tr._(
            "Only the channel's admins who may post messages can link it."
        ),
    }
    return KeyboardReply(clean(texts[problem]), ReplyKeyboardRemove())


def channel_removed(tr: Translator, title: str) -> str:
    name = bold(title)
    return tr._(
        "I was removed from {title}, so its daily digest is stopped. Add me back as an admin "
        "and it resumes with the same settings.",
        title=name,
    )


def channel_back(tr: Translator, title: str) -> str:
    name = bold(title)
    return tr._(
        "I am back in {title}: its daily digest resumes with the same settings.",
        title=name,
    )


def channel_usage(tr: Translator) -> Reply:
    return Reply(tr._("Send /channel in your private chat with me to link a channel."))


def words_question(tr: Translator) -> str:
    return tr._(
        "🔤 Which words? Send words to require with + and words to leave out with -, e.g. "
        "<code>+election -football</code> (or: none). Typos are forgiven. /cancel to leave it."
    )


def words_listed(tr: Translator, words: Sequence[str]) -> str:
    """The word filters as the settings card shows them."""
    return ", ".join(words) if words else tr._("none")


def words_none_today(tr: Translator, words: Sequence[str]) -> str:
    return tr._(
        "No article of the last day matches your words ({words}) yet: your digest stays "
        "empty until one does.",
        words=clean(words_listed(tr, words)),
    )


def words_matching(tr: Translator, count: int, words: Sequence[str]) -> str:
    return tr.ngettext(
        "{count} article of the last day matches your words ({words}).",
        "{count} articles of the last day match your words ({words}).",
        count,
        words=clean(words_listed(tr, words)),
    )


def no_words_given(tr: Translator) -> str:
    return tr._("Send words with + or -, e.g. +election -football, or: none.")
