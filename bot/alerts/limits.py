"""When a chat may be sent alerts: its quiet hours in its own zone, and its hourly cap."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

HOUR = timedelta(hours=1)


def is_quiet(now: datetime, zone: tzinfo, start: int | None, end: int | None) -> bool:
    """Whether local `now` falls in [start, end) (minutes after midnight; may wrap midnight)."""
    if start is None or end is None or start == end:
        return False
    local = now.astimezone(zone)
    minute = local.hour * 60 + local.minute
    if start < end:
        return start <= minute < end
    return minute >= start or minute < end


@dataclass(frozen=True, slots=True)
class Allowance:
    count: int  # how many alerts may go now
    next_at: datetime | None  # when the next one may go, if none or not all can now


def allowance(
    now: datetime, cap: int, sent_last_hour: Sequence[datetime], wanting: int
) -> Allowance:
    """At most `cap` alerts in any hour: what is left of it now, and, if that is less than
    `wanting`, when the hour frees the next slot (the alerts held back go then)."""
    recent = sorted(moment for moment in sent_last_hour if moment > now - HOUR)
    left = max(0, cap - len(recent))
    if wanting <= left:
        return Allowance(wanting, None)
    # After sending `left` now, the window holds `cap` sends: the oldest of them frees first.
    window = [*recent, *([now] * left)][-cap:] if cap else [now]
    return Allowance(left, window[0] + HOUR)
