"""Seed-load reports, for the terminal and for admins in Telegram."""

from __future__ import annotations

import textwrap

from bot.rendering.markup import clean, counted
from storage.seeds.loader import LoadReport
from storage.seeds.records import ParsedArticle, Rejection

_COUNT_NAMES = ["added", "updated", "unchanged", "duplicates", "retracted", "rejected"]


def load_report(report: LoadReport, *, html: bool = False, limit: int | None = None) -> str:
    """Counts, then each rejected file with its reason, the duplicates and the retractions.

    With `limit`, each list is cut after that many lines with "and N more".
    """
    counts = report.counts()
    files = counted(counts["files"], "file")
    title = f"Seeds from {report.folder}: {files} in {report.seconds:.1f} s"
    table = "\n".join(f"{name:<11}{counts[name]:>7}" for name in _COUNT_NAMES)
    if html:
        parts = [f"<b>{clean(title)}</b>\n<pre>{table}</pre>"]
    else:
        parts = [title + "\n" + textwrap.indent(table, "  ")]
    sections = [
        ("Rejected", [f"{path}: {reason}" for path, reason in report.rejected]),
        ("Duplicates", [f"{path} (same as article {sid})" for path, sid in report.duplicates]),
        ("Retracted", [f"{sid}: {title}" for sid, title in report.retracted]),
    ]
    for heading, items in sections:
        if not items:
            continue
        shown = items if limit is None else items[:limit]
        lines = [f"  {clean(item) if html else item}" for item in shown]
        if len(items) > len(shown):
            lines.append(f"  and {len(items) - len(shown)} more (the full list is in the log)")
        head = f"<b>{heading}</b>" if html else heading + ":"
        parts.append(head + "\n" + "\n".join(lines))
    return "\n\n".join(parts)


def parse_check(name: str, parsed: ParsedArticle | Rejection) -> str:
    """What the parser takes from one file, for whoever writes seeds (`seeds check`)."""
    if isinstance(parsed, Rejection):
        return f"{name}: REJECTED: {parsed.reason}"
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
