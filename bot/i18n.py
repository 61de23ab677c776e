"""The reader's language: gettext catalogues (Babel), plural rules, localized dates and numbers.

Each language is one catalogue, `bot/locales/<code>/LC_MESSAGES/messages.po`, that translators
edit without touching code, plus its code in `LANGUAGES`. Catalogues are compiled in memory the
first time a language is asked for (no `.mo` files to keep in step, nothing downloaded).
Renderers get a `Translator` as a parameter: no global "current language".

Messages are whole sentences with named placeholders (`"{count} new stories"`); values are filled
in after translation, so a translator may move them anywhere in the sentence.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

LOCALES_DIR = Path(__file__).with_name("locales")
DOMAIN = "messages"
DEFAULT = "en"
# The languages the bot speaks, in the order /language offers them. A new language: its
# catalogue under bot/locales/ and its code here.
LANGUAGES: tuple[str, ...] = ("en", "ru", "es")


@dataclass(frozen=True, slots=True)
class Translator:
    """One language's texts, plural rules, date and number formats."""

    code: str
    locale: Locale
    catalogue: NullTranslations

    def _(self, message: str, /, **values: object) -> str:
        """`message` in this language, its `{placeholders}` filled with `values`."""
        text = self.catalogue.gettext(message)
        return text.format(**values) if values else text

    def ngettext(self, singular: str, plural: str, count: int, /, **values: object) -> str:
        """The form for `count` (Russian has three); `{count}` is the number, formatted."""
        text = self.catalogue.ngettext(singular, plural, count)
        return text.format(**{"count": self.number(count), **values})

    def number(self, value: float) -> str:
        """`1,234` in English, `1 234` in Russian, `1.234` in Spanish."""
        return format_decimal(value, locale=self.locale)

    def decimal(self, value: float, places: int = 1) -> str:
        """`2.5` in English, `2,5` in Russian and Spanish: always `places` decimals."""
        return format_decimal(value, "#,##0." + "0" * places, locale=self.locale)

    def datetime(self, moment: datetime, pattern: str) -> str:
        """A moment in its own zone with localized month and day names (a CLDR pattern)."""
        return format_datetime(moment, pattern, tzinfo=moment.tzinfo, locale=self.locale)

    def date(self, day: date, pattern: str) -> str:
        return format_date(day, pattern, locale=self.locale)

    def country(self, code: str) -> str:
        """A country by its ISO code, as this language names it (CLDR): `Россия`, `Alemania`."""
        return str(self.locale.territories.get(code, code))

    @property
    def name(self) -> str:
        """The language's own name for itself: `English`, `Русский`, `Español`."""
        own = self.locale.get_display_name(self.locale) or self.code
        return own[:1].upper() + own[1:]


def catalogue_path(code: str) -> Path:
    return LOCALES_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def supported(code: str | None) -> str:
    """The language we speak for Telegram's `language_code` (`ru`, `es-419`, `pt-br`), else
    English."""
    if not code:
        return DEFAULT
    primary = code.replace("_", "-").split("-", 1)[0].lower()
    return primary if primary in LANGUAGES else DEFAULT


@functools.cache
def translator(code: str | None) -> Translator:
    """The translator for a language code; an unknown one gets English. Built once per language
    (a catalogue is read-only once compiled)."""
    found = supported(code)
    path = catalogue_path(found)
    if not path.exists():  # English before its first extraction: the texts as written
        return Translator(found, Locale.parse(found), NullTranslations())
    with path.open("rb") as source:
        catalog = read_po(source, locale=found, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translator(found, Locale.parse(found), Translations(compiled, domain=DOMAIN))


ENGLISH = translator(DEFAULT)
