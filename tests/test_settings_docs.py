"""Every setting is documented the same way in bot/settings.py, .env.example and the README."""

from __future__ import annotations

import re

from bot.settings import Settings, env_example, readme_table
from tests.conftest import PROJECT

REGENERATE = "regenerate it: python -m bot.settings > .env.example"


def test_every_setting_has_a_one_line_meaning() -> None:
    for name, field in Settings.model_fields.items():
        assert field.description and "\n" not in field.description, name


def test_env_example_matches_the_settings() -> None:
    shipped = (PROJECT / ".env.example").read_text(encoding="utf-8")
    assert shipped == env_example(), f".env.example drifted from bot/settings.py: {REGENERATE}"
    named = re.findall(r"^# ([A-Z][A-Z0-9_]+)=", shipped, flags=re.MULTILINE)
    assert named == list(Settings.model_fields)


def test_readme_configuration_table_matches_the_settings() -> None:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    table = "\n".join(line for line in section.splitlines() if line.startswith("|")) + "\n"
    assert table == readme_table(), (
        "the README's configuration table drifted from bot/settings.py: paste the output of "
        "python -c 'from bot.settings import readme_table; print(readme_table())'"
    )


def test_the_example_values_are_valid_settings(tmp_path) -> None:
    """Uncommenting every line that has a value gives the defaults back (checkout paths aside)."""
    lines = []
    for line in env_example().splitlines():
        match = re.fullmatch(r"# ([A-Z][A-Z0-9_]+)=(.+)", line)
        if match and "<project>" not in match[2]:
            lines.append(f"{match[1]}={match[2]}")
    env_file = tmp_path / ".env"
    env_file.write_text("\n".join(lines) + "\n")
    loaded = Settings(_env_file=env_file)
    assert loaded == Settings(_env_file=None)
