"""Messages for admins: health figures, reload progress, broadcast confirmations."""

from __future__ import annotations

from datetime import UTC, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.admin.broadcast import BroadcastReport
from bot.admin.stats import Stats
from bot.callbacks import Action
from bot.rendering.cards import Reply, clip
from bot.rendering.markup import clean, counted

FOR_ADMINS = "This command is for admins."


def _duration(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    return (f"{days} d " if days else "") + f"{hours} h {minutes} min"


def schedule_line(stats: Stats) -> str:
    """Whether digests go out: the instances that ticked lately, or when one last did."""
    alive = [beat for beat in stats.heartbeats if stats.now - beat <= stats.alive_window]
    if alive:
        ago = max(0, int((stats.now - alive[0]).total_seconds()))
        running = "1 instance" if len(alive) == 1 else f"{len(alive)} instances"
        return f"Digest schedule: {running} running, last tick {ago} s ago"
    if stats.heartbeats:
        last = stats.heartbeats[0].astimezone(UTC)
        return f"⚠️ Digest schedule: no tick since {last:%Y-%m-%d %H:%M} UTC"
    return "Digest schedule: no instance running"


def _by_label(counts: dict[str, float]) -> str:
    return ", ".join(
        f"{label} {int(n)}" for label, n in sorted(counts.items(), key=lambda x: -x[1])
    )


def counter_lines(counters: dict[str, dict[str, float]]) -> list[str]:
    """This process's counters since start, the same figures /metrics serves."""
    lines = []
    if updates := counters.get("updates"):
        lines.append(f"Updates since start: {int(sum(updates.values()))} ({_by_label(updates)})")
    if errors := counters.get("telegram_errors"):
        lines.append(f"Telegram errors since start: {_by_label(errors)}")
    if digests := counters.get("digests"):
        lines.append(f"Digest runs since start: {_by_label(digests)}")
    return lines


def kinds_line(kinds: dict[str, int]) -> str:
    return (
        "Active by kind: {private} private, {group} group, {topic} topic, {channel} channel"
    ).format(**{k: kinds.get(k, 0) for k in ("private", "group", "topic", "channel")})


def stats_text(stats: Stats, *, html: bool = True) -> str:
    a, s, d = stats.articles, stats.subscribers, stats.digests_today
    lines = [
        "📊 Bot health",
        f"Articles: {a['live']} live, {a['retracted']} retracted",
        f"Subscribers: {s['active']} active, {s['inactive']} inactive",
        kinds_line(stats.kinds),
        f"Digests today (UTC): {d['sent']} sent, {d['pending']} pending, {d['failed']} failed",
        schedule_line(stats),
    ]
    reload = stats.last_reload
    if reload:
        counts = ", ".join(f"{k} {v}" for k, v in reload["counts"].items() if k != "files")
        by = reload.get("by") or (f"admin {reload['admin']}" if reload.get("admin") else "")
        at = reload["at"][:16].replace("T", " ")
        lines.append(f"Last reload: {at} UTC" + (f" ({by})" if by else "") + f": {counts}")
    else:
        lines.append("Last reload: none since the database was made")
    if stats.feeds is not None and stats.feeds.feeds:
        lines.append(feeds_line(stats))
    if stats.uptime is not None:
        lines.append(f"Uptime: {_duration(stats.uptime)}")
    lines += counter_lines(stats.counters)
    table = ""
    if stats.latency:
        rows = [f"{'command':<14}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}"]
        rows += [
            f"{command[:14]:<14}{n:>6}{p50:>9.1f}{p95:>9.1f}"
            for command, (n, p50, p95) in stats.latency.items()
        ]
        table = "\n".join(rows)
    if not html:
        return "\n".join(lines) + (f"\nAnswer times, last hour:\n{table}" if table else "")
    text = f"<b>{clean(lines[0])}</b>\n" + "\n".join(clean(line) for line in lines[1:])
    if table:
        text += f"\nAnswer times, last hour:\n<pre>{clean(table)}</pre>"
    return text


def feeds_line(stats: Stats) -> str:
    """Feeds: how many, paused, failing (the worst few named: an admin sees what to fix)."""
    counts = stats.feeds
    assert counts is not None
    line = f"Feeds: {counts.feeds} ({counts.paused} paused, {counts.failing} failing)"
    if stats.failing_feeds:
        named = "; ".join(
            f"{clip(url, 60)}: {clip(error, 60)}" for url, error in stats.failing_feeds
        )
        line = "⚠️ " + line + f": {named}"
    return line


def reload_progress(done: int, total: int) -> str:
    percent = 100 * done // total if total else 100
    return f"⏳ Reloading seeds: {done} of {total} files ({percent}%)…"


def broadcast_confirm(text: str, token: str, audience: int) -> Reply:
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    f"✅ Send to {audience}",
                    callback_data=callbacks.encode(Action(f"bc_ok:{token}")),
                ),
                InlineKeyboardButton(
                    "Cancel", callback_data=callbacks.encode(Action(f"bc_no:{token}"))
                ),
            ]
        ]
    )
    return Reply(
        f"📢 Send this announcement to {counted(audience, 'active subscriber')}?\n\n"
        f"<blockquote>{clean(clip(text, 3500))}</blockquote>",
        keyboard,
    )


def broadcast_done(report: BroadcastReport) -> str:
    return (
        f"📢 Announcement sent: {report.sent} delivered, {report.blocked} blocked, "
        f"{report.failed} failed."
    )
