"""`python -m bot.catalogues`: collect every text marked for translation into the template,
then merge it into each language's catalogue: new messages come in untranslated (the
completeness test names them), gone ones are dropped, translations already made are kept.

Texts are marked with `tr._("...")` and `tr.ngettext("...", "...", n)` (see bot/i18n.py); where
to look is in `babel.cfg`. Run it from the project folder after adding or changing a text.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from bot.i18n import DOMAIN, LANGUAGES, LOCALES_DIR, catalogue_path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = LOCALES_DIR / f"{DOMAIN}.pot"


def _messages(template: bytes) -> list[tuple[object, ...]]:
    """What a template holds apart from its dates: the messages and their flags."""
    catalog = read_po(io.BytesIO(template))
    return [(m.id, m.context, tuple(sorted(m.flags)), tuple(m.auto_comments)) for m in catalog]


def main() -> int:
    before = TEMPLATE.read_bytes() if TEMPLATE.exists() else b""
    cli = CommandLineInterface()
    extract = ["-F", str(ROOT / "babel.cfg"), "-k", "N_", "-o", str(TEMPLATE), "--project=newsbot"]
    # Babel's command line (untyped) is the one documented way to extract and update.
    cli.run(["pybabel", "-q", "extract", *extract, "--no-location", "--no-wrap", str(ROOT)])  # type: ignore[no-untyped-call]
    if before and _messages(before) == _messages(TEMPLATE.read_bytes()):
        TEMPLATE.write_bytes(before)  # no new date when nothing changed: no churn to merge
    for code in LANGUAGES:
        action = "update" if catalogue_path(code).exists() else "init"
        args = ["pybabel", "-q", action, "-D", DOMAIN, "-i", str(TEMPLATE)]
        args += ["-d", str(LOCALES_DIR), "-l", code, "--no-wrap"]
        if action == "update":
            args += ["--ignore-obsolete", "--no-fuzzy-matching"]
        cli.run(args)  # type: ignore[no-untyped-call]
    print(f"{TEMPLATE.relative_to(ROOT)} and {len(LANGUAGES)} catalogues updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
