"""Seed file bytes -> clean text, or the reason the bytes are not a text file we can read."""

from __future__ import annotations

import math
import re

from storage.seeds.records import Rejection, RejectionKind, rejection

MAX_BYTES = 5 * 1024 * 1024
_MB = 1024 * 1024

# Above this share of control characters the file is binary, not text with a few stray bytes.
MAX_CONTROL_SHARE = 0.10

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

# C0/C1 controls and DEL that no text file needs (line breaks and tab are not counted).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# What clean_text removes: all controls but tab and newline, and lone surrogates (decoding
# never makes them, but JSON "\ud800" escapes do, and they cannot be stored as UTF-8).
_UNWANTED = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# Vertical tab and form feed break lines in old text files; keep them as line breaks.
_LINE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})


def decode_seed(data: bytes) -> str | Rejection:
    """Decode a seed file: LF line endings, no control characters, never empty."""
    if len(data) > MAX_BYTES:
        # Round up so a file just over the limit never reads as "5.0 MB, limit 5 MB".
        size = math.ceil(len(data) * 10 / _MB) / 10
        return rejection(RejectionKind.TOO_LARGE, size=size, limit=MAX_BYTES // _MB)
    if not data:
        return rejection(RejectionKind.EMPTY)
    if data.startswith(_UTF16_BOMS):
        return rejection(RejectionKind.UTF16)
    if b"\x00" in data:
        return rejection(RejectionKind.NUL_BYTES)

    text = _decode(data)
    controls = len(_CONTROL.findall(text))
    if controls > MAX_CONTROL_SHARE * len(text):
        share = round(100 * controls / len(text))
        return rejection(RejectionKind.CONTROLS, share=share)
    text = clean_text(text)
    if not text.strip():
        return rejection(RejectionKind.BLANK)
    return text


def clean_text(text: str) -> str:
    """LF line endings, and no control characters other than newline and tab."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_LINE_BREAKS)
    return _UNWANTED.sub("", text)


def _decode(data: bytes) -> str:
    """UTF-8 (BOM optional) first; otherwise the usual Windows/Latin-1 encodings of old pages."""
    try:
        return data.removeprefix(_UTF8_BOM).decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; Latin-1 maps every byte, so this cannot fail.
        return data.decode("latin-1")
