"""Messages for admins: health figures, reload progress, broadcast confirmations."""

from __future__ import annotations

from datetime import UTC, timedelta
from enum import Enum

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.admin.broadcast import BroadcastReport, BroadcastState
from bot.admin.stats import Stats
from bot.callbacks import BroadcastDecision
from bot.digests.runner import RunReport
from bot.i18n import Translator
from bot.rendering.cards import Reply, clip
from bot.rendering.feed_errors import feed_error_text
from bot.rendering.markup import clean
from bot.rendering.reports import count_names


def for_admins(tr: Translator) -> str:
    return tr._("This command is for admins.")


def _duration(tr: Translator, span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return tr._("{days} d {hours} h {minutes} min", days=days, hours=hours, minutes=minutes)
    return tr._("{hours} h {minutes} min", hours=hours, minutes=minutes)


def schedule_line(tr: Translator, stats: Stats) -> str:
    """Whether digests go out: the instances that ticked lately, or when one last did."""
    alive = [beat for beat in stats.heartbeats if stats.now - beat <= stats.alive_window]
    if alive:
        ago = max(0, int((stats.now - alive[0]).total_seconds()))
        return tr.ngettext(
            "Digest schedule: {count} instance running, last tick {ago} s ago",
            "Digest schedule: {count} instances running, last tick {ago} s ago",
            len(alive),
            ago=ago,
        )
    if stats.heartbeats:
        last = stats.heartbeats[0].astimezone(UTC)
        return tr._(
            "⚠️ Digest schedule: no tick since {when} UTC", when=last.strftime("%Y-%m-%d %H:%M")
        )
    return tr._("Digest schedule: no instance running")


def _by_label(counts: dict[str, float]) -> str:
    return ", ".join(
        f"{label} {int(n)}" for label, n in sorted(counts.items(), key=lambda x: -x[1])
    )


def counter_lines(tr: Translator, counters: dict[str, dict[str, float]]) -> list[str]:
    """This process's counters since start, the same figures /metrics serves (their labels
    are the metrics' own names, left as they are)."""
    lines = []
    if updates := counters.get("updates"):
        lines.append(
            tr._(
                "Updates since start: {count} ({labels})",
                count=int(sum(updates.values())),
                labels=_by_label(updates),
            )
        )
    if errors := counters.get("telegram_errors"):
        lines.append(tr._("Telegram errors since start: {labels}", labels=_by_label(errors)))
    if digests := counters.get("digests"):
        lines.append(tr._("Digest runs since start: {labels}", labels=_by_label(digests)))
    return lines


def kinds_line(tr: Translator, kinds: dict[str, int]) -> str:
    return tr._(
        "Active by kind: {private} private, {group} group, {topic} topic, {channel} channel",
        **{k: tr.number(kinds.get(k, 0)) for k in ("private", "group", "topic", "channel")},
    )


def stats_text(tr: Translator, stats: Stats, *, html: bool = True) -> str:
    a, s, d = stats.articles, stats.subscribers, stats.digests_today
    lines = [
        tr._("📊 Bot health"),
        tr._("Articles: {live} live, {retracted} retracted", **_numbers(tr, a)),
        tr._("Subscribers: {active} active, {inactive} inactive", **_numbers(tr, s)),
        tr._(
            "Digests today (UTC): {sent} sent, {pending} pending, {failed} failed",
            **_numbers(tr, d),
        ),
        kinds_line(tr, stats.kinds),
        schedule_line(tr, stats),
    ]
    reload = stats.last_reload
    if reload:
        names = count_names(tr)
        counts = ", ".join(
            f"{names.get(k, k)} {v}" for k, v in reload["counts"].items() if k != "files"
        )
        if reload.get("by"):
            by = " (" + str(reload["by"]) + ")"
        elif reload.get("admin"):
            by = " (" + tr._("admin {id}", id=reload["admin"]) + ")"
        else:
            by = ""
        at = reload["at"][:16].replace("T", " ")
        lines.append(tr._("Last reload: {at} UTC{by}: {counts}", at=at, by=by, counts=counts))
    else:
        lines.append(tr._("Last reload: none since the database was made"))
    if stats.feeds is not None and stats.feeds.feeds:
        lines.append(feeds_line(tr, stats))
    if stats.alerts.get("follows"):
        lines.append(
            tr._(
                "Alerts: chats following {chats}, words and topics followed {follows}, sent "
                "in the last 24 h {sent}, waiting {waiting}",
                **_numbers(tr, stats.alerts),
            )
        )
    if stats.uptime is not None:
        lines.append(tr._("Uptime: {duration}", duration=_duration(tr, stats.uptime)))
    lines += counter_lines(tr, stats.counters)
    table = ""
    if stats.latency:
        command_heading = tr._("command")
        rows = [f"{command_heading:<14}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}"]
        rows += [
            f"{command[:14]:<14}{n:>6}{p50:>9.1f}{p95:>9.1f}"
            for command, (n, p50, p95) in stats.latency.items()
        ]
        table = "\n".join(rows)
    times = tr._("Answer times, last hour:")
    if not html:
        return "\n".join(lines) + (f"\n{times}\n{table}" if table else "")
    text = f"<b>{clean(lines[0])}</b>\n" + "\n".join(clean(line) for line in lines[1:])
    if table:
        text += f"\n{times}\n<pre>{clean(table)}</pre>"
    return text


def _numbers(tr: Translator, counts: dict[str, int]) -> dict[str, str]:
    return {name: tr.number(count) for name, count in counts.items()}


def feeds_line(tr: Translator, stats: Stats) -> str:
    """Feeds: how many, paused, failing (the worst few named: an admin sees what to fix)."""
    counts = stats.feeds
    assert counts is not None
    line = tr._(
        "Feeds: {feeds} ({paused} paused, {failing} failing)",
        feeds=counts.feeds,
        paused=counts.paused,
        failing=counts.failing,
    )
    if stats.failing_feeds:
        named = "; ".join(
            f"{clip(url, 60)}: {clip(feed_error_text(tr, error), 60)}"
            for url, error in stats.failing_feeds
        )
        line = "⚠️ " + line + f": {named}"
    return line


def reload_progress(tr: Translator, done: int, total: int) -> str:
    percent = 100 * done // total if total else 100
    return tr._(
        "⏳ Reloading seeds: {done} of {total} files ({percent}%)…",
        done=tr.number(done),
        total=tr.number(total),
        percent=percent,
    )


def reload_started(tr: Translator) -> Reply:
    return Reply(tr._("⏳ Reloading seeds…"))


def reload_running(tr: Translator) -> Reply:
    return Reply(tr._("⏳ A reload is running already; its report will follow."))


def reload_failed(tr: Translator, error: str) -> str:
    return tr._("❌ Reload failed: {error}. Nothing was changed.", error=clean(error))


def sending_digests(tr: Translator) -> Reply:
    return Reply(tr._("📨 Sending today's digest to everyone who has not had it…"))


def digests_sent(tr: Translator, report: RunReport) -> Reply:
    return Reply(
        tr._(
            "📨 Digests: {sent} sent, {empty} with nothing new, {skipped} had today's already, "
            "{failed} failed ({blocked} blocked) in {seconds} s.",
            sent=report.sent,
            empty=report.empty,
            skipped=report.skipped,
            failed=report.failed,
            blocked=report.deactivated,
            seconds=tr.decimal(report.seconds),
        )
    )


def broadcast_usage(tr: Translator) -> Reply:
    return Reply(tr._("What should I announce? <code>/broadcast Hello everyone</code>"))


def broadcast_confirm(tr: Translator, text: str, token: str, audience: int) -> Reply:
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    tr._("✅ Send to {count}", count=tr.number(audience)),
                    callback_data=callbacks.encode(BroadcastDecision(True, token)),
                ),
                InlineKeyboardButton(
                    tr._("Cancel"), callback_data=callbacks.encode(BroadcastDecision(False, token))
                ),
            ]
        ]
    )
    question = tr.ngettext(
        "📢 Send this announcement to {count} active subscriber?",
        "📢 Send this announcement to {count} active subscribers?",
        audience,
    )
    return Reply(f"{question}\n\n<blockquote>{clean(clip(text, 3500))}</blockquote>", keyboard)


def broadcast_cancelled(tr: Translator, cancelled: bool) -> str:
    return tr._("Cancelled.") if cancelled else tr._("Nothing to cancel.")


def broadcast_sending(tr: Translator) -> str:
    return tr._("📢 Sending the announcement…")


def broadcast_not_pending(tr: Translator, state: BroadcastState) -> Reply:
    """A second press of the confirm button, or an old one."""
    if state is BroadcastState.UNKNOWN:
        return Reply(tr._("That announcement is unknown (or too old)."))
    if state is BroadcastState.SENDING:
        return Reply(tr._("That announcement is sending already."))
    if state is BroadcastState.CANCELLED:
        return Reply(tr._("That announcement is cancelled already."))
    return Reply(tr._("That announcement is sent already."))


def broadcast_done(tr: Translator, report: BroadcastReport) -> str:
    return tr._(
        "📢 Announcement sent: {sent} delivered, {blocked} blocked, {failed} failed.",
        sent=report.sent,
        blocked=report.blocked,
        failed=report.failed,
    )


class ErrorPlace(Enum):
    """Where an error happened when it was not in a command."""

    JOB = "a background job"
    BUTTON = "a button"
    INLINE = "an inline query"
    UPDATE = "an update"


def _place(tr: Translator, where: str | ErrorPlace) -> str:
    match where:
        case ErrorPlace.JOB:
            return tr._("a background job")
        case ErrorPlace.BUTTON:
            return tr._("a button")
        case ErrorPlace.INLINE:
            return tr._("an inline query")
        case ErrorPlace.UPDATE:
            return tr._("an update")
    return clean(where)  # the command typed, as typed


def admin_error_notice(
    tr: Translator, kind: str, where: str | ErrorPlace, detail: str, more: int
) -> str:
    """What an admin is told of an error in a handler (the traceback is in the log)."""
    text = tr._(
        "⚠️ <b>{kind}</b> in {where}: {detail}",
        kind=clean(kind),
        where=_place(tr, where),
        detail=clean(detail[:300]),
    )
    if more:
        text += "\n" + tr.ngettext(
            "({count} more of these in the last minute)",
            "({count} more of these in the last minute)",
            more,
        )
    return text + "\n" + tr._("The traceback is in the log.")
