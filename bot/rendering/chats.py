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
from bot.rendering.cards import Reply
from bot.rendering.markup import clean
from bot.timezones import zone_label


@dataclass(frozen=True, slots=True)
class KeyboardReply:
    """A message with a reply keyboard (the chat picker) or that removes it."""

    text: str
    markup: ReplyKeyboardMarkup | ReplyKeyboardRemove


# The request_id of the /channel picker: a chat_shared with it answers that picker.
CHANNEL_REQUEST_ID = 1


def only_admins() -> str:
    return "Only group admins can change this group's digest."


def topic_gone_notice() -> str:
    return (
        "The topic this group's daily digest went to was deleted, so the digest is stopped. "
        "An admin can send /subscribe in another topic to bring it back with the same settings."
    )


def _post_rights() -> ChatAdministratorRights:
    """Only the right to post messages (a picker's filter: more would hide fit channels)."""
    no = False
    return ChatAdministratorRights(
        no, no, no, no, no, no, no, no, no, no, no, can_post_messages=True
    )  # fmt: skip


def channel_picker() -> KeyboardReply:
    """The native chat picker: channels where both the user and the bot may post."""
    button = KeyboardButton(
        "📢 Choose a channel",
        request_chat=KeyboardButtonRequestChat(
            CHANNEL_REQUEST_ID,
            chat_is_channel=True,
            user_administrator_rights=_post_rights(),
            bot_administrator_rights=_post_rights(),
            request_title=True,
        ),
    )
    return KeyboardReply(
        "📢 Which channel should get a daily digest? Tap the button and choose one where you "
        "may post and I am an admin who may post too, or send <code>/channel @name</code>.",
        ReplyKeyboardMarkup([[button]], resize_keyboard=True, one_time_keyboard=True),
    )


def channel_linked(title: str, minute: int, zone: str) -> KeyboardReply:
    return KeyboardReply(
        "📢 {title} is linked: its digest goes out daily at {time} ({zone}). "
        "/settings here changes it.".format(
            title=f"<b>{clean(title)}</b>",
            time=format_minute(minute),
            zone=clean(zone_label(zone)),
        ),
        ReplyKeyboardRemove(),
    )


def link_problem(problem: LinkProblem) -> KeyboardReply:
    texts = {
        LinkProblem.NOT_FOUND: "I cannot find that channel. Add me to it as an admin first, "
        "then try again.",
        LinkProblem.NOT_A_CHANNEL: "That is not a channel. /channel links a channel; in a "
        "group, send /subscribe there.",
        LinkProblem.BOT_CANNOT_POST: "I am not an admin of that channel with the right to "
        "post messages. Give me that right, then try again.",
        LinkProblem.USER_CANNOT_POST: "Only the channel's admins who may post messages can "
        "link it.",
    }
    return KeyboardReply(clean(texts[problem]), ReplyKeyboardRemove())


def channel_removed(title: str) -> str:
    return (
        "I was removed from {title}, so its daily digest is stopped. Add me back as an admin "
        "and it resumes with the same settings."
    ).format(title=f"<b>{clean(title)}</b>")


def channel_back(title: str) -> str:
    return "I am back in {title}: its daily digest resumes with the same settings.".format(
        title=f"<b>{clean(title)}</b>"
    )


def channel_usage() -> Reply:
    return Reply("Send /channel in your private chat with me to link a channel.")


WORDS_QUESTION = (
    "🔤 Which words? Send words to require with + and words to leave out with -, e.g. "
    "<code>+election -football</code> (or: none). Typos are forgiven. /cancel to leave it."
)


def words_listed(words: Sequence[str]) -> str:
    """The word filters as the settings card shows them."""
    return ", ".join(words) if words else "none"


def words_none_today(words: Sequence[str]) -> str:
    listed = clean(words_listed(words))
    return (
        f"No article of the last day matches your words ({listed}) yet: your digest stays "
        "empty until one does."
    )


def words_matching(count: int, words: Sequence[str]) -> str:
    listed = clean(words_listed(words))
    return f"{count} articles of the last day match your words ({listed})."


def no_words_given() -> str:
    return "Send words with + or -, e.g. +election -football, or: none."
