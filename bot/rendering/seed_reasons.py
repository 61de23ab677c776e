"""Why a seed file was not loaded, in the reader's language (English on the command line)."""

from __future__ import annotations

from collections.abc import Callable

from bot.i18n import ENGLISH, Translator
from storage.seeds.records import Rejection, RejectionKind, SeedReason

K = RejectionKind
_Words = Callable[[Translator, dict[str, object]], str]

# One whole sentence per kind; technical details (an OS error, a JSON message) stay as given.
_SENTENCES: dict[RejectionKind, _Words] = {
    K.TOO_LARGE: lambda tr, v: tr._(
        "file too large ({size} MB, limit {limit} MB)", size=tr.decimal(float(str(v["size"]))),
        limit=v["limit"]),
    K.OVER_LIMIT: lambda tr, v: tr._("file too large (over {limit} MB)", **v),
    K.EMPTY: lambda tr, v: tr._("empty file"),
    K.UTF16: lambda tr, v: tr._("unsupported encoding (UTF-16); save the file as UTF-8"),
    K.NUL_BYTES: lambda tr, v: tr._("binary content (NUL bytes)"),
    K.CONTROLS: lambda tr, v: tr._("binary content ({share}% control characters)", **v),
    K.BLANK: lambda tr, v: tr._("blank file (only whitespace)"),
    K.BAD_DATE_LINE: lambda tr, v: tr._("bad date line {line}: {detail}", **v),
    K.NO_TITLE_AFTER_DATE: lambda tr, v: tr._("no title after the date line"),
    K.NO_TITLE_BEFORE_LEAD: lambda tr, v: tr._(
        "no title before the {dateline} ({agency}) lead-in", **v),
    K.JSON_SYNTAX: lambda tr, v: tr._(
        "invalid JSON at line {line} column {column}: {detail}", **v),
    K.JSON_TOO_DEEP: lambda tr, v: tr._("invalid JSON: nested too deeply"),
    K.JSON_INVALID: lambda tr, v: tr._("invalid JSON: {detail}", **v),
    K.JSON_NOT_OBJECT: lambda tr, v: tr._("JSON is not an object"),
    K.JSON_NO_TITLE: lambda tr, v: tr._("JSON article has no title"),
    K.JSON_NO_BODY: lambda tr, v: tr._("JSON article has no body"),
    K.JSON_BODY_TYPE: lambda tr, v: tr._(
        "JSON field 'body' must be a string or a list of strings"),
    K.JSON_TOPICS_TYPE: lambda tr, v: tr._("JSON field 'topics' must be a list of strings"),
    K.JSON_FIELD_TYPE: lambda tr, v: tr._("JSON field {field} must be a string", **v),
    K.BAD_PUBLISHED_AT: lambda tr, v: tr._("invalid published_at {value}", **v),
    K.TITLE_NO_TEXT: lambda tr, v: tr._("no title (the title line has no letters or digits)"),
    K.TITLE_TOO_LONG: lambda tr, v: tr._(
        "title too long ({length} characters, limit {limit})", **v),
    K.NO_BODY: lambda tr, v: tr._("no body text after the title"),
    K.PAGE_UNREADABLE: lambda tr, v: tr._("web page could not be read ({detail})", **v),
    K.PAGE_NO_STORY: lambda tr, v: tr._(
        "web page with no story in it (too little text: a login page?)"),
    K.PARSER_ERROR: lambda tr, v: tr._("parser error: {detail}", **v),
    K.OUTSIDE: lambda tr, v: tr._("link leads outside the seed folder: not read"),
    K.LINK_LOOP_FOLDER: lambda tr, v: tr._("link loop: it points to a folder that holds it"),
    K.LINK_TO_FOLDER: lambda tr, v: tr._(
        "link to a folder in the seed folder: its files load from there"),
    K.LINK_LOOP: lambda tr, v: tr._("link loop: the link leads back to itself"),
    K.BROKEN_LINK: lambda tr, v: tr._(
        "broken link: it points to {target}, which does not exist", **v),
    K.LINK_GONE: lambda tr, v: tr._("broken link: it points to {target}, which is gone", **v),
    K.CANNOT_FOLLOW: lambda tr, v: tr._("cannot follow link: {detail}", **v),
    K.FIFO: lambda tr, v: tr._("not a regular file (a FIFO)"),
    K.SOCKET: lambda tr, v: tr._("not a regular file (a socket)"),
    K.DEVICE: lambda tr, v: tr._("not a regular file (a device)"),
    K.NOT_A_FILE: lambda tr, v: tr._("not a regular file (not a file)"),
    K.PERMISSION_DENIED: lambda tr, v: tr._("cannot read file: permission denied"),
    K.GONE: lambda tr, v: tr._("cannot read file: it is gone"),
    K.CANNOT_READ: lambda tr, v: tr._("cannot read file: {detail}", **v),
    K.CANNOT_READ_FOLDER: lambda tr, v: tr._("cannot read folder: {detail}", **v),
    K.BAD_NAME: lambda tr, v: tr._("file name is not valid UTF-8; rename it"),
}  # fmt: skip


def seed_reason(tr: Translator, reason: SeedReason) -> str:
    """One line: why the file was rejected; free text stored before reasons were typed as is."""
    if isinstance(reason, str):
        return reason
    text = _SENTENCES[reason.kind](tr, dict(reason.values))
    if reason.kept:
        return tr._("{reason} (the previous version stays)", reason=text)
    return text


def english(reason: Rejection | str) -> str:
    """For logs and the command line."""
    return seed_reason(ENGLISH, reason)
