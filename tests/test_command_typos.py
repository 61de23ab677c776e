"""What a mistyped command or a typed language is taken for (the e2e tests show the answers)."""

from __future__ import annotations

import pytest

from bot.commands import closest_command, meant_command
from bot.languages import language_named
from handlers import COMMANDS

EVERYONES = [c.name for c in COMMANDS if not c.admin]
ADMINS = [c.name for c in COMMANDS]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("lates", "latest"), ("latset", "latest"), ("LATES", "latest"), ("lat", "latest"),
        ("serch", "search"), ("unfolow", "unfollow"), ("follw", "follow"), ("sub", "subscribe"),
        ("setings", "settings"), ("langauge", "language"), ("helpp", "help"),
        ("l", None), ("s", None), ("frobnicate", None), ("nonsense", None), ("reloa", None),
    ],
)  # fmt: skip
def test_a_near_miss_names_one_command_or_none(typed: str, meant: str | None) -> None:
    assert closest_command(typed, EVERYONES) == meant


def test_an_admins_near_misses_include_the_admin_commands() -> None:
    assert closest_command("reloa", ADMINS) == "reload"
    assert closest_command("stat", ADMINS) == "stats"  # not /start: it does not begin so


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("latest10", ("latest", "10")), ("lates5", ("latest", "5")), ("latest", ("latest", "")),
        ("lates", ("latest", "")), ("10", None), ("frobnicate10", None),
    ],
)  # fmt: skip
def test_a_number_typed_onto_a_command_is_its_argument(
    typed: str, meant: tuple[str, str] | None
) -> None:
    assert meant_command(typed, EVERYONES) == meant


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("en", "en"), ("ES", "es"), ("es-419", "es"), ("русский", "ru"), ("Español", "es"),
        ("espanol", "es"), ("english", "en"), ("Russian", "ru"), ("испанский", "es"),
        ("inglés", "en"), ("xx", None), ("pt", None), ("", None),
    ],
)  # fmt: skip
def test_a_language_is_known_by_its_code_or_any_of_its_names(typed: str, code: str | None) -> None:
    assert language_named(typed) == code
