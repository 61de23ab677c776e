"""Why a seed file was not loaded, in the reader's language (English on the command line)."""

from __future__ import annotations

from bot.commands import N_
from bot.i18n import ENGLISH, Translator
from storage.seeds.records import Rejection, RejectionKind, SeedReason

K = RejectionKind

# One whole sentence per kind, filled with the rejection's values; technical details (an OS
# error, a JSON parser's message) stay as they were given.
_TEXTS: dict[RejectionKind, str] = {
    K.TOO_LARGE: N_("file too large ({size} MB, limit {limit} MB)"),
    K.OVER_LIMIT: N_("file too large (over {limit} MB)"),
    K.EMPTY: N_("empty file"),
    K.UTF16: N_("unsupported encoding (UTF-16); save the file as UTF-8"),
    K.NUL_BYTES: N_("binary content (NUL bytes)"),
    K.CONTROLS: N_("binary content ({share}% control characters)"),
    K.BLANK: N_("blank file (only whitespace)"),
    K.BAD_DATE_LINE: N_("bad date line {line}: {detail}"),
    K.NO_TITLE_AFTER_DATE: N_("no title after the date line"),
    K.NO_TITLE_BEFORE_LEAD: N_("no title before the {dateline} ({agency}) lead-in"),
    K.JSON_SYNTAX: N_("invalid JSON at line {line} column {column}: {detail}"),
    K.JSON_TOO_DEEP: N_("invalid JSON: nested too deeply"),
    K.JSON_INVALID: N_("invalid JSON: {detail}"),
    K.JSON_NOT_OBJECT: N_("JSON is not an object"),
    K.JSON_NO_TITLE: N_("JSON article has no title"),
    K.JSON_NO_BODY: N_("JSON article has no body"),
    K.JSON_BODY_TYPE: N_("JSON field 'body' must be a string or a list of strings"),
    K.JSON_TOPICS_TYPE: N_("JSON field 'topics' must be a list of strings"),
    K.JSON_FIELD_TYPE: N_("JSON field {field} must be a string"),
    K.BAD_PUBLISHED_AT: N_("invalid published_at {value}"),
    K.TITLE_NO_TEXT: N_("no title (the title line has no letters or digits)"),
    K.TITLE_TOO_LONG: N_("title too long ({length} characters, limit {limit})"),
    K.NO_BODY: N_("no body text after the title"),
    K.PAGE_UNREADABLE: N_("web page could not be read ({detail})"),
    K.PAGE_NO_STORY: N_("web page with no story in it (too little text: a login page?)"),
    K.PARSER_ERROR: N_("parser error: {detail}"),
    K.OUTSIDE: N_("link leads outside the seed folder: not read"),
    K.LINK_LOOP_FOLDER: N_("link loop: it points to a folder that holds it"),
    K.LINK_TO_FOLDER: N_("link to a folder in the seed folder: its files load from there"),
    K.LINK_LOOP: N_("link loop: the link leads back to itself"),
    K.BROKEN_LINK: N_("broken link: it points to {target}, which does not exist"),
    K.LINK_GONE: N_("broken link: it points to {target}, which is gone"),
    K.CANNOT_FOLLOW: N_("cannot follow link: {detail}"),
    K.FIFO: N_("not a regular file (a FIFO)"),
    K.SOCKET: N_("not a regular file (a socket)"),
    K.DEVICE: N_("not a regular file (a device)"),
    K.NOT_A_FILE: N_("not a regular file (not a file)"),
    K.PERMISSION_DENIED: N_("cannot read file: permission denied"),
    K.GONE: N_("cannot read file: it is gone"),
    K.CANNOT_READ: N_("cannot read file: {detail}"),
    K.CANNOT_READ_FOLDER: N_("cannot read folder: {detail}"),
    K.BAD_NAME: N_("file name is not valid UTF-8; rename it"),
}


def seed_reason(tr: Translator, reason: SeedReason) -> str:
    """One line: why the file was rejected; free text stored before reasons were typed as is."""
    if isinstance(reason, str):
        return reason
    values: dict[str, object] = dict(reason.values)
    if "size" in values:  # megabytes, with the language's decimal separator
        values["size"] = tr.decimal(float(str(values["size"])))
    text = tr._(_TEXTS[reason.kind], **values)
    if reason.kept:
        return tr._("{reason} (the previous version stays)", reason=text)
    return text


def english(reason: Rejection | str) -> str:
    """For logs and the command line."""
    return seed_reason(ENGLISH, reason)
