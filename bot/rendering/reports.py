"""Seed-load reports, for the terminal and for admins in Telegram."""

from __future__ import annotations

import textwrap

from bot.i18n import Translator
from bot.rendering.markup import MAX_MESSAGE, clean, counted, visible_length
from bot.rendering.seed_reasons import english, seed_reason
from storage.seeds.loader import LoadReport
from storage.seeds.records import ParsedArticle, Rejection

_COUNT_NAMES = ["added", "updated", "unchanged", "duplicates", "retracted", "rejected"]


# Each name or title in a Telegram report is cut to this many characters, each line to
# _MAX_LINE: a reload report must fit one message whatever the files are called.
_MAX_NAME = 80
_MAX_LINE = 200
REPORT_BUDGET = MAX_MESSAGE - 16  # room for the caller's prefix ("✅ ")
_SECTION_RESERVE = 90  # a heading and "and N more (the full list is in the log)"


def _cut(text: str, limit: int) -> str:
    """`text` in at most `limit` characters; a long one keeps its start and its end
    (a file name's extension) around an ellipsis."""
    if len(text) <= limit:
        return text
    tail = min(limit // 3, 24)
    return text[: limit - tail - 1] + "…" + text[-tail:]


def load_report(
    tr: Translator, report: LoadReport, *, html: bool = False, limit: int | None = None
) -> str:
    """Counts, then each rejected file with its reason, the duplicates and the retractions.

    With `limit` (the Telegram report), each list is cut after that many lines with "and N
    more", names and lines are cut with an ellipsis, and the whole fits one message.
    """
    counts = report.counts()
    cut = (lambda text, n: _cut(text, n)) if limit is not None else (lambda text, n: text)
    title = tr.ngettext(
        "Seeds from {folder}: {count} file in {seconds} s",
        "Seeds from {folder}: {count} files in {seconds} s",
        counts["files"],
        folder=cut(report.folder, _MAX_NAME * 2),
        seconds=tr.decimal(report.seconds),
    )
    names = count_names(tr)
    width = max(11, *(len(name) + 1 for name in names.values()))
    table = "\n".join(f"{names[name]:<{width}}{counts[name]:>7}" for name in _COUNT_NAMES)
    if html:
        parts = [f"<b>{clean(title)}</b>\n<pre>{table}</pre>"]
    else:
        parts = [title + "\n" + textwrap.indent(table, "  ")]
    sections = [
        (
            tr._("Rejected"),
            [
                f"{cut(path, _MAX_NAME)}: {seed_reason(tr, reason)}"
                for path, reason in report.rejected
            ],
        ),
        (
            tr._("Duplicates"),
            [
                tr._("{file} (same as article {id})", file=cut(path, _MAX_NAME), id=sid)
                for path, sid in report.duplicates
            ],
        ),
        (
            tr._("Retracted"),
            [f"{sid}: {cut(title, _MAX_NAME)}" for sid, title in report.retracted],
        ),
    ]
    budget = REPORT_BUDGET - _length("\n\n".join(parts), html)
    shown = [(heading, items) for heading, items in sections if items]
    for index, (heading, items) in enumerate(shown):
        head = f"<b>{heading}</b>" if html else heading + ":"
        # Room is kept for the heading and "and N more" of this list and of the ones after it.
        room = budget - _SECTION_RESERVE * (len(shown) - index)
        lines: list[str] = []
        for item in items if limit is None else items[:limit]:
            line = "  " + (clean(cut(item, _MAX_LINE)) if html else cut(item, _MAX_LINE))
            if limit is not None and _length(line, html) + 1 > room:
                break
            room -= _length(line, html) + 1
            lines.append(line)
        if len(items) > len(lines):
            lines.append(
                "  "
                + tr.ngettext(
                    "and {count} more (the full list is in the log)",
                    "and {count} more (the full list is in the log)",
                    len(items) - len(lines),
                )
            )
        section = head + "\n" + "\n".join(lines)
        budget -= _length(section, html) + 2
        parts.append(section)
    return "\n\n".join(parts)


def count_names(tr: Translator) -> dict[str, str]:
    """The names of a load's counts (`added`, `rejected`...) in the reader's language."""
    return {
        "added": tr._("added"),
        "updated": tr._("updated"),
        "unchanged": tr._("unchanged"),
        "duplicates": tr._("duplicates"),
        "retracted": tr._("retracted"),
        "rejected": tr._("rejected"),
    }


def _length(text: str, html: bool) -> int:
    return visible_length(text) if html else len(text.encode("utf-16-le")) // 2


def parse_check(name: str, parsed: ParsedArticle | Rejection) -> str:
    """What the parser takes from one file, for whoever writes seeds (`seeds check`)."""
    if isinstance(parsed, Rejection):
        return f"{name}: REJECTED: {english(parsed)}"
    published = parsed.published_at.strftime("%Y-%m-%d %H:%M UTC") if parsed.published_at else "-"
    fields = [
        ("title", parsed.title),
        ("published", published),
        ("source", parsed.source or "-"),
        ("dateline", parsed.dateline or "-"),
        ("section", parsed.section or "-"),
        ("topics", ", ".join(parsed.topics) or "-"),
        ("url", parsed.url or "-"),
        ("body", counted(len(parsed.paragraphs), "paragraph")),
    ]
    lines = [f"{name}: ok"] + [f"  {label + ':':<11}{value}" for label, value in fields]
    for number, paragraph in enumerate(parsed.paragraphs, 1):
        short = paragraph if len(paragraph) <= 90 else paragraph[:87] + "..."
        lines.append(f"  {number:>3}. {short}")
    return "\n".join(lines)
