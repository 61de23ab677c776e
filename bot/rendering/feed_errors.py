"""Why a feed failed, in the reader's language (English on the command line and in logs)."""

from __future__ import annotations

from collections.abc import Callable

from bot.feeds.errors import FeedErrorKind, FeedReason
from bot.i18n import ENGLISH, Translator

K = FeedErrorKind
_Words = Callable[[Translator, dict[str, object]], str]

# One whole sentence per kind; technical details (an exception's name, the XML parser's
# message) stay as they were given.
_SENTENCES: dict[FeedErrorKind, _Words] = {
    K.TIMEOUT: lambda tr, v: tr._(
        "no answer within {seconds} s", seconds=tr.number(float(str(v["seconds"])))),
    K.NOT_WEB_REDIRECT: lambda tr, v: tr._("redirected to a non-web address"),
    K.BAD_ADDRESS: lambda tr, v: tr._("not a valid web address"),
    K.TOO_MANY_REDIRECTS: lambda tr, v: tr._("too many redirects"),
    K.HTTP_STATUS: lambda tr, v: tr._("HTTP {status}", **v),
    K.UNEXPECTED_STATUS: lambda tr, v: tr._("unexpected answer: HTTP {status}", **v),
    K.TOO_LARGE: lambda tr, v: tr._(
        "larger than {limit} MB: not read", limit=tr.number(float(str(v["limit"])))),
    K.CANNOT_CONNECT: lambda tr, v: tr._("cannot connect"),
    K.BROKEN_EXCHANGE: lambda tr, v: tr._("the server broke the exchange"),
    K.UNDECODABLE: lambda tr, v: tr._("the body could not be decoded"),
    K.NETWORK: lambda tr, v: tr._("network error ({detail})", **v),
    K.UNREADABLE: lambda tr, v: tr._("unreadable feed: {detail}", **v),
    K.MALFORMED: lambda tr, v: (
        tr._("malformed feed: {detail}", **v) if v.get("detail") else tr._("malformed feed")),
    K.NOT_A_FEED: lambda tr, v: tr._("not an RSS or Atom feed"),
    K.INTERNAL: lambda tr, v: tr._("the poll failed: {detail}", **v),
}  # fmt: skip


def feed_error_text(tr: Translator, error: FeedReason) -> str:
    """One line: what went wrong with the feed; free text stored before errors were typed as is."""
    if isinstance(error, str):
        return error
    values: dict[str, object] = dict(error.values)
    kept = values.pop("kept", None)
    text = _SENTENCES[error.kind](tr, values)
    if kept is None:
        return text
    count = int(str(kept))
    return tr.ngettext(
        "{error} ({count} item kept)", "{error} ({count} items kept)", count, error=text
    )


def english_error(error: FeedReason) -> str:
    return feed_error_text(ENGLISH, error)
