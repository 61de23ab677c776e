"""/subscribe, /unsubscribe, /settings (with its buttons) and /digest."""

from __future__ import annotations

from telegram import ForceReply, Message, Update
from telegram.ext import filters

from bot.arguments import parse_subscribe
from bot.callbacks import SettingsChange
from bot.rendering.cards import Reply
from bot.rendering.subscriptions import (
    TOPICS_QUESTION,
    ZONE_QUESTION,
    settings_card,
    subscribed,
)
from bot.rendering.texts import plain
from bot.subscriptions import SIZES, zone_problem
from bot.timezones import match_timezone
from handlers.common import Context, command_argument, edit_or_send, send, services


def _ids(update: Update) -> tuple[int, int | None]:
    chat = update.effective_chat
    user = update.effective_user
    assert chat is not None
    return chat.id, user.id if user else None


async def subscribe_command(update: Update, context: Context) -> None:
    await subscribe_with(update, context, command_argument(update))


async def subscribe_start(update: Update, context: Context) -> None:
    """The 🔔 button under the welcome message: subscribe with defaults (or what they had)."""
    await subscribe_with(update, context, "")


async def subscribe_with(update: Update, context: Context, argument: str) -> None:
    args = parse_subscribe(argument)
    if isinstance(args, str):
        await send(update, plain(args))
        return
    chat_id, user_id = _ids(update)
    outcome = await services(context).subscriptions.subscribe(chat_id, user_id, args)
    if isinstance(outcome, str):
        await send(update, plain(outcome))
        return
    await send(
        update, subscribed(outcome.subscriber, outcome.next_at, was_active=outcome.was_active)
    )


async def unsubscribe_command(update: Update, context: Context) -> None:
    chat_id, _ = _ids(update)
    subscriptions = services(context).subscriptions
    if await subscriptions.unsubscribe(chat_id):
        await send(
            update, Reply("🔕 Unsubscribed. Your settings are kept: /subscribe brings it back.")
        )
    elif await subscriptions.get(chat_id) is not None:
        await send(update, Reply("Your digest is already off. /subscribe brings it back."))
    else:
        await send(update, Reply("You have no daily digest. /subscribe starts one."))


async def settings_command(update: Update, context: Context) -> None:
    chat_id, _ = _ids(update)
    found = services(context)
    await send(
        update,
        settings_card(await found.subscriptions.get(chat_id), found.settings.DEFAULT_TIMEZONE),
    )


async def settings_button(update: Update, context: Context, change: SettingsChange) -> None:
    query = update.callback_query
    assert query is not None
    chat_id, _ = _ids(update)
    found = services(context)
    subscriptions = found.subscriptions
    current = await subscriptions.get(chat_id)
    if current is None:
        await query.answer()
        await edit_or_send(update, settings_card(None, found.settings.DEFAULT_TIMEZONE))
        return
    if change.action == "time":
        await subscriptions.change(chat_id, minute=current.delivery_minute + change.value)
    elif change.action == "size" and change.value in SIZES:
        await subscriptions.change(chat_id, size=change.value)
    elif change.action == "topics":
        await subscriptions.change(chat_id, topics=())
    elif change.action == "off":
        await subscriptions.unsubscribe(chat_id)
    elif change.action == "on":
        await subscribe_with(update, context, "")
    elif change.action in ("ask_zone", "ask_topics"):
        await query.answer()
        question = ZONE_QUESTION if change.action == "ask_zone" else TOPICS_QUESTION
        await context.bot.send_message(chat_id, question, reply_markup=ForceReply(selective=True))
        return
    await query.answer("Saved")
    await edit_or_send(
        update, settings_card(await subscriptions.get(chat_id), found.settings.DEFAULT_TIMEZONE)
    )


async def digest_command(update: Update, context: Context) -> None:
    """A preview of my digest now; it does not count as the day's delivery."""
    chat_id, user_id = _ids(update)
    found = services(context)
    subscriber = await found.subscriptions.get(chat_id) or found.subscriptions.transient(
        chat_id, user_id
    )
    reply = await found.digests.preview(subscriber)
    if reply is None:
        await send(update, Reply("Nothing new since your last digest. /latest shows the newest."))
        return
    await send(update, reply)


class AnswerTo(filters.MessageFilter):
    """A text message that replies to one of the bot's settings questions."""

    def __init__(self, question: str) -> None:
        super().__init__(name=f"AnswerTo({question[:12]})")
        self.question = question

    def filter(self, message: Message) -> bool:
        replied = message.reply_to_message
        return bool(
            message.text
            and replied is not None
            and replied.from_user is not None
            and replied.from_user.is_bot
            and replied.text == self.question
        )


ZONE_ANSWER = AnswerTo(ZONE_QUESTION)
TOPICS_ANSWER = AnswerTo(TOPICS_QUESTION)


async def zone_answer(update: Update, context: Context) -> None:
    chat_id, _ = _ids(update)
    typed = (update.effective_message.text or "") if update.effective_message else ""
    if problem := zone_problem(typed):
        await send(update, plain(problem))
        return
    found = services(context)
    changed = await found.subscriptions.change(chat_id, zone=match_timezone(typed).zone)
    await send(update, settings_card(changed, found.settings.DEFAULT_TIMEZONE))


async def topics_answer(update: Update, context: Context) -> None:
    chat_id, _ = _ids(update)
    typed = (update.effective_message.text or "") if update.effective_message else ""
    parsed = parse_subscribe("topics: " + typed)
    if isinstance(parsed, str):
        await send(update, plain(parsed))
        return
    topics = () if typed.strip().lower() in ("all", "none", "-") else parsed.topics or ()
    found = services(context)
    changed = await found.subscriptions.change(chat_id, topics=topics)
    await send(update, settings_card(changed, found.settings.DEFAULT_TIMEZONE))
