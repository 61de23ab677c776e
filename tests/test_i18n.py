"""The catalogues: complete, consistent with the code, compiling, with the plural forms each
language needs; the reader's language chosen from Telegram's code, English for the rest."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import DEFAULT, LANGUAGES, LOCALES_DIR, catalogue_path, supported, translator

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"\{(\w*)\}")
TAG = re.compile(r"</?\w+")
FOREIGN = [code for code in LANGUAGES if code != DEFAULT]


def _catalogue(code: str) -> Catalog:
    with catalogue_path(code).open("rb") as source:
        return read_po(source, locale=code)


def _ids(message: Message) -> tuple[str, ...]:
    found = message.id if isinstance(message.id, tuple) else (message.id,)
    return tuple(str(i) for i in found)


def _strings(message: Message) -> tuple[str, ...]:
    found = message.string if isinstance(message.string, tuple) else (message.string,)
    return tuple(str(s or "") for s in found)


def _in_code() -> set[str]:
    """Every msgid the code marks, extracted as `python -m bot.catalogues` does."""
    found: set[str] = set()
    for folder in ("bot", "handlers"):
        for _, _, message, _, _ in extract_from_dir(
            ROOT / folder,
            method_map=[("**.py", "python")],
            keywords={"_": None, "ngettext": (1, 2), "N_": None},
        ):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_text_in_the_code_is_in_the_template() -> None:
    """A text added to the code without `python -m bot.catalogues` is named here."""
    with (LOCALES_DIR / "messages.pot").open("rb") as source:
        template = {_ids(m)[0] for m in read_po(source) if m.id}
    missing = sorted(_in_code() - template)
    assert not missing, "run `python -m bot.catalogues`; not in the template: " + repr(missing)


@pytest.mark.parametrize("code", LANGUAGES)
def test_each_catalogue_has_every_message_of_the_template(code: str) -> None:
    with (LOCALES_DIR / "messages.pot").open("rb") as source:
        template = {_ids(m)[0] for m in read_po(source) if m.id}
    catalogue = {_ids(m)[0] for m in _catalogue(code) if m.id}
    assert not sorted(template - catalogue), f"{code}: missing {sorted(template - catalogue)}"


@pytest.mark.parametrize("code", FOREIGN)
def test_every_message_is_translated_with_the_same_placeholders_and_tags(code: str) -> None:
    catalogue = _catalogue(code)
    untranslated, mismatched = [], []
    for message in catalogue:
        if not message.id:
            continue
        strings = _strings(message)
        if message.pluralizable and len(strings) != catalogue.num_plurals:
            mismatched.append((message.id, f"{len(strings)} plural forms"))
        if not all(strings) or message.fuzzy:
            untranslated.append(message.id)
            continue
        for string in strings:
            # Each form names the same values (a form may leave the count out: "one").
            names = set(PLACEHOLDER.findall(string))
            allowed = set().union(*(PLACEHOLDER.findall(i) for i in _ids(message)))
            if names - allowed or (allowed - {"count"}) - names:
                mismatched.append((message.id, string))
            if sorted(TAG.findall(string)) != sorted(TAG.findall(_ids(message)[0])):
                mismatched.append((message.id, string))
    assert not untranslated, f"{code}: untranslated {untranslated}"
    assert not mismatched, f"{code}: placeholders or tags differ: {mismatched}"


@pytest.mark.parametrize("code", LANGUAGES)
def test_each_catalogue_compiles_and_is_used(code: str) -> None:
    tr = translator(code)
    assert tr.code == code
    welcome = tr._("👋 Hi!")
    assert welcome == {"en": "👋 Hi!", "ru": "👋 Привет!", "es": "👋 ¡Hola!"}.get(code, welcome)


def test_russian_has_three_plural_forms_and_spanish_its_own() -> None:
    ru, es = translator("ru"), translator("es")
    stories = ("{count} story", "{count} stories")
    assert [ru.ngettext(*stories, n) for n in (1, 3, 5, 11, 21, 22)] == [
        "1 статья", "3 статьи", "5 статей", "11 статей", "21 статья", "22 статьи",
    ]  # fmt: skip
    assert [es.ngettext(*stories, n) for n in (1, 2, 0)] == [
        "1 noticia",
        "2 noticias",
        "0 noticias",
    ]
    assert translator("en").ngettext(*stories, 1234) == "1,234 stories"


def test_numbers_and_dates_follow_the_language() -> None:
    from datetime import UTC, datetime

    moment = datetime(2017, 12, 14, 13, 20, tzinfo=UTC)
    assert translator("en").datetime(moment, "d MMM y, HH:mm") == "14 Dec 2017, 13:20"
    assert translator("ru").datetime(moment, "d MMM y, HH:mm") == "14 дек. 2017, 13:20"
    assert translator("es").datetime(moment, "EEE d MMM") == "jue 14 dic"
    assert translator("ru").number(12345) == "12\xa0345"
    assert translator("es").number(12345) == "12.345"


@pytest.mark.parametrize(
    ("telegram", "ours"),
    [("ru", "ru"), ("ru-RU", "ru"), ("es-419", "es"), ("ES", "es"), ("en-GB", "en"),
     ("de", "en"), ("pt-br", "en"), ("", "en"), (None, "en"), ("x" * 40, "en")],
)  # fmt: skip
def test_telegram_language_codes_map_to_ours_or_english(telegram: str | None, ours: str) -> None:
    assert supported(telegram) == ours
    assert translator(telegram).code == ours


@pytest.mark.parametrize(
    ("setting", "environ", "ours"),
    [("", {"LANG": "ru_RU.UTF-8"}, "ru"), ("", {"LC_ALL": "es_ES.UTF-8", "LANG": "ru_RU"}, "es"),
     ("", {"LANG": "C.UTF-8"}, "en"), ("", {}, "en"), ("es", {"LANG": "ru_RU.UTF-8"}, "es"),
     ("de", {}, "en")],
)  # fmt: skip
def test_the_console_speaks_its_setting_else_the_terminals_language(
    setting: str, environ: dict[str, str], ours: str
) -> None:
    from bot.console import console_language
    from bot.settings import Settings

    settings = Settings(CONSOLE_LANGUAGE=setting, _env_file=None)
    assert console_language(settings, environ).code == ours


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_word_offered_for_no_filter_clears_the_filters(code: str) -> None:
    """The words question says "(or: none)" in the reader's language: typing that word back
    (the settings card shows it too) clears the filters instead of becoming one."""
    from bot.subscriptions import ALL_WORDS

    assert translator(code)._("none") in ALL_WORDS


# A /subscribe example a text shows (one with a time in it: "/subscribe in another topic" is
# prose), up to the end of its <code> or of the example.
SUBSCRIBE_EXAMPLE = re.compile(r"/subscribe ([^<—]*?\d[^<—]*?)(?:</code>|\s+(?:—|sends|y te)|\.?$)")


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_subscribe_example_shown_can_be_sent_as_it_is(code: str) -> None:
    """A reader copies the example a text shows (`/subscribe в 7:30 Москва темы: ...`): in
    every language it must be a /subscribe the bot reads, its time and zone as shown."""
    from bot.arguments import SubscribeArgs, parse_subscribe
    from bot.timezones import match_timezone

    examples = [
        found.group(1).strip()
        for message in _catalogue(code)
        if message.id
        for text in (_ids(message) if code == DEFAULT else _strings(message))
        for found in SUBSCRIBE_EXAMPLE.finditer(text)
    ]
    assert len(examples) >= 4, f"{code}: {examples}"
    for example in examples:
        parsed = parse_subscribe(example)
        assert isinstance(parsed, SubscribeArgs) and parsed.minute is not None, example
        assert not parsed.zone or match_timezone(parsed.zone).zone is not None, example
