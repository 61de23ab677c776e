"""The bot's fixed texts: welcome, help, and short answers."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.arguments import MAX_LATEST, MAX_TOPICS, MAX_WORD_FILTERS, ArgumentProblem, Problem
from bot.callbacks import Action, LanguageChoice
from bot.commands import Command
from bot.i18n import LANGUAGES, Translator, translator
from bot.rendering.cards import Reply
from bot.rendering.markup import clean, echo

# What an id looks like, in the ids' own alphabet (no 0, 1, i, l, o): one that could be real.
EXAMPLE_ID = "8hgsdc"


def plain(text: str) -> Reply:
    """A message of plain words (they may quote what the user typed): escaped for HTML."""
    return Reply(clean(text))


def welcome(tr: Translator, first_name: str | None, bot_username: str) -> Reply:
    hello = tr._("👋 Hi {name}!", name=clean(first_name)) if first_name else tr._("👋 Hi!")
    text = (
        hello
        + " "
        + tr._(
            "I bring you the news from my article library.\n\n"
            "📰 /latest — the newest stories\n"
            "🔎 /search <i>words</i> — find stories; typos are fine. Or just type some words.\n"
            "📝 /summary <i>id or words</i> — a three-sentence summary\n"
            "📄 /article <i>id</i> — the full text\n"
            "🔔 /subscribe — a daily digest at the time you choose\n"
            "💬 In any chat, type <code>@{bot} words</code> to share a story.\n\n"
            "/help shows every command with an example.",
            bot=clean(bot_username),
        )
    )
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    tr._("📰 Latest news"), callback_data=callbacks.encode(Action("latest"))
                ),
                InlineKeyboardButton(
                    tr._("🔔 Daily digest"), callback_data=callbacks.encode(Action("subscribe"))
                ),
            ]
        ]
    )
    return Reply(text, keyboard)


def _help_lines(tr: Translator, commands: Sequence[Command]) -> list[str]:
    lines = []
    for command in commands:
        if command.help:
            lines.append(f"/{command.name} — {tr._(command.help)}")
            if command.examples:
                examples = ", ".join(f"<code>{clean(e)}</code>" for e in command.examples)
                lines.append(f"   {examples}")
    return lines


def help_text(
    tr: Translator, bot_username: str, commands: Sequence[Command], *, admin: bool = False
) -> Reply:
    """Every command with its examples, from the commands' declarations."""
    public = _help_lines(tr, [c for c in commands if not c.admin])
    text = tr._("<b>What I can do</b>") + "\n\n" + "\n".join(public) + "\n\n"
    text += tr._("Inline: type <code>@{bot} putin</code> in any chat.", bot=clean(bot_username))
    if admin:
        admins = _help_lines(tr, [c for c in commands if c.admin])
        text += "\n\n" + tr._("<b>For admins</b>") + "\n" + "\n".join(admins)
    return Reply(text)


def command_menu(
    tr: Translator, commands: Sequence[Command], *, admin: bool = False
) -> list[BotCommand]:
    """The menu Telegram shows beside the text box, in one language."""
    return [BotCommand(c.name, tr._(c.menu)) for c in commands if admin or not c.admin]


def language_menu(tr: Translator, unknown: str = "") -> Reply:
    """/language: each language by its own name, the chat's present one ticked; after
    `/language xx` (`unknown`), the ones there are named too."""
    buttons = []
    for code in LANGUAGES:
        name = translator(code).name
        label = ("✓ " if code == tr.code else "") + name
        buttons.append(
            [InlineKeyboardButton(label, callback_data=callbacks.encode(LanguageChoice(code)))]
        )
    if not unknown:
        text = tr._("🌐 Which language should I write to you in?")
    else:
        text = tr._(
            "🌐 I don't write in “{typed}”. I write in {names}: which one?",
            typed=clean(echo(unknown, 32)),
            names=", ".join(translator(code).name for code in LANGUAGES),
        )
    return Reply(text, InlineKeyboardMarkup(buttons))


def language_chosen(tr: Translator) -> Reply:
    """Said in the language just chosen."""
    return Reply(tr._("✅ From now on I write to you in English."))


def unknown_command(tr: Translator, command: str) -> Reply:
    return Reply(
        tr._("I don't know {command}. /help lists what I can do.", command=clean(echo(command, 64)))
    )


def did_you_mean(tr: Translator, command: str, rest: str) -> Reply:
    """A mistyped command: the one meant (tap to send), and with what followed it, the whole
    line to copy (`/lates 10` -> `/latest 10`)."""
    text = tr._("Did you mean /{command}?", command=command)
    if rest:
        text += f"\n<code>/{command} {clean(echo(rest, MAX_RESENT))}</code>"
    return Reply(text)


MAX_RESENT = 200
MAX_TOPICS_LISTED = 30
MAX_TOPIC_SHOWN = 60


def topic_list(tr: Translator, known: list[str], shown: int = MAX_TOPIC_SHOWN) -> str:
    """Topic names, the first 30 of them, then "and N more"; "none yet" when there are none."""
    if not known:
        return tr._("none yet")
    listed = ", ".join(clean(echo(name, shown)) for name in known[:MAX_TOPICS_LISTED])
    more = len(known) - MAX_TOPICS_LISTED
    if more > 0:
        return tr.ngettext(
            "{names} and {count} more", "{names} and {count} more", more, names=listed
        )
    return listed


def no_topic(tr: Translator, typed: str, known: list[str]) -> Reply:
    """`/latest <topic>` for a topic no article has: the ones there are, and a search."""
    return Reply(
        tr._(
            "I have no topic “{topic}”. Topics: {topics}.\n"
            "To search all articles instead: <code>/search {topic}</code>",
            topic=clean(echo(typed)),
            topics=topic_list(tr, known),
        )
    )


def topic_gone(tr: Translator) -> Reply:
    return Reply(tr._("That topic has no articles any more."))


def unknown_article(tr: Translator, text: str) -> Reply:
    return Reply(
        tr._(
            "No article with the id “{typed}”. It may have been withdrawn. "
            "Ids look like <code>{id}</code>; /latest shows the newest ones.",
            typed=clean(echo(text, 64)),
            id=EXAMPLE_ID,
        )
    )


def withdrawn_article(tr: Translator) -> Reply:
    """A button or link to an article that is no longer there (no id was typed)."""
    return Reply(tr._("This article has been withdrawn. /latest shows the newest ones."))


def no_articles(tr: Translator) -> Reply:
    return Reply(tr._("There are no articles yet."))


def which_article(tr: Translator) -> Reply:
    return Reply(
        tr._("Which article? Send its id, e.g. <code>/article {id}</code>.", id=EXAMPLE_ID)
    )


def expired_button(tr: Translator) -> str:
    return tr._("This button is no longer valid. Try /latest or /search.")


def saved(tr: Translator) -> str:
    """The short answer to a settings button that did what it said."""
    return tr._("Saved")


def empty_search(tr: Translator) -> Reply:
    return Reply(
        tr._(
            "What should I look for? Send some words, e.g. <code>/search putin syria</code>, "
            "or just type them."
        )
    )


def something_went_wrong(tr: Translator) -> str:
    return tr._("Something went wrong, please try again.")


def slow_down(tr: Translator) -> str:
    return tr._("🐢 Please slow down a little: I'll answer again in a few seconds.")


def argument_problem(tr: Translator, found: ArgumentProblem) -> Reply:
    """What is wrong with a command's words, and what to type instead."""
    typed = [clean(echo(word)) for word in found.typed]
    word = typed[0] if typed else ""
    match found.problem:
        case Problem.TOO_MANY_ARTICLES:
            text = tr._("I list at most {max} articles: try /latest {max}.", max=MAX_LATEST)
        case Problem.NOT_A_COUNT:
            text = tr._(
                "“{typed}” is not a number of articles I can show: try /latest 10 (1 to {max}).",
                typed=word,
                max=MAX_LATEST,
            )
        case Problem.TOO_MANY_TOPICS:
            text = tr._("At most {max} topics, please.", max=MAX_TOPICS)
        case Problem.TOPIC_TOO_LONG:
            text = tr._("Topics are words like syria or elections, not sentences.")
        case Problem.NOT_A_TIME:
            text = tr._(
                "“{typed}” is not a time I can read. Try 7:30, 19:00, 0730 or 7am.", typed=word
            )
        case Problem.TOO_MANY_WORDS:
            text = tr._("At most {max} words, please.", max=MAX_WORD_FILTERS)
    return Reply(text)
