"""Messages about the reader's digest subscription, and the questions asked to set it up."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.callbacks import SettingsChange, ZoneChoice
from bot.digests.schedule import format_minute
from bot.rendering.cards import Reply
from bot.rendering.chats import words_listed, words_none_today
from bot.rendering.markup import clean, echo
from bot.subscriptions import EmptyReason
from bot.timezones import EXAMPLES, ZoneMatch, clock_name, zone_info, zone_label
from storage.models import Subscriber

MAX_TOPICS_LISTED = 30


def _local(moment: datetime, zone_name: str) -> str:
    """`Mon 30 Nov at 08:00 CET` (or `UTC+5:30`) in the subscriber's zone."""
    local = moment.astimezone(zone_info(zone_name))
    return local.strftime("%a %-d %b at %H:%M ") + clock_name(moment, zone_name)


def _topics_listed(known: Sequence[str]) -> str:
    shown = ", ".join(clean(name) for name in known[:MAX_TOPICS_LISTED]) or "none yet"
    more = len(known) - MAX_TOPICS_LISTED
    return shown + (f" and {more} more" if more > 0 else "")


def unknown_topics_note(unknown: Sequence[str], known: Sequence[str]) -> str:
    quoted = ", ".join(f"“{clean(echo(t))}”" for t in unknown)
    return f"No articles have the topic {quoted}: left out. Topics I know: {_topics_listed(known)}."


def subscribed(
    subscriber: Subscriber,
    next_at: datetime,
    *,
    was_active: bool,
    unknown_topics: Sequence[str] = (),
    known_topics: Sequence[str] = (),
) -> Reply:
    verb = "Updated" if was_active else "Subscribed"
    topics = f"\nTopics: {clean(', '.join(subscriber.topics))}" if subscriber.topics else ""
    if subscriber.words:
        topics += f"\nWords: {clean(words_listed(subscriber.words))}"
    label = clean(zone_label(subscriber.timezone))
    note = f"\n⚠️ {unknown_topics_note(unknown_topics, known_topics)}" if unknown_topics else ""
    return Reply(
        f"🔔 {verb}! Your digest comes every day at "
        f"<b>{format_minute(subscriber.delivery_minute)}</b> ({label}), "
        f"up to {subscriber.digest_size} stories.{topics}{note}\n"
        f"Next one: <b>{_local(next_at, subscriber.timezone)}</b>.\n\n"
        "/settings to change it, /digest for a preview, /unsubscribe to stop."
    )


def settings_card(
    subscriber: Subscriber | None,
    default_zone: str,
    note: str = "",
    *,
    channels: Sequence[Subscriber] = (),
) -> Reply:
    """The digest's settings with buttons to change them. `channels`: the channels the reader
    linked, each a button to switch to (and one back to their own digest)."""
    switch = _switch_row(subscriber, channels)
    if subscriber is None:
        return Reply(
            "You have no daily digest yet. <code>/subscribe 7:30 Europe/Berlin</code> starts one "
            f"(time and zone are optional: 08:00 and {clean(zone_label(default_zone))} by "
            "default).",
            InlineKeyboardMarkup([switch]) if switch else None,
        )
    state = "on" if subscriber.active else "off"
    topics = ", ".join(subscriber.topics) if subscriber.topics else "all (no filter)"
    next_one = (
        f"Next digest: <b>{_local(subscriber.next_due_at, subscriber.timezone)}</b>\n"
        if subscriber.active
        else ""
    )
    text = (
        (f"⚠️ {note}\n\n" if note else "") + _card_title(subscriber) + "\n"
        f"Status: <b>{state}</b>\n"
        f"Time: <b>{format_minute(subscriber.delivery_minute)}</b>\n"
        f"Timezone: <b>{clean(zone_label(subscriber.timezone))}</b>\n"
        f"Topics: <b>{clean(topics)}</b>\n"
        f"Words: <b>{clean(words_listed(subscriber.words))}</b>\n"
        f"Stories: <b>{subscriber.digest_size}</b>\n"
        f"{next_one}\n"
        + (
            "Change it with the buttons below."
            if subscriber.kind == "channel"  # /subscribe here would be the reader's own digest
            else "Change the zone or topics with "
            "<code>/subscribe 7:30 Asia/Tokyo topics: syria, elections</code>."
        )
    )

    chat = subscriber.chat_id if subscriber.kind == "channel" else 0

    def button(label: str, change: SettingsChange) -> InlineKeyboardButton:
        change = SettingsChange(change.action, change.value, chat)
        return InlineKeyboardButton(label, callback_data=callbacks.encode(change))

    rows = [
        [
            button("− 1 hour", SettingsChange("time", -60)),
            button("+ 1 hour", SettingsChange("time", 60)),
        ],
        [
            button("🌍 Timezone", SettingsChange("ask_zone")),
            button("🏷 Topics", SettingsChange("ask_topics")),
            button("🔤 Words", SettingsChange("ask_words")),
        ],
        [
            button(_size_label(n, subscriber.digest_size), SettingsChange("size", n))
            for n in (3, 5, 10)
        ],
    ]
    if subscriber.topics:
        rows.append([button("All topics", SettingsChange("topics"))])
    if subscriber.words:
        rows.append([button("No word filters", SettingsChange("no_words"))])
    rows.append(
        [button("Stop digest", SettingsChange("off"))]
        if subscriber.active
        else [button("Resume digest", SettingsChange("on"))]
    )
    if switch:
        rows.append(switch)
    return Reply(text, InlineKeyboardMarkup(rows))


def _card_title(subscriber: Subscriber) -> str:
    if subscriber.kind == "channel":
        name = clean(subscriber.title or str(subscriber.chat_id))
        return f"📢 <b>Digest of {name}</b>"
    return "⚙️ <b>Your digest</b>"


def _switch_row(
    shown: Subscriber | None, channels: Sequence[Subscriber]
) -> list[InlineKeyboardButton]:
    """Buttons to the reader's other chats: their own digest and each channel they linked."""
    if not channels:
        return []
    row = []
    if shown is not None and shown.kind == "channel":
        row.append(
            InlineKeyboardButton(
                "👤 My digest", callback_data=callbacks.encode(SettingsChange("show"))
            )
        )
    for channel in channels:
        if shown is not None and channel.chat_id == shown.chat_id:
            continue
        change = SettingsChange("show", 0, channel.chat_id)
        label = f"📢 {channel.title or channel.chat_id}"[:40]
        row.append(InlineKeyboardButton(label, callback_data=callbacks.encode(change)))
    return row[:4]


CANCEL_HINT = "/cancel to leave it."
ZONE_QUESTION = (
    "🌍 Which timezone? Send a city, a country or an IANA name, e.g. Berlin, Mumbai or "
    f"America/New_York. {CANCEL_HINT}"
)
TOPICS_QUESTION = (
    "🏷 Which topics? Send them separated by commas, e.g. syria, elections (or: all). " + CANCEL_HINT
)


@dataclass(frozen=True, slots=True)
class Ask:
    """A question to send: its HTML text, and buttons to choose from or a forced reply."""

    text: str
    markup: InlineKeyboardMarkup | ForceReply


def forced(text: str) -> Ask:
    """A question the answer to which is the next message (a forced reply, in groups too)."""
    return Ask(text, ForceReply(selective=True))


def zone_question(typed: str | None = None, match: ZoneMatch | None = None) -> Ask:
    """Ask for a zone: the choices as buttons when there are a few, else an open question."""
    if typed is None or match is None:
        return forced(ZONE_QUESTION)
    if not match.choices:
        return forced(
            f"I don't know the timezone “{clean(echo(typed))}”. Send a city, a country or an IANA "
            f"name, e.g. {EXAMPLES}. {CANCEL_HINT}"
        )
    lines = [f"🌍 “{clean(echo(typed))}” could be one of these. Tap one, or send a city:"]
    lines += [f"• {clean(choice.label)}" for choice in match.choices]
    if match.more:
        lines.append(f"… and {match.more} more: send a city to find yours.")
    lines.append(CANCEL_HINT)
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    choice.places or zone_label(choice.zone),
                    callback_data=callbacks.encode(ZoneChoice(choice.zone)),
                )
            ]
            for choice in match.choices
        ]
    )
    return Ask("\n".join(lines), keyboard)


def topics_question() -> Ask:
    return forced(TOPICS_QUESTION)


def topics_again(problem: str) -> Ask:
    """Topics that could not be read (too many, too long): say why and ask again."""
    return forced(f"{clean(problem)}\n{TOPICS_QUESTION}")


def topics_unknown(unknown: Sequence[str], known: Sequence[str]) -> Ask:
    quoted = ", ".join(f"“{clean(echo(t))}”" for t in unknown)
    return forced(
        f"No articles have the topic {quoted}. Topics I know: {_topics_listed(known)}.\n"
        f"Send one or more of them separated by commas (or: all). {CANCEL_HINT}"
    )


def cancelled(had_question: bool) -> Reply:
    return Reply("OK, cancelled." if had_question else "There was nothing to cancel.")


def empty_digest(reason: EmptyReason, topics: Sequence[str], words: Sequence[str] = ()) -> Reply:
    if reason == "no_articles_match_words":
        return Reply(words_none_today(words))
    if reason == "no_articles_on_topics":
        return Reply(
            f"No articles have your topics ({clean(', '.join(topics))}) yet. "
            "/settings to change them, /latest for the newest stories."
        )
    if reason == "nothing_new":
        return Reply("Nothing new since your last digest. /latest shows the newest.")
    return Reply(
        "Your digest would be empty: no articles were added in the last 24 hours. "
        "/latest shows the newest."
    )


def _size_label(size: int, chosen: int) -> str:
    return ("✓ " if size == chosen else "") + f"{size} stories"
