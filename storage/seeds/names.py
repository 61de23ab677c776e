"""File names as they may be shown: control characters and undecodable bytes escaped.

A seed file's name comes from whoever writes to the folder: a newline in it would forge a log
line or break a report, a right-to-left override would disguise it, and bytes that are not UTF-8
cannot be stored or sent at all.
"""

from __future__ import annotations

import re

# C0/C1 controls and DEL, line/paragraph separators, bidirectional overrides and isolates,
# and surrogates (Python's stand-ins for undecodable bytes in file names).
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match[0]
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the original byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(name: str) -> str:
    """`name` safe to log, print and send: one line, every odd character as an escape."""
    return _UNSAFE.sub(_escape, name)


def is_utf8(name: str) -> bool:
    """Whether the name came from valid UTF-8 bytes (and so can be stored and sent)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
