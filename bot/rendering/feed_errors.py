"""Why a feed failed, in the reader's language (English on the command line and in logs)."""

from __future__ import annotations

from bot.commands import N_
from bot.feeds.errors import FeedErrorKind, FeedReason
from bot.i18n import ENGLISH, Translator

K = FeedErrorKind

# One whole sentence per kind, filled with the error's values; technical details (an
# exception's name, the XML parser's message) stay as they were given.
_TEXTS: dict[FeedErrorKind, str] = {
    K.TIMEOUT: N_("no answer within {seconds} s"),
    K.NOT_WEB_REDIRECT: N_("redirected to a non-web address"),
    K.BAD_ADDRESS: N_("not a valid web address"),
    K.TOO_MANY_REDIRECTS: N_("too many redirects"),
    K.HTTP_STATUS: N_("HTTP {status}"),
    K.UNEXPECTED_STATUS: N_("unexpected answer: HTTP {status}"),
    K.TOO_LARGE: N_("larger than {limit} MB: not read"),
    K.CANNOT_CONNECT: N_("cannot connect"),
    K.BROKEN_EXCHANGE: N_("the server broke the exchange"),
    K.UNDECODABLE: N_("the body could not be decoded"),
    K.NETWORK: N_("network error ({detail})"),
    K.UNREADABLE: N_("unreadable feed: {detail}"),
    K.MALFORMED: N_("malformed feed: {detail}"),
    K.NOT_A_FEED: N_("not an RSS or Atom feed"),
    K.INTERNAL: N_("the poll failed: {detail}"),
}
_NUMBERS = ("seconds", "limit")  # shown with the language's decimal separator


def feed_error_text(tr: Translator, error: FeedReason) -> str:
    """One line: what went wrong with the feed; free text stored before errors were typed as is."""
    if isinstance(error, str):
        return error
    values: dict[str, object] = dict(error.values)
    kept = values.pop("kept", None)
    for key in _NUMBERS:
        if key in values:
            values[key] = tr.number(float(str(values[key])))
    message = _TEXTS[error.kind]
    if error.kind is K.MALFORMED and not values.get("detail"):
        message = N_("malformed feed")
    text = tr._(message, **values)
    if kept is None:
        return text
    return tr.ngettext(
        "{error} ({count} item kept)", "{error} ({count} items kept)", int(str(kept)), error=text
    )


def english_error(error: FeedReason) -> str:
    return feed_error_text(ENGLISH, error)
