"""/subscribe, /unsubscribe, /settings (with its buttons), /digest, and the answers to the
questions they ask (a time, a timezone, topics), which stay open until answered or /cancel."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot.arguments import ArgumentProblem, SubscribeArgs, TwoTimes, parse_subscribe
from bot.callbacks import SettingsChange, ZoneChoice
from bot.chat_admins import LinkProblem
from bot.i18n import Translator
from bot.rendering import texts
from bot.rendering.cards import Reply
from bot.rendering.chats import (
    link_problem,
    no_words_given,
    words_matching,
    words_none_today,
    words_question,
)
from bot.rendering.subscriptions import (
    Ask,
    already_off,
    cancelled,
    empty_digest,
    forced,
    not_subscribed,
    settings_card,
    subscribed,
    time_question,
    topics_again,
    topics_question,
    topics_unknown,
    unknown_topics_note,
    unsubscribed,
    warning,
    zone_city_note,
    zone_question,
)
from bot.subscriptions import (
    ALL_WORDS,
    SIZES,
    Subscribed,
    TopicsUnknown,
    ZoneUnclear,
    typed_words,
)
from bot.timezones import City, is_zone
from handlers.common import (
    Context,
    command_argument,
    edit_or_send,
    reader,
    send,
    services,
    thread_of,
)
from handlers.groups import may_change, place_of
from storage.models import Subscriber

ZONE, TOPICS, WORDS, TIME = "zone", "topics", "words", "time"
# The settings buttons that ask something: the question, and its kind.
ASKS: dict[str, tuple[Callable[[Translator], Ask], str]] = {
    "ask_zone": (zone_question, ZONE),
    "ask_topics": (topics_question, TOPICS),
    "ask_words": (lambda tr: forced(words_question(tr)), WORDS),
}


def _ids(update: Update) -> tuple[int, int | None]:
    chat = update.effective_chat
    user = update.effective_user
    assert chat is not None
    return chat.id, user.id if user else None


async def _ask(
    update: Update, context: Context, ask: Ask, kind: str, pending: dict[str, Any]
) -> None:
    """Send a question and remember it: the chat's next text (a reply to it in a group)
    answers it."""
    chat_id, _ = _ids(update)
    subscriptions = services(context).subscriptions
    # Open before it is sent: an answer typed the moment it shows must find it open.
    await subscriptions.ask(chat_id, 0, kind, pending)
    message = update.message
    if message is not None:
        sent = await message.reply_text(ask.text, reply_markup=ask.markup)
    else:
        sent = await context.bot.send_message(
            chat_id, ask.text, reply_markup=ask.markup, message_thread_id=thread_of(update)
        )
    await subscriptions.asked_in(chat_id, kind, sent.message_id)


def _pending(args: SubscribeArgs) -> dict[str, Any]:
    """What a /subscribe waiting for an answer keeps of what was typed."""
    return {
        "subscribe": True,
        "minute": args.minute,
        "zone": args.zone,
        "topics": list(args.topics) if args.topics is not None else None,
        "words": list(args.words) if args.words is not None else None,
    }


def _args(pending: dict[str, Any], **changes: Any) -> SubscribeArgs:
    topics = changes.get("topics", pending.get("topics"))
    words = changes.get("words", pending.get("words"))
    return SubscribeArgs(
        changes.get("minute", pending.get("minute")),
        str(changes.get("zone", pending.get("zone")) or ""),
        tuple(topics) if topics is not None else None,
        tuple(words) if words is not None else None,
    )


async def subscribe_command(update: Update, context: Context) -> None:
    if await may_change(update, context):
        await subscribe_with(update, context, command_argument(update))


async def subscribe_start(update: Update, context: Context) -> None:
    """The 🔔 button under the welcome message: subscribe with defaults (or what they had),
    and show when it comes with the buttons to change it."""
    if await may_change(update, context):
        await subscribe_with(update, context, "", with_settings=True)


async def subscribe_with(
    update: Update, context: Context, argument: str, *, with_settings: bool = False
) -> None:
    args = parse_subscribe(argument)
    if isinstance(args, ArgumentProblem):
        await send(update, texts.argument_problem(await reader(update, context), args))
        return
    if isinstance(args, TwoTimes):
        await _ask_time(update, context, args.times, _pending(args.rest))
        return
    await _subscribe(update, context, args, with_settings=with_settings)


async def _ask_time(
    update: Update,
    context: Context,
    times: tuple[str, ...] | list[str],
    pending: dict[str, Any],
    typed: str | None = None,
) -> None:
    """Which of the times typed is meant: the answer goes on with the rest kept in `pending`."""
    ask = time_question(await reader(update, context), times, typed)
    await _ask(update, context, ask, TIME, {**pending, "times": list(times)})


async def _subscribe(
    update: Update,
    context: Context,
    args: SubscribeArgs,
    *,
    with_settings: bool = False,
    zone_city: City | None = None,
) -> None:
    """`zone_city`: the city a zone answered was found by (the zone passed is its IANA name)."""
    chat_id, user_id = _ids(update)
    subscriptions = services(context).subscriptions
    tr = await reader(update, context)
    outcome = await subscriptions.subscribe(chat_id, user_id, args, place_of(update))
    if isinstance(outcome, ZoneUnclear):
        ask = zone_question(tr, outcome.typed, outcome.match)
        await _ask(update, context, ask, ZONE, _pending(args))
        return
    if isinstance(outcome, TopicsUnknown):
        ask = topics_unknown(tr, outcome.unknown, outcome.known)
        await _ask(update, context, ask, TOPICS, _pending(args))
        return
    await subscriptions.close_question(chat_id)
    if zone_city and not outcome.zone_city:
        outcome = replace(outcome, zone_city=zone_city)
    await _confirm(update, context, outcome, with_settings=with_settings)


async def _confirm(
    update: Update, context: Context, outcome: Subscribed, *, with_settings: bool = False
) -> None:
    found = services(context)
    tr = await reader(update, context)
    known = await found.subscriptions.known_topics() if outcome.unknown_topics else []
    reply = subscribed(
        tr,
        outcome.subscriber,
        outcome.next_at,
        was_active=outcome.was_active,
        unknown_topics=outcome.unknown_topics,
        known_topics=known,
        zone_city=outcome.zone_city,
    )
    if with_settings:
        card = settings_card(tr, outcome.subscriber, found.settings.DEFAULT_TIMEZONE)
        reply = type(reply)(reply.text, card.keyboard)
    await send(update, reply)
    if outcome.words_matching == 0:  # a filter that matches nothing today says so
        await send(update, Reply(words_none_today(tr, outcome.subscriber.words)))


async def unsubscribe_command(update: Update, context: Context) -> None:
    if not await may_change(update, context):
        return
    chat_id, _ = _ids(update)
    subscriptions = services(context).subscriptions
    tr = await reader(update, context)
    if await subscriptions.unsubscribe(chat_id):
        await send(update, unsubscribed(tr))
    elif await subscriptions.get(chat_id) is not None:
        await send(update, already_off(tr))
    else:
        await send(update, not_subscribed(tr))


async def cancel_command(update: Update, context: Context) -> None:
    if not await may_change(update, context):  # a member must not drop an admin's question
        return
    chat_id, _ = _ids(update)
    tr = await reader(update, context)
    had = await services(context).subscriptions.close_question(chat_id)
    await send(update, cancelled(tr, had))


async def settings_command(update: Update, context: Context) -> None:
    chat_id, _ = _ids(update)
    await send(update, await _card(context, chat_id, update))


async def _card(context: Context, chat_id: int, update: Update, note: str = "") -> Reply:
    """The settings of `chat_id` (a linked channel, or the chat itself), with buttons to the
    reader's other chats in a private chat."""
    found = services(context)
    tr = await reader(update, context)
    chat = update.effective_chat
    channels: list[Subscriber] = []
    if chat is not None and chat.type == ChatType.PRIVATE:
        channels = await found.subscriptions.channels_of(chat.id)
    shown = await found.subscriptions.get(chat_id)
    return settings_card(tr, shown, found.settings.DEFAULT_TIMEZONE, note, channels=channels)


async def _target(update: Update, context: Context, change: SettingsChange) -> int | None:
    """The chat a settings button changes: the one it is in, or a linked channel the presser
    may still post in (else None: they are told)."""
    chat_id, user_id = _ids(update)
    if not change.chat:
        return chat_id if await may_change(update, context) else None
    found = services(context)
    channel = await found.subscriptions.get(change.chat)
    allowed = (
        channel is not None
        and channel.kind == "channel"
        and user_id is not None
        and await found.chat_admins.may_manage_channel(change.chat, user_id)
    )
    if not allowed:
        assert update.callback_query is not None
        tr = await reader(update, context)
        await update.callback_query.answer(
            link_problem(tr, LinkProblem.USER_CANNOT_POST).text, show_alert=True
        )
        return None
    return change.chat


async def settings_button(update: Update, context: Context, change: SettingsChange) -> None:
    query = update.callback_query
    assert query is not None
    target = await _target(update, context, change)
    if target is None:
        return
    chat_id, user_id = _ids(update)
    found = services(context)
    subscriptions = found.subscriptions
    tr = await reader(update, context)
    current = await subscriptions.get(target)
    if current is None or change.action == "show":
        await query.answer()
        await edit_or_send(update, await _card(context, target, update))
        return
    on_channel = {"chat": target} if target != chat_id else {}
    chat_id = target
    if change.action == "time":
        await subscriptions.change(chat_id, minute=current.delivery_minute + change.value)
    elif change.action == "size" and change.value in SIZES:
        await subscriptions.change(chat_id, size=change.value)
    elif change.action == "topics":
        await subscriptions.change(chat_id, topics=())
    elif change.action == "no_words":
        await subscriptions.change(chat_id, words=())
    elif change.action == "off":
        await subscriptions.unsubscribe(chat_id)
    elif change.action == "on" and on_channel:
        await subscriptions.subscribe(chat_id, user_id, SubscribeArgs(None, "", None))
    elif change.action == "on":
        await subscribe_with(update, context, "")
    elif change.action in ASKS:
        await query.answer()
        ask, kind = ASKS[change.action]
        await _ask(update, context, ask(tr), kind, on_channel)
        return
    await query.answer(texts.saved(tr))
    await edit_or_send(update, await _card(context, chat_id, update))


async def digest_command(update: Update, context: Context) -> None:
    """A preview of my digest now; it does not count as the day's delivery."""
    chat_id, user_id = _ids(update)
    found = services(context)
    tr = await reader(update, context)  # recorded first: the preview is in the chat's language
    subscriber = await found.subscriptions.get(chat_id) or found.subscriptions.transient(
        chat_id, user_id
    )
    reply = await found.digests.preview(subscriber)
    if reply is None:
        reason = await found.subscriptions.empty_reason(subscriber)
        await send(update, empty_digest(tr, reason, subscriber.topics, subscriber.words))
        return
    await send(update, reply)


async def _set_zone(
    update: Update, context: Context, zone: str, pending: dict[str, Any], city: City | None = None
) -> None:
    """A zone chosen (typed or tapped): for a /subscribe waiting on it, or for the settings.
    `city`: the city a typed zone was found by, to name (the /subscribe finds it again)."""
    asked_in, _ = _ids(update)
    chat_id = int(pending.get("chat") or asked_in)
    found = services(context)
    if pending.get("subscribe") or await found.subscriptions.get(chat_id) is None:
        await _subscribe(update, context, _args(pending, zone=zone), zone_city=city)
        return
    await found.subscriptions.close_question(asked_in)
    await found.subscriptions.change(chat_id, zone=zone)
    note = zone_city_note(await reader(update, context), city, zone) if city is not None else ""
    card = await _card(context, chat_id, update, note)
    if update.callback_query is not None:
        await edit_or_send(update, card)  # the choices give way to the settings
    else:
        await send(update, card)


async def _set_topics(
    update: Update, context: Context, typed: str, pending: dict[str, Any]
) -> None:
    asked_in, _ = _ids(update)
    chat_id = int(pending.get("chat") or asked_in)
    found = services(context)
    tr = await reader(update, context)
    parsed = parse_subscribe("topics: " + typed)
    if isinstance(parsed, ArgumentProblem):
        ask = topics_again(tr, texts.argument_problem(tr, parsed))
        await _ask(update, context, ask, TOPICS, pending)
        return
    if isinstance(parsed, TwoTimes):  # `syria 7:30, 8am`: the topics kept, the time asked
        if pending.get("subscribe"):
            topics_typed = list(parsed.rest.topics or ())
            await _ask_time(update, context, parsed.times, {**pending, "topics": topics_typed})
            return
        parsed = parsed.rest  # the settings' topics question: a time typed is no matter
    topics = parsed.topics or ()
    if pending.get("subscribe"):
        minute = parsed.minute if parsed.minute is not None else pending.get("minute")
        await _subscribe(update, context, _args(pending, topics=list(topics), minute=minute))
        return
    checked = await found.subscriptions.check_topics(topics)
    if isinstance(checked, TopicsUnknown):
        ask = topics_unknown(tr, checked.unknown, checked.known)
        await _ask(update, context, ask, TOPICS, pending)
        return
    await found.subscriptions.close_question(asked_in)
    await found.subscriptions.change(chat_id, topics=checked.matched)
    note = (
        warning(unknown_topics_note(tr, checked.unknown, await found.subscriptions.known_topics()))
        if checked.unknown
        else ""
    )
    await send(update, await _card(context, chat_id, update, note))


async def _set_time(update: Update, context: Context, typed: str, pending: dict[str, Any]) -> None:
    """The answer to "which time": a time (with a zone, topics or words beside it, if typed,
    in place of those of the /subscribe); the rest of the /subscribe is kept."""
    parsed = parse_subscribe(typed)
    if not isinstance(parsed, SubscribeArgs) or parsed.minute is None:
        await _ask_time(update, context, pending.get("times") or [], pending, typed)
        return
    changes: dict[str, Any] = {"minute": parsed.minute}
    if parsed.zone:
        changes["zone"] = parsed.zone
    if parsed.topics is not None:
        changes["topics"] = list(parsed.topics)
    if parsed.words is not None:
        changes["words"] = list(parsed.words)
    await _subscribe(update, context, _args(pending, **changes))


async def _set_words(update: Update, context: Context, typed: str, pending: dict[str, Any]) -> None:
    asked_in, _ = _ids(update)
    chat_id = int(pending.get("chat") or asked_in)
    found = services(context)
    tr = await reader(update, context)
    if not typed_words(typed) and typed.strip().lower() not in ALL_WORDS:
        await _ask(update, context, forced(no_words_given(tr)), WORDS, pending)
        return
    await found.subscriptions.close_question(asked_in)
    outcome = await found.subscriptions.set_words(chat_id, typed)
    words = outcome.subscriber.words if outcome else []
    note = ""
    if outcome is not None and words:
        note = (
            words_matching(tr, outcome.matching, words)
            if outcome.matching
            else warning(words_none_today(tr, words))
        )
    await send(update, await _card(context, chat_id, update, note))


def _replies_to(message: Message, question_id: int, context: Context) -> bool:
    """Whether a group message replies to the question (id 0: its id is being recorded, the
    moment after it was sent; a reply to one of ours then is taken for it)."""
    replied = message.reply_to_message
    if replied is None:
        return False
    if question_id:
        return replied.message_id == question_id
    return replied.from_user is not None and replied.from_user.id == context.bot.id


async def question_answer(update: Update, context: Context) -> None:
    """Text that answers the chat's open question is taken as the answer (and goes no
    further: it is not a search). In a group only a reply to the question counts."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None or not message.text:
        return
    question = await services(context).subscriptions.question(chat.id)
    if question is None:
        return
    if chat.type != ChatType.PRIVATE and not _replies_to(message, question.message_id, context):
        return
    if not await may_change(update, context):
        raise ApplicationHandlerStop
    typed = message.text.strip()
    pending = dict(question.pending or {})
    if question.kind == ZONE:
        found = await services(context).subscriptions.match_zone(typed)
        if found.zone is None:
            tr = await reader(update, context)
            await _ask(update, context, zone_question(tr, typed, found), ZONE, pending)
        else:
            await _set_zone(update, context, found.zone, pending, found.city)
    elif question.kind == TOPICS:
        await _set_topics(update, context, typed, pending)
    elif question.kind == WORDS:
        await _set_words(update, context, typed, pending)
    elif question.kind == TIME:
        await _set_time(update, context, typed, pending)
    raise ApplicationHandlerStop


async def zone_button(update: Update, context: Context, choice: ZoneChoice) -> None:
    """A zone tapped among the choices offered."""
    query = update.callback_query
    assert query is not None
    # The zone comes from the button: take it only if it is one the bot can use.
    tr = await reader(update, context)
    if not is_zone(choice.zone):
        await query.answer(texts.expired_button(tr), show_alert=True)
        return
    if not await may_change(update, context):
        return
    await query.answer(texts.saved(tr))
    chat_id, _ = _ids(update)
    question = await services(context).subscriptions.question(chat_id)
    pending = dict(question.pending) if question is not None and question.kind == ZONE else {}
    await _set_zone(update, context, choice.zone, pending)
