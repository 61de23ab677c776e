"""URL checks Telegram applies to ``<a href>`` links and URL buttons (an approximation)."""

from __future__ import annotations

import re

_USER_LINK = re.compile(r"tg:(?://)?user\?id=(\d{1,19})", re.IGNORECASE)
_HOST_CHARS = re.compile(r"[A-Za-z0-9._~-]+")


def link_user_id(url: str) -> int | None:
    """The user id of a ``tg://user?id=N`` link (a text mention), else None."""
    match = _USER_LINK.fullmatch(url.strip())
    return int(match.group(1)) if match else None


def _valid_host(host: str) -> bool:
    if not host or host.startswith(".") or ".." in host:
        return False
    return all(_HOST_CHARS.fullmatch(ch) or ord(ch) > 127 for ch in host)


def check_link(url: str) -> str | None:
    """Telegram's normalised form of ``url`` (``http://`` added, ``/`` path), or None if invalid.

    Telegram silently drops a text link whose URL does not pass this check.
    """
    url = url.strip()
    if not url or any(ch.isspace() for ch in url):
        return None
    lower = url.lower()
    for scheme in ("tg", "ton"):
        if lower.startswith(scheme + ":"):
            rest = url[len(scheme) + 1 :].lstrip("/")
            return f"{scheme}://{rest}" if rest else None
    if "://" in url:
        scheme, rest = url.split("://", 1)
        scheme = scheme.lower()
        if scheme not in ("http", "https"):
            return None
    else:
        scheme, rest = "http", url
    cut = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
    authority, path = rest[:cut], rest[cut:]
    userinfo, _, hostport = authority.rpartition("@")
    host, colon, port = hostport.partition(":")
    if not _valid_host(host):
        return None
    if colon and not (port.isdigit() and 0 < int(port) < 65536):
        return None
    if not path.startswith("/"):
        path = "/" + path
    prefix = f"{userinfo}@" if userinfo else ""
    suffix = f":{port}" if colon else ""
    return f"{scheme}://{prefix}{host.lower()}{suffix}{path}"
