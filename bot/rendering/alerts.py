"""Alert messages, and the answers to /follow, /unfollow and /alerts.

Every sentence is whole, with named placeholders; counted ones go through `plural`, shaped as
gettext's ngettext (singular, plural, count), so they can move into catalogues as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, tzinfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.alerts.following import (
    CAPS,
    MAX_CAP,
    MAX_FOLLOWS,
    Followed,
    Overview,
    Term,
    Unfollowed,
)
from bot.alerts.matching import TOPIC
from bot.callbacks import AlertButton
from bot.digests.schedule import format_minute
from bot.i18n import ENGLISH
from bot.rendering.cards import Reply, byline
from bot.rendering.digest import Item, article_buttons
from bot.rendering.markup import MAX_MESSAGE, bold, clean, clip, echo, visible_length
from bot.timezones import zone_label
from storage.models import Follow

SUMMARY_CHARS = 300
BUTTON_TERM_CHARS = 24


def plural(singular: str, many: str, count: int, **values: object) -> str:
    """The one place a sentence is chosen by a count (ngettext's shape)."""
    return (singular if count == 1 else many).format(count=count, **values)


def _term(kind: str, text: str) -> str:
    shown = clean(echo(text, MAX_TERM_ECHO))
    return f"topic “{shown}”" if kind == TOPIC else f"“{shown}”"


MAX_TERM_ECHO = 60


def _local_time(moment: datetime, zone: tzinfo) -> str:
    return moment.astimezone(zone).strftime("%H:%M")


def alert_message(
    items: Sequence[Item], held: int, next_at: datetime | None, cap: int, zone: tzinfo
) -> tuple[Reply, int]:
    """The articles that arrived, in one message, and how many of them it shows: summaries
    are shortened, then dropped, then the last articles are left for the next message.
    A note says when the hourly cap held some back."""
    shown = list(items)
    while True:
        for width in (SUMMARY_CHARS, 150, 0):
            text = _alert_text(shown, width, held, next_at, cap, zone)
            if visible_length(text) <= MAX_MESSAGE or len(shown) == 1:
                return Reply(text, article_buttons(shown)), len(shown)
        shown.pop()


def _alert_text(
    items: Sequence[Item], width: int, held: int, next_at: datetime | None, cap: int, zone: tzinfo
) -> str:
    heading = plural(
        "🔔 <b>{count} new story on what you follow</b>",
        "🔔 <b>{count} new stories on what you follow</b>",
        len(items),
    )
    entries = []
    for number, (article, sentences) in enumerate(items, start=1):
        entry = f"{number}. {bold(article.title)}\n{byline(ENGLISH, article, zone)}"
        summary = " ".join(clip(s, width) for s in sentences) if width else ""
        entries.append(entry + (f"\n{clean(summary)}" if summary else ""))
    note = ""
    if held and next_at is not None:
        note = plural(
            "⏳ {count} more is held back by your limit of {cap} an hour: it follows at {time}.",
            "⏳ {count} more are held back by your limit of {cap} an hour: they follow from "
            "{time}.",
            held, cap=cap, time=_local_time(next_at, zone),
        )  # fmt: skip
    return "\n\n".join([heading, *entries, *([note] if note else [])])


def follow_usage() -> Reply:
    return Reply(
        "Tell me what to follow: <code>/follow election</code>, "
        "<code>/follow topic:politics</code>, or several at once: "
        "<code>/follow climate deal, topic:world</code>. Matching stories come as they arrive."
    )


def unfollow_usage(overview: Overview) -> Reply:
    if not overview.follows:
        return Reply("You follow nothing yet. <code>/follow election</code> to start.")
    return Reply(
        "Which one? Tap it below, or type <code>/unfollow election</code>.",
        _unfollow_buttons(overview.follows),
    )


def _unfollow_buttons(follows: Sequence[Follow]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "✖ " + _button_term(f),
                    callback_data=callbacks.encode(AlertButton("unfollow", f.id)),
                )
            ]
            for f in follows
        ]
    )


def _button_term(follow: Follow) -> str:
    shown = clip(follow.term, BUTTON_TERM_CHARS)
    return f"topic: {shown}" if follow.kind == TOPIC else shown


def _listed(terms: Iterable[Term | Follow]) -> str:
    return ", ".join(_term(t.kind, t.text if isinstance(t, Term) else t.term) for t in terms)


def followed(result: Followed) -> Reply:
    lines: list[str] = []
    if result.added:
        lines.append(f"🔔 Following {_listed(result.added)}: matching stories come as they arrive.")
    if result.already:
        lines.append(f"You already follow {_listed(result.already)}.")
    if result.unknown_topics:
        names = ", ".join(f"“{clean(echo(t, MAX_TERM_ECHO))}”" for t in result.unknown_topics)
        known = ", ".join(clean(k) for k in result.known_topics[:30]) or "none yet"
        lines.append(
            f"No articles have the topic {names}. Topics I know: {known}. "
            "To follow a word instead, leave out “topic:”."
        )
    if result.over_limit:
        lines.append(
            f"You follow {MAX_FOLLOWS} things, the most there can be: /unfollow some first."
        )
    lines.append("/alerts shows what you follow, your hourly limit and quiet hours.")
    return Reply("\n\n".join(lines))


def unfollowed(result: Unfollowed) -> Reply:
    lines: list[str] = []
    if result.removed:
        lines.append(f"🔕 No longer following {_listed(result.removed)}.")
    if result.not_followed:
        lines.append(f"You were not following {_listed(result.not_followed)}.")
    left = len(result.overview.follows)
    lines.append(
        plural(
            "You follow {count} thing now: /alerts to see it.",
            "You follow {count} things now: /alerts to see them.",
            left,
        )
        if left
        else "You follow nothing now: no more alerts."
    )
    return Reply("\n".join(lines))


def alerts_card(overview: Overview) -> Reply:
    """What the chat follows, its cap and quiet hours, with buttons to change them."""
    if overview.follows:
        listed = "\n".join(f"• {_term(f.kind, f.term)}" for f in overview.follows)
        head = plural(
            "🔔 <b>You follow {count} thing</b>, sent as stories arrive:\n{listed}",
            "🔔 <b>You follow {count} things</b>, sent as stories arrive:\n{listed}",
            len(overview.follows), listed=listed,
        )  # fmt: skip
    else:
        head = "🔕 <b>You follow nothing yet.</b> <code>/follow election</code> to start."
    zone = clean(zone_label(overview.zone))
    cap = plural(
        "At most {count} story an hour (more wait for the next hour).",
        "At most {count} stories an hour (more wait for the next hour).",
        overview.cap,
    )
    if overview.quiet is None:
        quiet = f"No quiet hours ({zone}): <code>/alerts quiet 22:00-07:00</code> to set them."
    else:
        start, end = (format_minute(m) for m in overview.quiet)
        quiet = (
            f"Quiet hours {start}-{end} ({zone}): what arrives then comes after, in one message."
        )
    stopped = (
        "\n⚠️ Alerts stopped: Telegram said this chat cannot be written to. "
        "/follow again to start them."
        if not overview.active
        else ""
    )
    usage = (
        f"<code>/alerts limit 5</code> (1-{MAX_CAP}), <code>/alerts quiet off</code>, "
        "<code>/unfollow election</code>."
    )
    text = "\n\n".join([head + stopped, cap + "\n" + quiet, usage])
    return Reply(text, _card_buttons(overview))


def _card_buttons(overview: Overview) -> InlineKeyboardMarkup:
    caps = [
        InlineKeyboardButton(
            ("✅ " if n == overview.cap else "") + plural("{count} an hour", "{count} an hour", n),
            callback_data=callbacks.encode(AlertButton("cap", n)),
        )
        for n in CAPS
    ]
    rows = [caps]
    if overview.quiet is not None:
        rows.append(
            [
                InlineKeyboardButton(
                    "🔔 No quiet hours",
                    callback_data=callbacks.encode(AlertButton("quiet_off", 0)),
                )
            ]
        )
    return InlineKeyboardMarkup(rows + list(_unfollow_buttons(overview.follows).inline_keyboard))


def bad_cap() -> Reply:
    return Reply(
        f"The limit is a number of stories an hour, 1 to {MAX_CAP}: <code>/alerts limit 5</code>."
    )


def bad_quiet() -> Reply:
    return Reply(
        "Quiet hours are two times, when they start and end: "
        "<code>/alerts quiet 22:00-07:00</code>, or <code>/alerts quiet off</code>."
    )


def saved() -> str:
    return "Saved"


def unknown_alerts_setting(typed: str) -> Reply:
    return Reply(
        f"“{clean(echo(typed, MAX_TERM_ECHO))}” is not an alert setting. "
        "<code>/alerts limit 5</code>, <code>/alerts quiet 22:00-07:00</code> or "
        "<code>/alerts quiet off</code>."
    )
