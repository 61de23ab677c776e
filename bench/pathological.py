"""Hostile seed input: how long the parser takes on texts built to make patterns backtrack,
and a load takes on a folder of links out, loops, FIFOs and odd names.

Run by hand (no timed assertions live in the tests):

    python -m bench.pathological [--size 1000000] [--files 2000]

Each text is parsed once in this process (`storage.seeds.parsing.parse_seed`). The folder is
loaded into a fresh SQLite file, twice (the second load finds every file unchanged).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bot.rendering.seed_reasons import english
from storage.database import Database
from storage.schema import upgrade_schema
from storage.seeds.loader import load_seeds
from storage.seeds.parsing import parse_seed
from storage.seeds.records import Rejection
from tests.seed_folders import hostile_folder

NOW = datetime(2026, 11, 27, tzinfo=UTC)
TAIL = "\nA title\n\nGENEVA (AP) -- Body.\n\n© 2017 The Associated Press. All rights reserved.\n"


def texts(size: int) -> dict[str, Callable[[], str]]:
    """Each case's text, made when measured (so only one is in memory at a time)."""
    return {
        "date line + 30,000 spaces + '!' (the issue's 12 s freeze)": lambda: (
            "Dec 14, 8:20" + " " * 30_000 + "!" + TAIL
        ),
        "date line + spaces + '!'": lambda: "Dec 14, 8:20" + " " * size + "!" + TAIL,
        "date line + tabs + 'AM x'": lambda: "Dec 14, 8:20" + "\t" * size + "AM x" + TAIL,
        "copyright holder with a run of spaces": lambda: (
            "Title\n\nBody.\n\n© 2017 The" + " " * size + "x"
        ),
        "lead-in: capital + spaces, no '('": lambda: "Title\n\nGENEVA" + " " * size + "x\n\nBody.",
        "headline + '!\"' repeated": lambda: "Title\n\n" + '!"' * (size // 2) + "\n\nBody.",
        "'Zebracorn report. ' + 'A. ' repeated": lambda: (
            "Title\n\nZebracorn report. " + "A. " * (size // 3)
        ),
        "entities '&#1' repeated": lambda: "Title\n\n" + "&#1" * (size // 3),
        "one line per character ('a\\n' repeated)": lambda: "Title\n\n" + "a\n" * (size // 2),
        "navigation: 'World' + spaces + 'Video'": lambda: (
            "Dec 14, 8:20 AM\nTitle\n" + "World" + " " * size + "Video\nGENEVA (AP) -- Body."
        ),
        "JSON body of spaces": lambda: json.dumps({"title": "T", "body": " " * size + "x"}),
    }


def bench_texts(size: int) -> None:
    print(f"| text ({size:,} characters unless named) | seconds | result |")
    print("|---|---|---|")
    for name, make in texts(size).items():
        data = make().encode("utf-8")
        started = time.perf_counter()
        result = parse_seed(data, now=NOW)
        seconds = time.perf_counter() - started
        outcome = f"rejected: {english(result)}" if isinstance(result, Rejection) else "parsed"
        outcome = outcome if len(outcome) < 100 else outcome[:99] + "…"
        print(f"| {name} | {seconds:.3f} | {outcome} |")


async def bench_folder(files: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="newsbot-hostile-"))
    seeds = work / "seeds"
    odd = hostile_folder(seeds, work / "outside")
    for i in range(files):
        (seeds / "bulk" / f"{i:05d}.json").parent.mkdir(exist_ok=True)
        (seeds / "bulk" / f"{i:05d}.json").write_text(
            json.dumps({"title": f"Bulk item {i}", "body": f"Catch report {i}."})
        )
    db = Database(f"sqlite+aiosqlite:///{work / 'db.sqlite3'}")
    await upgrade_schema(db)
    print("\n| folder | load | files | added | rejected | seconds |")
    print("|---|---|---|---|---|---|")
    for load in ("first", "again"):
        report = await load_seeds(db, seeds, now=NOW)
        counts = report.counts()
        print(
            f"| {files:,} good files + {len(odd)} odd entries | {load} | {counts['files']:,} "
            f"| {counts['added']:,} | {counts['rejected']} | {report.seconds:.2f} |"
        )
    await db.dispose()
    print(f"\n(the odd entries: {', '.join(sorted(odd))})")
    shutil.rmtree(work)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--files", type=int, default=2000)
    args = parser.parse_args()
    bench_texts(args.size)
    asyncio.run(bench_folder(args.files))


if __name__ == "__main__":
    main()
