"""The console chat's own lines (the bot's messages print as they are)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import Translator


def banner(
    tr: Translator, user_id: int, *, admin: bool, log: str | None, admin_commands: Sequence[str]
) -> str:
    lines = [
        tr._("Local console chat with the news bot (fake Telegram, no token)."),
        tr._(
            "Type /start, /latest, /search words, or just words; numbers press buttons; "
            "'@ words' runs an inline query; /language changes the language; /quit leaves."
        ),
    ]
    if admin:
        lines.append(
            tr._(
                "You are user {id} (an admin: {commands}).",
                id=user_id,
                commands=", ".join("/" + name for name in admin_commands),
            )
        )
    else:
        lines.append(
            tr._(
                "You are user {id}; ADMIN_IDS={id} makes you an admin to try /stats, /reload, ...",
                id=user_id,
            )
        )
    if log is not None:
        lines.append(tr._("The log goes to {path}.", path=log))
    return "\n".join(lines) + "\n"


def edited(tr: Translator) -> str:
    return tr._("✏️  (edited)")


def answers_next(tr: Translator) -> str:
    return tr._("↩️  (your next line answers this)")


def inline_results(tr: Translator, query: str) -> str:
    return tr._("🔎 inline results for “{query}”:", query=query)


def inline_hint(tr: Translator, found: bool) -> str:
    return tr._("  (type r1, r2, ... to post one here)") if found else tr._("  nothing")


def console_error(tr: Translator, error: str) -> str:
    return tr._("(console: {error})", error=error)


def no_button(tr: Translator, typed: str) -> str:
    return tr._("(no button {number} here; /search {number} searches for it)", number=typed)


def no_result(tr: Translator, typed: str) -> str:
    return tr._("(no inline result {key} here: '@ words' lists some first)", key=typed)
