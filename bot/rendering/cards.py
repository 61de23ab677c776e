"""Messages about articles: lists, search results, summaries and the full text."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.callbacks import LatestPage, OpenFullText, OpenSummary, SearchPage
from bot.i18n import Translator
from bot.rendering.markup import (
    MAX_MESSAGE,
    bold,
    clean,
    esc,
    fit,
    join_within,
    split_text,
)
from bot.rendering.markup import (
    clip as clip,  # re-exported: the other renderers cut with it too
)
from bot.search.snippets import Segments
from storage.models import Article

PAGE_SIZE = 5
# Three of these, a title and a byline stay well inside one message.
MAX_SENTENCE = 1000
MAX_QUERY_SHOWN = 200  # the search reads no more than this either


@dataclass(frozen=True, slots=True)
class Reply:
    """One message to send: HTML text and an optional inline keyboard.

    Its text is checked against Telegram's limit when it is made (`fit`): every renderer
    builds one, so none can send a message Telegram refuses.
    """

    text: str
    keyboard: InlineKeyboardMarkup | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", fit(self.text))


def when(tr: Translator, moment: datetime | None, zone: tzinfo) -> str:
    """`14 Dec 2017, 08:20 EST` in the reader's zone and language (`14 дек. 2017, 08:20 EST`)."""
    if moment is None:
        return tr._("date unknown")
    local = moment.astimezone(zone)
    return tr.datetime(local, "d MMM y, HH:mm") + " " + (local.tzname() or "")


def byline(tr: Translator, article: Article, zone: tzinfo) -> str:
    parts = [when(tr, article.published_at, zone)]
    if article.source:
        parts.append(clean(article.source))
    parts.append(f"<code>{esc(article.short_id)}</code>")
    return " · ".join(parts)


def _button(text: str, callback: callbacks.Callback) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=callbacks.encode(callback))


def _article_buttons(tr: Translator, position: int, article: Article) -> list[InlineKeyboardButton]:
    return [
        _button(tr._("{number}. Summary", number=position), OpenSummary(article.short_id)),
        _button(tr._("{number}. Full text", number=position), OpenFullText(article.short_id)),
    ]


def _pager(
    page: int, pages: int, make: callbacks.Callback | None, prev: callbacks.Callback | None
) -> list[InlineKeyboardButton]:
    row = []
    if prev is not None:
        row.append(_button("◀", prev))
    row.append(_button(f"{page + 1}/{pages}", callbacks.Action("noop")))
    if make is not None:
        row.append(_button("▶", make))
    return row


_COUNTER = re.compile(r"(\d+)/(\d+)", re.ASCII)


def page_counter_note(tr: Translator, label: str) -> str:
    """The toast for a press on the page counter (its label, "2/3"): where the reader is.
    "" for any other label (a forged press)."""
    found = _COUNTER.fullmatch(label)
    if found is None:
        return ""
    page, pages = (int(number) for number in found.groups())
    return tr._(
        "Page {page} of {pages}; ◀ ▶ turn the pages", page=tr.number(page), pages=tr.number(pages)
    )


def _keyboard(
    tr: Translator,
    shown: Sequence[Article],
    first: int,
    pager: list[InlineKeyboardButton] | None,
) -> InlineKeyboardMarkup:
    rows = [_article_buttons(tr, first + i + 1, a) for i, a in enumerate(shown)]
    if pager and len(pager) > 1:
        rows.append(pager)
    return InlineKeyboardMarkup(rows)


def _range(tr: Translator, first: int, last: int, total: int) -> str:
    return tr._(
        "({first}–{last} of {total})",
        first=tr.number(first),
        last=tr.number(last),
        total=tr.number(total),
    )


def latest_page(
    tr: Translator,
    shown: Sequence[Article],
    *,
    offset: int,
    total: int,
    limit: int,
    topic: str,
    zone: tzinfo,
    capped: bool = False,
) -> Reply:
    """A page of the newest articles, numbered across pages, with ◀ ▶ buttons; `capped`: more
    were asked for than a list holds."""
    if topic:
        heading = tr._("📰 <b>Latest news</b> on <b>{topic}</b>", topic=clean(topic))
    else:
        heading = tr._("📰 <b>Latest news</b>")
    if not shown:
        return Reply(heading + "\n\n" + tr._("Nothing here yet. Try /latest or /search."))
    heading += " " + _range(tr, offset + 1, offset + len(shown), total)
    if capped:
        heading += "\n" + tr._("<i>At most {count} in one list.</i>", count=tr.number(limit))
    entries = [
        f"{offset + i + 1}. {bold(a.title)}\n{byline(tr, a, zone)}" for i, a in enumerate(shown)
    ]
    page, pages = offset // PAGE_SIZE, -(-total // PAGE_SIZE)
    # The topic travels as a short key: its name may be longer than button data can carry.
    key = callbacks.topic_key(topic) if topic else ""
    prev = LatestPage(max(0, offset - PAGE_SIZE), limit, key) if offset > 0 else None
    nxt = LatestPage(offset + PAGE_SIZE, limit, key) if offset + PAGE_SIZE < total else None
    pager = _pager(page, pages, nxt, prev)
    return Reply("\n\n".join([heading, *entries]), _keyboard(tr, shown, offset, pager))


def marked(segments: Segments) -> str:
    return "".join(f"<b>{clean(text)}</b>" if hit else clean(text) for text, hit in segments)


def search_page(
    tr: Translator,
    query: str,
    corrected: str | None,
    results: Sequence[tuple[Article, Segments]],
    *,
    page: int,
    total: int,
    zone: tzinfo,
    ignored: Sequence[str] = (),
    token: str = "",
) -> Reply:
    """A page of search results with snippets whose matched words are bold; `token` stands
    for a query too long for the buttons to carry (it is stored)."""
    heading = tr._("🔎 Results for “{query}”", query=clean(clip(query, MAX_QUERY_SHOWN)))
    if corrected:
        heading += "\n" + tr._("Showing results for <b>{words}</b>", words=clean(corrected))
    first = page * PAGE_SIZE
    heading += " " + _range(tr, first + 1, first + len(results), total)
    if ignored:
        heading += "\n" + tr._(
            "No match for: {words}", words=clean(clip(", ".join(ignored), MAX_QUERY_SHOWN))
        )
    entries = [
        f"{first + i + 1}. {bold(a.title)}\n{byline(tr, a, zone)}\n<i>{marked(snippet)}</i>"
        for i, (a, snippet) in enumerate(results)
    ]
    pages = -(-total // PAGE_SIZE)
    carried = "" if token else query
    prev = SearchPage(page - 1, carried, token=token) if page > 0 else None
    nxt = SearchPage(page + 1, carried, token=token) if first + PAGE_SIZE < total else None
    text = "\n\n".join([heading, *entries])
    pager = _pager(page, pages, nxt, prev)
    return Reply(text, _keyboard(tr, [a for a, _ in results], first, pager))


def no_results(tr: Translator, query: str, *, foreign_script: bool = False) -> Reply:
    """`foreign_script`: no story here is written in the query's alphabet; shorter words or
    another spelling would not help."""
    if foreign_script:
        return Reply(
            tr._(
                "🔎 Nothing found for “{query}”: no story here is written in that alphabet. "
                "Try the words as the stories write them, or /latest for the newest stories.",
                query=clean(clip(query, MAX_QUERY_SHOWN)),
            )
        )
    return Reply(
        tr._(
            "🔎 Nothing found for “{query}”.\n\n"
            "Try fewer or shorter words, another spelling, or a topic like "
            "<code>/search elections</code>. /latest shows the newest stories.",
            query=clean(clip(query, MAX_QUERY_SHOWN)),
        )
    )


def summary_card(tr: Translator, article: Article, sentences: Sequence[str], zone: tzinfo) -> Reply:
    """Title, date, source and the summary, with a button for the full text."""
    lines = [bold(article.title), byline(tr, article, zone)]
    if article.dateline:
        lines[-1] += f" · {clean(article.dateline)}"
    sentences = list(sentences) or article.paragraphs[:1]
    body = "\n".join(f"• {clean(clip(s, MAX_SENTENCE))}" for s in sentences)
    text = "\n".join(lines) + "\n\n" + body
    row = [_button(tr._("📄 Full text"), OpenFullText(article.short_id))]
    if link := source_link(article):
        row.append(InlineKeyboardButton(tr._("🔗 Read at the source"), url=link))
    return Reply(text, InlineKeyboardMarkup([row]))


def source_link(article: Article) -> str | None:
    """The article's page (feeds give one, seeds may), when it is a web address a button takes."""
    url = article.url
    if url and len(url) <= 1000 and url.startswith(("http://", "https://")) and " " not in url:
        return url
    return None


def full_text(tr: Translator, article: Article, zone: tzinfo) -> list[str]:
    """The whole article in as few messages as fit, split only between paragraphs.

    A paragraph longer than a message on its own is cut at sentence ends.
    """
    header = bold(article.title) + "\n" + byline(tr, article, zone)
    if article.dateline:
        header += f" · {clean(article.dateline)}"
    blocks = [header]
    for paragraph in article.paragraphs:
        blocks.extend(clean(piece) for piece in split_text(paragraph, MAX_MESSAGE - 8))
    if link := source_link(article):
        href = html.escape(link, quote=True)
        blocks.append(tr._('<a href="{url}">Read at the source</a>', url=href))
    return join_within(blocks)
