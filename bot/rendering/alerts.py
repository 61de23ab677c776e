"""Alert messages, and the answers to /follow, /unfollow and /alerts, in the reader's language.

Every sentence is whole, with named placeholders; markup (bold, code) is built before `tr._`
and passed as a value, so the extractor takes every text.
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
from bot.i18n import Translator
from bot.rendering.cards import Reply, byline
from bot.rendering.digest import Item, article_buttons
from bot.rendering.markup import MAX_MESSAGE, bold, clean, clip, echo, visible_length
from bot.rendering.texts import saved as saved_text
from bot.timezones import zone_label
from storage.models import Follow

SUMMARY_CHARS = 300
BUTTON_TERM_CHARS = 24
MAX_TERM_ECHO = 60
# Commands quoted in the texts: the same in every language (they are typed as they are).
EXAMPLE_FOLLOW = "<code>/follow election</code>"
EXAMPLE_UNFOLLOW = "<code>/unfollow election</code>"
EXAMPLE_LIMIT = "<code>/alerts limit 5</code>"
EXAMPLE_QUIET = "<code>/alerts quiet 22:00-07:00</code>"
EXAMPLE_QUIET_OFF = "<code>/alerts quiet off</code>"


def _term(tr: Translator, kind: str, text: str) -> str:
    shown = clean(echo(text, MAX_TERM_ECHO))
    return tr._("topic “{name}”", name=shown) if kind == TOPIC else tr._("“{word}”", word=shown)


def _local_time(tr: Translator, moment: datetime, zone: tzinfo) -> str:
    return tr.datetime(moment.astimezone(zone), "HH:mm")


def alert_message(
    tr: Translator,
    items: Sequence[Item],
    held: int,
    next_at: datetime | None,
    cap: int,
    zone: tzinfo,
    *,
    skipped: int = 0,
) -> tuple[Reply, int]:
    """The articles that arrived, in one message, and how many of them it shows: summaries
    are shortened, then dropped, then the last articles are left for the next message.
    A note says when the hourly cap held some back, and how many held too long were dropped
    (`skipped`)."""
    shown = list(items)
    while True:
        for width in (SUMMARY_CHARS, 150, 0):
            text = _alert_text(tr, shown, width, held, next_at, cap, zone, skipped)
            if visible_length(text) <= MAX_MESSAGE or len(shown) == 1:
                return Reply(text, article_buttons(shown)), len(shown)
        shown.pop()


def _alert_text(
    tr: Translator,
    items: Sequence[Item],
    width: int,
    held: int,
    next_at: datetime | None,
    cap: int,
    zone: tzinfo,
    skipped: int = 0,
) -> str:
    heading = tr.ngettext(
        "🔔 <b>{count} new story on what you follow</b>",
        "🔔 <b>{count} new stories on what you follow</b>",
        len(items),
    )
    entries = []
    for number, (article, sentences) in enumerate(items, start=1):
        entry = f"{number}. {bold(article.title)}\n{byline(tr, article, zone)}"
        summary = " ".join(clip(s, width) for s in sentences) if width else ""
        entries.append(entry + (f"\n{clean(summary)}" if summary else ""))
    note = ""
    if held and next_at is not None:
        note = tr.ngettext(
            "⏳ {count} more is held back by your limit of {cap} an hour: it follows at {time}.",
            "⏳ {count} more are held back by your limit of {cap} an hour: they follow from "
            "{time}.",
            held, cap=tr.number(cap), time=_local_time(tr, next_at, zone),
        )  # fmt: skip
    notes = [note] if note else []
    if skipped:
        notes.append(
            tr.ngettext(
                "🗑 {count} older story waited over a day and was dropped: alerts are for "
                "fresh news.",
                "🗑 {count} older stories waited over a day and were dropped: alerts are for "
                "fresh news.",
                skipped,
            )
        )
    return "\n\n".join([heading, *entries, *notes])


def follow_usage(tr: Translator) -> Reply:
    return Reply(
        tr._(
            "Tell me what to follow: {example}, {topic_example}, or several at once: "
            "{several}. Matching stories come as they arrive.",
            example=EXAMPLE_FOLLOW,
            topic_example="<code>/follow topic:politics</code>",
            several="<code>/follow climate deal, topic:world</code>",
        )
    )


def unfollow_usage(tr: Translator, overview: Overview) -> Reply:
    if not overview.follows:
        return Reply(tr._("You follow nothing yet. {example} to start.", example=EXAMPLE_FOLLOW))
    return Reply(
        tr._("Which one? Tap it below, or type {example}.", example=EXAMPLE_UNFOLLOW),
        _unfollow_buttons(tr, overview.follows),
    )


def _unfollow_buttons(tr: Translator, follows: Sequence[Follow]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "✖ " + _button_term(tr, f),
                    callback_data=callbacks.encode(AlertButton("unfollow", f.id)),
                )
            ]
            for f in follows
        ]
    )


def _button_term(tr: Translator, follow: Follow) -> str:
    shown = clip(follow.term, BUTTON_TERM_CHARS)
    return tr._("topic: {name}", name=shown) if follow.kind == TOPIC else shown


def _listed(tr: Translator, terms: Iterable[Term | Follow]) -> str:
    return ", ".join(_term(tr, t.kind, t.text if isinstance(t, Term) else t.term) for t in terms)


def followed(tr: Translator, result: Followed) -> Reply:
    lines: list[str] = []
    if result.added:
        lines.append(
            tr._(
                "🔔 Following {terms}: matching stories come as they arrive.",
                terms=_listed(tr, result.added),
            )
        )
    if result.already:
        lines.append(tr._("You already follow {terms}.", terms=_listed(tr, result.already)))
    if result.unknown_topics:
        names = ", ".join(
            tr._("“{word}”", word=clean(echo(t, MAX_TERM_ECHO))) for t in result.unknown_topics
        )
        known = ", ".join(clean(k) for k in result.known_topics[:30]) or tr._("none yet")
        lines.append(
            tr._(
                "No articles have the topic {names}. Topics I know: {known}. "
                "To follow a word instead, leave out <code>topic:</code>.",
                names=names,
                known=known,
            )
        )
    if result.over_limit:
        lines.append(
            tr.ngettext(
                "You follow {count} thing, the most there can be: /unfollow some first.",
                "You follow {count} things, the most there can be: /unfollow some first.",
                MAX_FOLLOWS,
            )
        )
    lines.append(tr._("/alerts shows what you follow, your hourly limit and quiet hours."))
    return Reply("\n\n".join(lines))


def unfollowed(tr: Translator, result: Unfollowed) -> Reply:
    lines: list[str] = []
    if result.removed:
        lines.append(tr._("🔕 No longer following {terms}.", terms=_listed(tr, result.removed)))
    if result.not_followed:
        lines.append(
            tr._("You were not following {terms}.", terms=_listed(tr, result.not_followed))
        )
    left = len(result.overview.follows)
    lines.append(
        tr.ngettext(
            "You follow {count} thing now: /alerts to see it.",
            "You follow {count} things now: /alerts to see them.",
            left,
        )
        if left
        else tr._("You follow nothing now: no more alerts.")
    )
    return Reply("\n".join(lines))


def alerts_card(tr: Translator, overview: Overview) -> Reply:
    """What the chat follows, its cap and quiet hours, with buttons to change them."""
    if overview.follows:
        listed = "\n".join(f"• {_term(tr, f.kind, f.term)}" for f in overview.follows)
        head = tr.ngettext(
            "🔔 <b>You follow {count} thing</b>, sent as stories arrive:\n{listed}",
            "🔔 <b>You follow {count} things</b>, sent as stories arrive:\n{listed}",
            len(overview.follows), listed=listed,
        )  # fmt: skip
    else:
        head = tr._("🔕 <b>You follow nothing yet.</b> {example} to start.", example=EXAMPLE_FOLLOW)
    zone = clean(zone_label(overview.zone))
    cap = tr.ngettext(
        "At most {count} story an hour (more wait for the next hour).",
        "At most {count} stories an hour (more wait for the next hour).",
        overview.cap,
    )
    if overview.quiet is None:
        quiet = tr._(
            "No quiet hours ({zone}): {example} to set them.", zone=zone, example=EXAMPLE_QUIET
        )
    else:
        start, end = (format_minute(m) for m in overview.quiet)
        quiet = tr._(
            "Quiet hours {start}-{end} ({zone}): what arrives then comes after, in one message.",
            start=start,
            end=end,
            zone=zone,
        )
    stopped = (
        "\n"
        + tr._(
            "⚠️ Alerts stopped: Telegram said this chat cannot be written to. "
            "/follow again to start them."
        )
        if not overview.active
        else ""
    )
    # Only commands, typed as they are in every language.
    usage = f"{EXAMPLE_LIMIT} (1-{MAX_CAP}), {EXAMPLE_QUIET_OFF}, {EXAMPLE_UNFOLLOW}."
    text = "\n\n".join([head + stopped, cap + "\n" + quiet, usage])
    return Reply(text, _card_buttons(tr, overview))


def _card_buttons(tr: Translator, overview: Overview) -> InlineKeyboardMarkup:
    caps = [
        InlineKeyboardButton(
            ("✅ " if n == overview.cap else "")
            + tr.ngettext("{count} an hour", "{count} an hour", n),
            callback_data=callbacks.encode(AlertButton("cap", n)),
        )
        for n in CAPS
    ]
    rows = [caps]
    if overview.quiet is not None:
        rows.append(
            [
                InlineKeyboardButton(
                    "🔔 " + tr._("No quiet hours"),
                    callback_data=callbacks.encode(AlertButton("quiet_off", 0)),
                )
            ]
        )
    return InlineKeyboardMarkup(
        rows + list(_unfollow_buttons(tr, overview.follows).inline_keyboard)
    )


def bad_cap(tr: Translator) -> Reply:
    return Reply(
        tr._(
            "The limit is a number of stories an hour, {low} to {high}: {example}.",
            low=1,
            high=MAX_CAP,
            example=EXAMPLE_LIMIT,
        )
    )


def bad_quiet(tr: Translator) -> Reply:
    return Reply(
        tr._(
            "Quiet hours are two times, when they start and end: {example}, or {off}.",
            example=EXAMPLE_QUIET,
            off=EXAMPLE_QUIET_OFF,
        )
    )


def saved(tr: Translator) -> str:
    return saved_text(tr)


def unfollowed_note(tr: Translator, result: Unfollowed) -> str:
    """The toast for a ✖ press: what stopped. Plain text: a toast shows no markup."""
    if not result.removed:  # pressed on an older message, or twice
        return tr._("You no longer follow that.")
    follow = result.removed[0]
    shown = echo(follow.term, MAX_TERM_ECHO)
    if follow.kind == TOPIC:
        return tr._("Unfollowed topic “{name}”", name=shown)
    return tr._("Unfollowed “{word}”", word=shown)


def unknown_alerts_setting(tr: Translator, typed: str) -> Reply:
    return Reply(
        tr._(
            "“{typed}” is not an alert setting. {limit}, {quiet} or {off}.",
            typed=clean(echo(typed, MAX_TERM_ECHO)),
            limit=EXAMPLE_LIMIT,
            quiet=EXAMPLE_QUIET,
            off=EXAMPLE_QUIET_OFF,
        )
    )
