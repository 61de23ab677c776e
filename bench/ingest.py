"""Seed loading benchmark: time and peak memory of syncing a seed folder into a fresh store.

Run by hand (the data sets are not part of the project; pass their folders):

    python -m bench.ingest --bbc /work/shared/data/bbc-news-summary [--generated DIR]
        [--postgres postgresql+asyncpg://postgres@127.0.0.1:5432/postgres] [--workdir DIR]

Each measured load runs in a fresh Python process, end to end as the bot starts: open the
database, bring the schema up to date, sync the folder. "seconds" is that whole span, "load s"
the sync alone; "peak MB" is the process's RSS high-water mark (VmHWM), "base MB" its RSS
before the load (interpreter and imports). Without --generated, 100,000 articles are generated
into the work folder first (not timed). On PostgreSQL a fresh database newsbot_bench_<random>
is created per fresh load and dropped at the end. Nothing is left outside the work folder.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psutil  # type: ignore[import-untyped]
from sqlalchemy.engine import make_url

from bench.generate import generate

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Case:
    name: str
    backend: str
    target_s: float | None
    target_mb: float | None = None
    result: dict[str, float] | None = None

    def met(self) -> str:
        if self.result is None or self.target_s is None:
            return "-"
        ok = self.result["seconds"] <= self.target_s
        if self.target_mb is not None:
            ok = ok and self.result["peak_mb"] <= self.target_mb
        return "yes" if ok else "NO"

    def target(self) -> str:
        if self.target_s is None:
            return "-"
        return f"<= {self.target_s:g} s" + (
            f", <= {self.target_mb:g} MB" if self.target_mb is not None else ""
        )


# --- the measured process ----------------------------------------------------------------


async def _child(url: str, folder: Path) -> dict[str, float]:
    from storage.database import Database
    from storage.schema import upgrade_schema
    from storage.seeds.loader import load_seeds

    base = psutil.Process().memory_info().rss / 2**20
    started = time.perf_counter()
    db = Database(url)
    try:
        await upgrade_schema(db)
        report = await load_seeds(db, folder, now=datetime.now(UTC))
    finally:
        await db.dispose()
    seconds = time.perf_counter() - started
    peak = peak_rss_mb()
    counts = report.counts()
    return {
        "seconds": seconds,
        "load_seconds": report.seconds,
        "peak_mb": peak,
        "base_mb": base,
        **{k: float(v) for k, v in counts.items()},
    }


def peak_rss_mb() -> float:
    """This process's RSS high-water mark. VmHWM, not ru_maxrss: Linux carries ru_maxrss over
    exec, so a child's would never read below the RSS of the parent that forked it."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def measure(url: str, folder: Path) -> dict[str, float]:
    command = [sys.executable, "-m", "bench.ingest", "--child", url, str(folder)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"load failed:\n{done.stderr}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# --- PostgreSQL scratch databases --------------------------------------------------------


async def _admin(url: str, statement: str) -> None:
    import asyncpg

    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(plain)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@contextmanager
def scratch_database(url: str) -> Iterator[str]:
    name = f"newsbot_bench_{secrets.token_hex(4)}"
    asyncio.run(_admin(url, f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


# --- the run -------------------------------------------------------------------------------


def run_backend(backend: str, bbc: Path, generated: Path, work: Path, pg: str | None) -> list[Case]:
    bbc_cases = [
        Case("BBC, fresh database", backend, 5.0),
        Case("BBC, reload unchanged", backend, 0.5),
    ]
    big_cases = [
        Case("100k generated, fresh", backend, 120.0, 500.0),
        Case("100k generated, reload", backend, None),
    ]
    for folder, cases, label in ((bbc, bbc_cases, "bbc"), (generated, big_cases, "100k")):
        if pg is None:
            with scratch_sqlite(work, label) as url:
                for case in cases:
                    case.result = measure(url, folder)
                    print_progress(case)
        else:
            with scratch_database(pg) as url:
                for case in cases:
                    case.result = measure(url, folder)
                    print_progress(case)
    return bbc_cases + big_cases


@contextmanager
def scratch_sqlite(work: Path, label: str) -> Iterator[str]:
    path = work / f"ingest_{label}.db"
    yield f"sqlite+aiosqlite:///{path}"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def print_progress(case: Case) -> None:
    assert case.result is not None
    print(
        f"  {case.backend}: {case.name}: {case.result['seconds']:.2f} s",
        file=sys.stderr,
        flush=True,
    )


def table(rows: Sequence[Sequence[str]]) -> str:
    """Rows as aligned columns, the first row a header."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def stored(r: dict[str, float]) -> str:
    text = f"+{r.get('added', 0):,.0f} ={r.get('unchanged', 0):,.0f}"
    for key, mark in (("duplicates", "dup"), ("rejected", "rej"), ("retracted", "ret")):
        if r.get(key):
            text += f" {mark}{r[key]:,.0f}"
    return text


def print_table(cases: list[Case]) -> None:
    header = (
        "case",
        "backend",
        "files",
        "stored",
        "seconds",
        "load s",
        "peak MB",
        "base MB",
        "target",
        "met?",
    )
    rows: list[Sequence[str]] = [header]
    for case in cases:
        r = case.result or {}
        rows.append(
            (
                case.name,
                case.backend,
                f"{r.get('files', 0):,.0f}",
                stored(r),
                f"{r.get('seconds', 0):.2f}",
                f"{r.get('load_seconds', 0):.2f}",
                f"{r.get('peak_mb', 0):.0f}",
                f"{r.get('base_mb', 0):.0f}",
                case.target(),
                case.met(),
            )
        )
    print(table(rows))
    print(
        "\nstored: +new articles =unchanged files, dupN: files holding an article already "
        "stored, rejN: files rejected."
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bbc", type=Path)
    parser.add_argument("--generated", type=Path, help="a bench.generate folder (100k)")
    parser.add_argument("--postgres", help="server URL; a scratch database is made on it")
    parser.add_argument("--workdir", type=Path, help="keep work files here (default: temp)")
    parser.add_argument("--count", type=int, default=100_000, help="articles to generate")
    parser.add_argument("--child", nargs=2, metavar=("URL", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        url, folder = args.child
        print(json.dumps(asyncio.run(_child(url, Path(folder)))))
        return
    if args.bbc is None:
        parser.error("--bbc is required")
    bbc = args.bbc / "NewsArticles" if (args.bbc / "NewsArticles").is_dir() else args.bbc
    with tempfile.TemporaryDirectory(prefix="bench_ingest_") as temp:
        work = args.workdir or Path(temp)
        work.mkdir(parents=True, exist_ok=True)
        generated = args.generated
        if generated is None:
            generated = work / "generated"
            started = time.perf_counter()
            generate(generated, args.count, source=bbc)
            print(
                f"generated {args.count:,} articles in {time.perf_counter() - started:.0f} s",
                file=sys.stderr,
            )
        cases = run_backend("sqlite", bbc, generated, work, None)
        if args.postgres:
            cases += run_backend("postgresql", bbc, generated, work, args.postgres)
    print(f"{os.cpu_count()} CPUs; each load in a fresh process.\n")
    print_table(cases)


if __name__ == "__main__":
    main()
