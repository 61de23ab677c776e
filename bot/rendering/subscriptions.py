"""Messages about the reader's digest subscription."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.callbacks import SettingsChange
from bot.digests.schedule import format_minute
from bot.rendering.cards import Reply
from bot.rendering.markup import clean
from bot.timezones import zone_label
from storage.models import Subscriber


def _local(moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return local.strftime("%a %-d %b at %H:%M ") + (local.tzname() or "")


def subscribed(subscriber: Subscriber, next_at: datetime, *, was_active: bool) -> Reply:
    zone = ZoneInfo(subscriber.timezone)
    verb = "Updated" if was_active else "Subscribed"
    topics = f"\nTopics: {clean(', '.join(subscriber.topics))}" if subscriber.topics else ""
    label = clean(zone_label(subscriber.timezone))
    return Reply(
        f"🔔 {verb}! Your digest comes every day at "
        f"<b>{format_minute(subscriber.delivery_minute)}</b> ({label}), "
        f"up to {subscriber.digest_size} stories.{topics}\n"
        f"Next one: <b>{_local(next_at, zone)}</b>.\n\n"
        "/settings to change it, /digest for a preview, /unsubscribe to stop."
    )


def settings_card(subscriber: Subscriber | None, default_zone: str) -> Reply:
    if subscriber is None:
        return Reply(
            "You have no daily digest yet. <code>/subscribe 7:30 Europe/Berlin</code> starts one "
            f"(time and zone are optional: 08:00 and {clean(default_zone)} by default)."
        )
    state = "on" if subscriber.active else "off"
    topics = ", ".join(subscriber.topics) if subscriber.topics else "all"
    text = (
        "⚙️ <b>Your digest</b>\n"
        f"Status: <b>{state}</b>\n"
        f"Time: <b>{format_minute(subscriber.delivery_minute)}</b>\n"
        f"Timezone: <b>{clean(zone_label(subscriber.timezone))}</b>\n"
        f"Topics: <b>{clean(topics)}</b>\n"
        f"Stories: <b>{subscriber.digest_size}</b>\n\n"
        "Change the zone or topics with "
        "<code>/subscribe 7:30 Asia/Tokyo topics: syria, elections</code>."
    )

    def button(label: str, change: SettingsChange) -> InlineKeyboardButton:
        return InlineKeyboardButton(label, callback_data=callbacks.encode(change))

    rows = [
        [
            button("− 1 hour", SettingsChange("time", -60)),
            button("+ 1 hour", SettingsChange("time", 60)),
        ],
        [
            button("🌍 Timezone", SettingsChange("ask_zone")),
            button("🏷 Topics", SettingsChange("ask_topics")),
        ],
        [
            button(_size_label(n, subscriber.digest_size), SettingsChange("size", n))
            for n in (3, 5, 10)
        ],
    ]
    if subscriber.topics:
        rows.append([button("All topics", SettingsChange("topics"))])
    rows.append(
        [button("Stop digest", SettingsChange("off"))]
        if subscriber.active
        else [button("Resume digest", SettingsChange("on"))]
    )
    return Reply(text, InlineKeyboardMarkup(rows))


# Questions asked with a forced reply; the answer is recognised by the question it replies to.
ZONE_QUESTION = "🌍 Which timezone? Send a city or an IANA name, e.g. Berlin or America/New_York."
TOPICS_QUESTION = "🏷 Which topics? Send them separated by commas, e.g. syria, elections (or: all)."


def _size_label(size: int, chosen: int) -> str:
    return ("✓ " if size == chosen else "") + f"{size} stories"
