"""Messages about the reader's digest subscription, and the questions asked to set it up."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.callbacks import SettingsChange, ZoneChoice
from bot.digests.schedule import format_minute
from bot.i18n import Translator
from bot.rendering.cards import Reply
from bot.rendering.chats import words_listed, words_none_today
from bot.rendering.markup import clean, echo
from bot.rendering.texts import topic_list
from bot.subscriptions import EmptyReason
from bot.timezones import (
    EXAMPLES,
    Choice,
    City,
    ZoneMatch,
    clock_name,
    zone_info,
    zone_label,
)
from storage.models import Subscriber


def _local(tr: Translator, moment: datetime, zone_name: str) -> str:
    """`Mon 30 Nov at 08:00 CET` (or `UTC+5:30`) in the subscriber's zone and language."""
    local = moment.astimezone(zone_info(zone_name))
    return tr._(
        "{day} at {time} {zone}",
        day=tr.datetime(local, "EEE d MMM"),
        time=tr.datetime(local, "HH:mm"),
        zone=clock_name(moment, zone_name),
    )


def place_name(tr: Translator, places: Sequence[str], country: str = "") -> str:
    """`Munich, Германия`: places as GeoNames names them, the country in the reader's language."""
    return ", ".join([*places, tr.country(country)] if country else places)


def choice_label(tr: Translator, choice: Choice) -> str:
    """`Sydney, Melbourne (Australia/Sydney)`, or the zone alone."""
    named = place_name(tr, choice.places, choice.country)
    return f"{named} ({zone_label(choice.zone)})" if named else zone_label(choice.zone)


def warning(note: str) -> str:
    """A note that something was left out or will not work as hoped."""
    return f"⚠️ {note}"


def _quoted(tr: Translator, typed: Sequence[str]) -> str:
    return ", ".join(tr._("“{topic}”", topic=clean(echo(t))) for t in typed)


def unknown_topics_note(tr: Translator, unknown: Sequence[str], known: Sequence[str]) -> str:
    return tr._(
        "No articles have the topic {typed}: left out. Topics I know: {topics}.",
        typed=_quoted(tr, unknown),
        topics=topic_list(tr, list(known), 10_000),
    )


def subscribed(
    tr: Translator,
    subscriber: Subscriber,
    next_at: datetime,
    *,
    was_active: bool,
    unknown_topics: Sequence[str] = (),
    known_topics: Sequence[str] = (),
    zone_city: City | None = None,
) -> Reply:
    """`zone_city`: the city the zone typed was found by, named so a reader who meant another
    place sees it."""
    values = {
        "time": format_minute(subscriber.delivery_minute),
        "zone": clean(zone_label(subscriber.timezone)),
        "size": subscriber.digest_size,
    }
    if was_active:
        text = tr.ngettext(
            "🔔 Updated! Your digest comes every day at <b>{time}</b> ({zone}), "
            "up to {size} story.",
            "🔔 Updated! Your digest comes every day at <b>{time}</b> ({zone}), "
            "up to {size} stories.",
            subscriber.digest_size,
            **values,
        )
    else:
        text = tr.ngettext(
            "🔔 Subscribed! Your digest comes every day at <b>{time}</b> ({zone}), "
            "up to {size} story.",
            "🔔 Subscribed! Your digest comes every day at <b>{time}</b> ({zone}), "
            "up to {size} stories.",
            subscriber.digest_size,
            **values,
        )
    if zone_city:
        text += "\n" + zone_city_note(tr, zone_city, subscriber.timezone)
    if subscriber.topics:
        text += "\n" + tr._("Topics: {topics}", topics=clean(", ".join(subscriber.topics)))
    if subscriber.words:
        text += "\n" + tr._("Words: {words}", words=clean(words_listed(tr, subscriber.words)))
    if unknown_topics:
        text += "\n" + warning(unknown_topics_note(tr, unknown_topics, known_topics))
    next_one = tr._("Next one: <b>{when}</b>.", when=_local(tr, next_at, subscriber.timezone))
    hint = tr._("/settings to change it, /digest for a preview, /unsubscribe to stop.")
    return Reply(f"{text}\n{next_one}\n\n{hint}")


def zone_city_note(tr: Translator, city: City, zone: str) -> str:
    """The city a typed zone was found by, so a reader who meant another place sees it."""
    return tr._(
        "📍 {city} → {zone}. Another place? Send /subscribe with its name.",
        city=clean(place_name(tr, [city.name], city.country)),
        zone=clean(zone_label(zone)),
    )


def settings_card(
    tr: Translator,
    subscriber: Subscriber | None,
    default_zone: str,
    note: str = "",
    *,
    channels: Sequence[Subscriber] = (),
) -> Reply:
    """The digest's settings with buttons to change them. `channels`: the channels the reader
    linked, each a button to switch to (and one back to their own digest)."""
    switch = _switch_row(tr, subscriber, channels)
    if subscriber is None:
        return Reply(
            tr._(
                "You have no daily digest yet. <code>/subscribe 7:30 Europe/Berlin</code> "
                "starts one (time and zone are optional: 08:00 and {zone} by default).",
                zone=clean(zone_label(default_zone)),
            ),
            InlineKeyboardMarkup([switch]) if switch else None,
        )
    state = tr._("on") if subscriber.active else tr._("off")
    topics = ", ".join(subscriber.topics) if subscriber.topics else tr._("all (no filter)")
    next_one = (
        tr._(
            "Next digest: <b>{when}</b>",
            when=_local(tr, subscriber.next_due_at, subscriber.timezone),
        )
        + "\n"
        if subscriber.active
        else ""
    )
    text = (
        (f"{note}\n\n" if note else "")
        + _card_title(tr, subscriber)
        + "\n"
        + tr._(
            "Status: <b>{state}</b>\n"
            "Time: <b>{time}</b>\n"
            "Timezone: <b>{zone}</b>\n"
            "Topics: <b>{topics}</b>\n"
            "Words: <b>{words}</b>\n"
            "Stories: <b>{size}</b>",
            state=state,
            time=format_minute(subscriber.delivery_minute),
            zone=clean(zone_label(subscriber.timezone)),
            topics=clean(topics),
            words=clean(words_listed(tr, subscriber.words)),
            size=subscriber.digest_size,
        )
        + "\n"
        + next_one
        + "\n"
        + (
            tr._("Change it with the buttons below.")
            if subscriber.kind == "channel"  # /subscribe here would be the reader's own digest
            else tr._(
                "Change the zone or topics with "
                "<code>/subscribe 7:30 Asia/Tokyo topics: syria, elections</code>."
            )
        )
    )

    chat = subscriber.chat_id if subscriber.kind == "channel" else 0

    def button(label: str, change: SettingsChange) -> InlineKeyboardButton:
        change = SettingsChange(change.action, change.value, chat)
        return InlineKeyboardButton(label, callback_data=callbacks.encode(change))

    rows = [
        [
            button(tr._("− 1 hour"), SettingsChange("time", -60)),
            button(tr._("+ 1 hour"), SettingsChange("time", 60)),
        ],
        [
            button(tr._("🌍 Timezone"), SettingsChange("ask_zone")),
            button(tr._("🏷 Topics"), SettingsChange("ask_topics")),
            button(tr._("🔤 Words"), SettingsChange("ask_words")),
        ],
        [
            button(_size_label(tr, n, subscriber.digest_size), SettingsChange("size", n))
            for n in (3, 5, 10)
        ],
    ]
    if subscriber.topics:
        rows.append([button(tr._("All topics"), SettingsChange("topics"))])
    if subscriber.words:
        rows.append([button(tr._("No word filters"), SettingsChange("no_words"))])
    rows.append(
        [button(tr._("Stop digest"), SettingsChange("off"))]
        if subscriber.active
        else [button(tr._("Resume digest"), SettingsChange("on"))]
    )
    if switch:
        rows.append(switch)
    return Reply(text, InlineKeyboardMarkup(rows))


def _card_title(tr: Translator, subscriber: Subscriber) -> str:
    if subscriber.kind == "channel":
        name = clean(subscriber.title or str(subscriber.chat_id))
        return tr._("📢 <b>Digest of {name}</b>", name=name)
    return tr._("⚙️ <b>Your digest</b>")


def _switch_row(
    tr: Translator, shown: Subscriber | None, channels: Sequence[Subscriber]
) -> list[InlineKeyboardButton]:
    """Buttons to the reader's other chats: their own digest and each channel they linked."""
    if not channels:
        return []
    row = []
    if shown is not None and shown.kind == "channel":
        row.append(
            InlineKeyboardButton(
                tr._("👤 My digest"), callback_data=callbacks.encode(SettingsChange("show"))
            )
        )
    for channel in channels:
        if shown is not None and channel.chat_id == shown.chat_id:
            continue
        change = SettingsChange("show", 0, channel.chat_id)
        label = f"📢 {channel.title or channel.chat_id}"[:40]
        row.append(InlineKeyboardButton(label, callback_data=callbacks.encode(change)))
    return row[:4]


def _cancel_hint(tr: Translator) -> str:
    return tr._("/cancel to leave it.")


def _zone_question(tr: Translator) -> str:
    return tr._(
        "🌍 Which timezone? Send a city, a country or an IANA name, e.g. Berlin, Mumbai or "
        "America/New_York. {cancel}",
        cancel=_cancel_hint(tr),
    )


def _topics_question(tr: Translator) -> str:
    return tr._(
        "🏷 Which topics? Send them separated by commas, e.g. syria, elections (or: all). {cancel}",
        cancel=_cancel_hint(tr),
    )


@dataclass(frozen=True, slots=True)
class Ask:
    """A question to send: its HTML text, and buttons to choose from or a forced reply."""

    text: str
    markup: InlineKeyboardMarkup | ForceReply


def forced(text: str) -> Ask:
    """A question the answer to which is the next message (a forced reply, in groups too)."""
    return Ask(text, ForceReply(selective=True))


def zone_question(tr: Translator, typed: str | None = None, match: ZoneMatch | None = None) -> Ask:
    """Ask for a zone: the choices as buttons when there are a few, else an open question."""
    if typed is None or match is None:
        return forced(_zone_question(tr))
    if not match.choices:
        return forced(
            tr._(
                "I don't know the timezone “{typed}”. Send a city, a country or an IANA "
                "name, e.g. {examples}. {cancel}",
                typed=clean(echo(typed)),
                examples=EXAMPLES,
                cancel=_cancel_hint(tr),
            )
        )
    if len(match.choices) == 1 and not match.more:  # a loose match: is it the place?
        lines = [
            tr._(
                "🌍 I don't know “{typed}”. Did you mean {place} ({zone})? Tap it, or send a city:",
                typed=clean(echo(typed)),
                place=clean(place_name(tr, match.choices[0].places, match.choices[0].country)),
                zone=clean(zone_label(match.choices[0].zone)),
            )
        ]
    else:
        lines = [
            tr._(
                "🌍 “{typed}” could be one of these. Tap one, or send a city:",
                typed=clean(echo(typed)),
            )
        ]
        lines += [f"• {clean(choice_label(tr, choice))}" for choice in match.choices]
    if match.more:
        lines.append(
            tr.ngettext(
                "… and {count} more: send a city to find yours.",
                "… and {count} more: send a city to find yours.",
                match.more,
            )
        )
    lines.append(_cancel_hint(tr))
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    place_name(tr, choice.places, choice.country) or zone_label(choice.zone),
                    callback_data=callbacks.encode(ZoneChoice(choice.zone)),
                )
            ]
            for choice in match.choices
        ]
    )
    return Ask("\n".join(lines), keyboard)


def time_question(tr: Translator, times: Sequence[str], typed: str | None = None) -> Ask:
    """Two times were typed: which one? (`typed`: an answer that was no time, said first.)"""
    offered = [clean(echo(time)) for time in times]
    text = tr._(
        "Which time do you mean: {times}? Send one, e.g. {example}. {cancel}",
        times=tr._(" or ").join(offered),
        example=offered[0] if offered else "7:30",
        cancel=_cancel_hint(tr),
    )
    if typed is not None:
        text = tr._("“{typed}” is not a time I can read.", typed=clean(echo(typed))) + "\n" + text
    return forced(text)


def topics_question(tr: Translator) -> Ask:
    return forced(_topics_question(tr))


def topics_again(tr: Translator, problem: Reply) -> Ask:
    """Topics that could not be read (too many, too long): say why and ask again."""
    return forced(f"{problem.text}\n{_topics_question(tr)}")


def topics_unknown(tr: Translator, unknown: Sequence[str], known: Sequence[str]) -> Ask:
    return forced(
        tr._(
            "No articles have the topic {typed}. Topics I know: {topics}.\n"
            "Send one or more of them separated by commas (or: all). {cancel}",
            typed=_quoted(tr, unknown),
            topics=topic_list(tr, list(known), 10_000),
            cancel=_cancel_hint(tr),
        )
    )


def cancelled(tr: Translator, had_question: bool) -> Reply:
    return Reply(tr._("OK, cancelled.") if had_question else tr._("There was nothing to cancel."))


def empty_digest(
    tr: Translator, reason: EmptyReason, topics: Sequence[str], words: Sequence[str] = ()
) -> Reply:
    if reason == "no_articles_match_words":
        return Reply(words_none_today(tr, words))
    if reason == "no_articles_on_topics":
        return Reply(
            tr._(
                "No articles have your topics ({topics}) yet. "
                "/settings to change them, /latest for the newest stories.",
                topics=clean(", ".join(topics)),
            )
        )
    if reason == "nothing_new":
        return Reply(tr._("Nothing new since your last digest. /latest shows the newest."))
    return Reply(
        tr._(
            "Your digest would be empty: no articles were added in the last 24 hours. "
            "/latest shows the newest."
        )
    )


def unsubscribed(tr: Translator) -> Reply:
    return Reply(tr._("🔕 Unsubscribed. Your settings are kept: /subscribe brings it back."))


def already_off(tr: Translator) -> Reply:
    return Reply(tr._("Your digest is already off. /subscribe brings it back."))


def not_subscribed(tr: Translator) -> Reply:
    return Reply(tr._("You have no daily digest. /subscribe starts one."))


def _size_label(tr: Translator, size: int, chosen: int) -> str:
    return ("✓ " if size == chosen else "") + tr.ngettext("{count} story", "{count} stories", size)
