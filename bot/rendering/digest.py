"""The daily digest message: one message, whatever the articles hold."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, tzinfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.callbacks import OpenFullText
from bot.i18n import Translator
from bot.rendering.cards import Reply, byline
from bot.rendering.markup import MAX_MESSAGE, bold, clean, clip, visible_length
from storage.models import Article

Item = tuple[Article, Sequence[str]]  # (article, its summary sentences)


def _entry(
    tr: Translator,
    number: int,
    article: Article,
    sentences: Sequence[str],
    zone: tzinfo,
    keep: int,
    width: int,
) -> str:
    summary = " ".join(clip(s, width) for s in sentences[:keep])
    text = f"{number}. {bold(article.title)}\n{byline(tr, article, zone)}"
    return text + (f"\n{clean(summary)}" if summary else "")


def digest_message(
    tr: Translator,
    items: Sequence[Item],
    more: int,
    day: date,
    zone: tzinfo,
    *,
    preview: bool = False,
    subscribed: bool = True,
) -> Reply:
    """Title, date, source and a one- or two-sentence summary each, then "and N more".
    A preview for a chat that gets no digest says how to get one."""
    title = tr._("👀 <b>Digest preview</b>") if preview else tr._("🗞 <b>Your daily digest</b>")
    heading = f"{title} · {tr.date(day, 'EEE d MMM y')}"
    if preview and not subscribed:
        heading += "\n" + tr._("🔕 You are not subscribed: /subscribe 7:30 sends it every day.")
    # Two sentences each if they fit, else one, else shorter ones, else fewer articles.
    for keep, width in ((2, 400), (1, 300), (1, 150), (0, 0)):
        shown = list(items)
        while shown:
            entries = [_entry(tr, i + 1, a, s, zone, keep, width) for i, (a, s) in enumerate(shown)]
            hidden = more + len(items) - len(shown)
            tail = (
                tr.ngettext("and {count} more: /latest", "and {count} more: /latest", hidden)
                if hidden
                else ""
            )
            text = "\n\n".join([heading, *entries, *([tail] if tail else [])])
            if visible_length(text) <= MAX_MESSAGE:
                return Reply(text, article_buttons(shown))
            if keep:
                break  # try shorter summaries before dropping articles
            shown.pop()
    total = len(items) + more
    return Reply(
        heading
        + "\n\n"
        + tr.ngettext("{count} new story: /latest", "{count} new stories: /latest", total)
    )


def article_buttons(shown: Sequence[Item]) -> InlineKeyboardMarkup:
    """One 📄 Full text button per article, numbered as the message numbers them."""
    rows = [
        [
            InlineKeyboardButton(
                f"📄 {i + 1}. {clip(article.title, 40)}",
                callback_data=callbacks.encode(OpenFullText(article.short_id)),
            )
        ]
        for i, (article, _) in enumerate(shown)
    ]
    return InlineKeyboardMarkup(rows)
