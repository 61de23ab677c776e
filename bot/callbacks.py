"""Callback data for inline buttons: self-contained, at most 64 bytes, valid across restarts.

Every button says everything its press needs (which page of what, which article), so a button
on a message sent before a restart, or by another instance, still works.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_BYTES = 64
SEP = "|"


@dataclass(frozen=True, slots=True)
class LatestPage:
    offset: int
    limit: int = 0  # how many of the newest to list; 0: all
    topic: str = ""


@dataclass(frozen=True, slots=True)
class SearchPage:
    page: int
    query: str
    truncated: bool = False  # the query did not fit: the message text holds it whole


@dataclass(frozen=True, slots=True)
class OpenSummary:
    short_id: str


@dataclass(frozen=True, slots=True)
class OpenFullText:
    short_id: str


@dataclass(frozen=True, slots=True)
class Action:
    """A button that starts a command: `latest`, `subscribe`, `noop` and the like."""

    name: str


@dataclass(frozen=True, slots=True)
class SettingsChange:
    """A /settings button: `time` shifts the delivery by `value` minutes, `size` sets the size,
    `topics` (value 0) clears the topics, `off`/`on` stop or resume the digest."""

    action: str
    value: int = 0


@dataclass(frozen=True, slots=True)
class ZoneChoice:
    """A button offering one timezone (an IANA name is at most 32 bytes)."""

    zone: str


Callback = (
    LatestPage | SearchPage | OpenSummary | OpenFullText | Action | SettingsChange | ZoneChoice
)


def _fit(prefix: str, text: str) -> tuple[str, bool]:
    """`prefix + text` cut to 64 bytes on a character boundary; True when something was cut."""
    room = MAX_BYTES - len(prefix.encode())
    data = text.encode()
    if len(data) <= room:
        return prefix + text, False
    return prefix + data[:room].decode("utf-8", errors="ignore").rstrip(), True


def encode(callback: Callback) -> str:
    match callback:
        case LatestPage(offset, limit, topic):
            return _fit(f"L{SEP}{offset}{SEP}{limit}{SEP}", topic)[0]
        case SearchPage(page, query):
            data, cut = _fit(f"S{SEP}{page}{SEP}", query)
            return "T" + data[1:] if cut else data
        case OpenSummary(short_id):
            return f"M{SEP}{short_id}"
        case OpenFullText(short_id):
            return f"F{SEP}{short_id}"
        case Action(name):
            return f"A{SEP}{name}"
        case SettingsChange(action, value):
            return f"G{SEP}{action}{SEP}{value}"
        case ZoneChoice(zone):
            return f"Z{SEP}{zone}"
    raise TypeError(callback)


def decode(data: str | None) -> Callback | None:
    """The callback, or None for anything we did not make (old formats, forgeries)."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    kind, _, rest = data.partition(SEP)
    try:
        if kind == "L":
            offset, _, rest = rest.partition(SEP)
            limit, _, topic = rest.partition(SEP)
            return LatestPage(max(0, int(offset)), max(0, int(limit)), topic)
        if kind in ("S", "T"):
            page, _, query = rest.partition(SEP)
            return SearchPage(max(0, int(page)), query, truncated=kind == "T")
        if kind == "G":
            action, _, value = rest.partition(SEP)
            return SettingsChange(action, int(value)) if action else None
    except ValueError:
        return None
    if kind == "M" and rest:
        return OpenSummary(rest)
    if kind == "F" and rest:
        return OpenFullText(rest)
    if kind == "A" and rest:
        return Action(rest)
    if kind == "Z" and rest:
        return ZoneChoice(rest)
    return None
