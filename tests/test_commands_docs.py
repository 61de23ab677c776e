"""The README's command tables name exactly the commands the bot declares (handlers.COMMANDS),
the admin ones in the admins' table; every command has its menu line and a /help line."""

from __future__ import annotations

import re
from pathlib import Path

from handlers import COMMANDS

README = Path(__file__).resolve().parent.parent / "README.md"
_ROW = re.compile(r"^\| `/(\w+)")


def _tables() -> list[set[str]]:
    """The commands of each table in the README's "What it does" section, in order."""
    section = README.read_text(encoding="utf-8").split("## What it does", 1)[1].split("\n## ")[0]
    tables: list[set[str]] = []
    in_table = False
    for line in section.splitlines():
        if line.startswith("|"):
            if not in_table:
                tables.append(set())
                in_table = True
            if found := _ROW.match(line):
                tables[-1].add(found.group(1))
        else:
            in_table = False
    return tables


def test_the_readme_tables_match_the_declared_commands() -> None:
    users, admins = _tables()
    assert users == {c.name for c in COMMANDS if not c.admin}
    assert admins == {c.name for c in COMMANDS if c.admin}


def test_every_command_is_declared_once_with_its_texts() -> None:
    names = [c.name for c in COMMANDS]
    assert len(names) == len(set(names))
    for command in COMMANDS:
        assert re.fullmatch(r"[a-z0-9_]{1,32}", command.name), command.name
        assert 3 <= len(command.menu) <= 256, command.name
        assert command.help or command.name == "start", command.name
