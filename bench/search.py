"""Search benchmark: our pipeline against plain FTS5 and a full rapidfuzz scan, quality and speed.

Run by hand (the data sets are not part of the project; pass their folders):

    python -m bench.search --bbc /work/shared/data/bbc-news-summary [--generated DIR]
        [--queries 500] [--seed 7] [--scan-sample 50] [--workdir DIR]
        [--postgres postgresql+asyncpg://postgres@127.0.0.1:5432/postgres [--postgres-100k-only]]

Queries are made from titles: 3-4 consecutive title words picked at random (the whole title when
it has fewer than 4), then one typo in each word of 5+ letters (a random substitution, deletion,
insertion or swap of adjacent letters). A hit is the target article, or one with the same title.

- ours: SearchService.search (vocabulary correction, FTS5 candidates, rapidfuzz rerank).
- fts5: the query's words quoted and ANDed, topped up from the same words ORed, bm25 order.
- scan: rapidfuzz.process.extract over "title body" of every article (pre-lowercased once, not
  timed); the scorer is chosen on the BBC set, among several, by hit@1 on the first queries.

Latency is time.perf_counter around each call, after one warm-up query. The BBC database, and one
of 100,000 generated articles (bench.generate, unless --generated is given), are built in the work
folder (a temp dir unless --workdir is given); loading them is not timed here (see bench.ingest).
With --postgres, our pipeline also runs the same queries on PostgreSQL, each set loaded into a
scratch database that is dropped after; --postgres-100k-only runs just that at 100k.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import sqlite3
import string
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from rapidfuzz import fuzz, process, utils
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench.generate import generate
from bench.ingest import _admin as admin
from bench.ingest import table
from bot.search.service import SearchService
from bot.search.text import words
from storage.database import Database
from storage.schema import upgrade_schema
from storage.search_index import SqliteFts5Index
from storage.seeds.loader import load_seeds

TOP = 10
SCORERS: dict[str, Callable[..., float]] = {
    "WRatio": fuzz.WRatio,
    "token_set_ratio": fuzz.token_set_ratio,
    "partial_token_set_ratio": fuzz.partial_token_set_ratio,
    "partial_ratio": fuzz.partial_ratio,
    "token_ratio": fuzz.token_ratio,
}
SCORER_TRIAL = 50  # queries to choose the scan scorer on


@dataclass(frozen=True, slots=True)
class Query:
    text: str
    article_id: int
    title: str


@dataclass
class Outcome:
    method: str
    size: str
    latencies: list[float] = field(default_factory=list)  # ms
    ranks: list[int | None] = field(default_factory=list)  # of the first right title, 1-based

    def hit_at(self, k: int) -> float:
        return sum(1 for r in self.ranks if r is not None and r <= k) / len(self.ranks)

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


# --- queries -------------------------------------------------------------------------------


def typo(word: str, rng: random.Random) -> str:
    """One random edit among the word's letters: substitution, deletion, insertion or swap."""
    letters = [i for i, c in enumerate(word) if c.isalpha()]
    kind = rng.choice(("sub", "del", "ins", "swap"))
    swaps = [i for i in letters if i + 1 in letters and word[i].lower() != word[i + 1].lower()]
    if kind == "swap" and swaps:
        i = rng.choice(swaps)
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "del":
        i = rng.choice(letters)
        return word[:i] + word[i + 1 :]
    if kind == "ins":
        i = rng.randint(letters[0], letters[-1] + 1)
        return word[:i] + rng.choice(string.ascii_lowercase) + word[i:]
    i = rng.choice(letters)
    new = rng.choice([c for c in string.ascii_lowercase if c != word[i].lower()])
    return word[:i] + (new.upper() if word[i].isupper() else new) + word[i + 1 :]


def make_query(title: str, rng: random.Random) -> str:
    parts = title.split()
    if len(parts) >= 4:
        n = rng.choice((3, 4))
        start = rng.randrange(len(parts) - n + 1)
        parts = parts[start : start + n]
    return " ".join(typo(p, rng) if sum(c.isalpha() for c in p) >= 5 else p for p in parts)


def make_queries(titles: dict[int, str], count: int, seed: int) -> list[Query]:
    rng = random.Random(seed)
    ids = sorted(titles)
    picked = rng.sample(ids, count) if count <= len(ids) else rng.choices(ids, k=count)
    return [Query(make_query(titles[i], rng), i, titles[i]) for i in picked]


# --- the three methods ----------------------------------------------------------------------


Method = Callable[[str], Awaitable[list[int]]]


def ours(service: SearchService) -> Method:
    async def search(query: str) -> list[int]:
        result = await service.search(query)
        return [hit.article.id for hit in result.hits[:TOP]]

    return search


def plain_fts5(db: Database) -> Method:
    index = SqliteFts5Index()

    async def search(query: str) -> list[int]:
        groups = [[w] for w in dict.fromkeys(words(query))]
        async with db.read() as session:
            ids = await index.match(session, groups, require_all=True, limit=TOP)
            if len(ids) < TOP and len(groups) > 1:
                more = await index.match(session, groups, require_all=False, limit=TOP)
                ids += [i for i in more if i not in ids]
        return ids[:TOP]

    return search


def full_scan(ids: list[int], texts: list[str], scorer: Callable[..., float]) -> Method:
    async def search(query: str) -> list[int]:
        found = process.extract(
            utils.default_process(query), texts, scorer=scorer, processor=None, limit=TOP
        )
        return [ids[index] for _, _, index in found]

    return search


async def run(
    method: Method, name: str, size: str, queries: Sequence[Query], titles: dict[int, str]
) -> Outcome:
    outcome = Outcome(name, size)
    await method("warm up the vocabulary")
    for query in queries:
        started = time.perf_counter()
        found = await method(query.text)
        outcome.latencies.append((time.perf_counter() - started) * 1000)
        outcome.ranks.append(
            next((n for n, i in enumerate(found, 1) if titles[i] == query.title), None)
        )
    return outcome


# --- corpora --------------------------------------------------------------------------------


async def build(path: Path | str, folder: Path) -> Database:
    db = Database(path if isinstance(path, str) else f"sqlite+aiosqlite:///{path}")
    await upgrade_schema(db)
    started = time.perf_counter()
    report = await load_seeds(db, folder, now=datetime.now(UTC))
    print(
        f"loaded {folder}: {len(report.added):,} articles in {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
        flush=True,
    )
    return db


def corpus(path: Path) -> tuple[dict[int, str], list[int], list[str], int]:
    """Titles by id; ids and lower-cased "title body" texts for the scan; the index term count."""
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT id, title, body FROM articles WHERE retracted = 0")
        titles: dict[int, str] = {}
        ids: list[int] = []
        texts: list[str] = []
        for article_id, title, body in rows:
            titles[article_id] = title
            ids.append(article_id)
            texts.append(utils.default_process(title + " " + body))
        terms = connection.execute("SELECT count(*) FROM articles_vocab").fetchone()[0]
    connection.close()
    return titles, ids, texts, int(terms)


async def choose_scorer(
    queries: Sequence[Query], ids: list[int], texts: list[str], titles: dict[int, str]
) -> tuple[str, list[Sequence[str]]]:
    rows: list[Sequence[str]] = [("scorer", "queries", "hit@1", "hit@5", "mean ms")]
    best: tuple[float, float, float, str] | None = None
    trial = queries[:SCORER_TRIAL]
    for name, scorer in SCORERS.items():
        o = await run(full_scan(ids, texts, scorer), name, "", trial, titles)
        mean = sum(o.latencies) / len(o.latencies)
        rows.append(
            (name, str(len(trial)), f"{o.hit_at(1):.0%}", f"{o.hit_at(5):.0%}", f"{mean:.0f}")
        )
        key = (o.hit_at(1), o.hit_at(5), -mean, name)
        best = key if best is None or key > best else best
    assert best is not None
    return best[3], rows


# --- report ---------------------------------------------------------------------------------


def met(ok: bool) -> str:
    return "yes" if ok else "NO"


def quality_rows(outcomes: Sequence[Outcome]) -> list[Sequence[str]]:
    rows: list[Sequence[str]] = [
        ("method", "articles", "queries", "hit@1", "hit@5", "p50 ms", "p95 ms", "target", "met?")
    ]
    for o in outcomes:
        target, ok = "-", "-"
        if o.method.startswith("ours"):
            target = "hit@1 >= 95%, p95 <= 15 ms"
            ok = met(o.hit_at(1) >= 0.95 and o.percentile(0.95) <= 15)
        rows.append(
            (
                o.method,
                o.size,
                str(len(o.ranks)),
                f"{o.hit_at(1):.1%}",
                f"{o.hit_at(5):.1%}",
                f"{o.percentile(0.5):.1f}",
                f"{o.percentile(0.95):.1f}",
                target,
                ok,
            )
        )
    return rows


def speed_rows(outcomes: Sequence[Outcome]) -> list[Sequence[str]]:
    rows: list[Sequence[str]] = [
        ("method", "articles", "queries", "p50 ms", "p95 ms", "target", "met?")
    ]
    for o in outcomes:
        target, ok = "-", "-"
        if o.method.startswith("ours"):
            target, ok = "p95 <= 50 ms", met(o.percentile(0.95) <= 50)
        p50, p95 = o.percentile(0.5), o.percentile(0.95)
        rows.append((o.method, o.size, str(len(o.ranks)), f"{p50:.1f}", f"{p95:.1f}", target, ok))
    return rows


async def misses(service: SearchService, queries: Sequence[Query], outcome: Outcome) -> str:
    rows: list[Sequence[str]] = [("query", "understood as", "expected title", "rank", "came first")]
    missed = [(q, r) for q, r in zip(queries, outcome.ranks, strict=True) if r != 1]
    for query, rank in missed[:20]:
        result = await service.search(query.text)
        first = result.hits[0].article.title if result.hits else "(nothing)"
        shown = "-" if rank is None else str(rank)
        rows.append((query.text, result.corrected or "=", query.title, shown, first))
    head = f"our pipeline missed hit@1 on {len(missed)} of {len(queries)} BBC queries"
    return f"{head} (first 20; rank: of the expected title in our top {TOP}):\n\n{table(rows)}"


async def bench_bbc(args: argparse.Namespace, bbc: Path, work: Path) -> tuple[str, str]:
    """The BBC part: the scan scorer chosen, and the report of the part."""
    db = await build(work / "search_bbc.db", bbc)
    titles, ids, texts, terms = corpus(work / "search_bbc.db")
    size = f"{len(titles):,}"
    queries = make_queries(titles, args.queries, args.seed)
    scorer, scorer_rows = await choose_scorer(queries, ids, texts, titles)
    print(f"scan scorer chosen: {scorer}", file=sys.stderr, flush=True)
    service = SearchService(db)
    outcomes = [
        await run(ours(service), "ours (SearchService)", size, queries, titles),
        await run(plain_fts5(db), "plain FTS5 bm25", size, queries, titles),
        await run(full_scan(ids, texts, SCORERS[scorer]), f"scan {scorer}", size, queries, titles),
    ]
    missed = await misses(service, queries, outcomes[0])
    await db.dispose()
    del texts
    if args.postgres:
        outcomes.insert(1, await on_postgres(args.postgres, bbc, queries, titles))
    report = (
        f"scan scorer trial (BBC, first {SCORER_TRIAL} queries; best hit@1 is used):\n\n"
        f"{table(scorer_rows)}\n\nBBC set ({terms:,} index terms), quality and speed:\n\n"
        f"{table(quality_rows(outcomes))}\n\n{missed}"
    )
    return scorer, report


async def bench(args: argparse.Namespace, bbc: Path, generated: Path, work: Path) -> None:
    only_pg = args.postgres_100k_only
    if not only_pg:
        scorer, bbc_report = await bench_bbc(args, bbc, work)
        if args.bbc_only:
            print(bbc_report)
            return

    # The SQLite database is built even for the PostgreSQL row alone: the queries are made
    # from its titles, so both rows time the same ones (with --workdir it is only reloaded).
    db = await build(work / "search_big.db", generated)
    titles, ids, texts, terms = corpus(work / "search_big.db")
    size = f"{len(titles):,}"
    queries = make_queries(titles, args.queries, args.seed)
    big: list[Outcome] = []
    if not only_pg:
        service = SearchService(db)
        big = [
            await run(ours(service), "ours (SearchService)", size, queries, titles),
            await run(plain_fts5(db), "plain FTS5 bm25", size, queries, titles),
            await run(
                full_scan(ids, texts, SCORERS[scorer]),
                f"scan {scorer}",
                size,
                queries[: args.scan_sample],
                titles,
            ),
        ]
    await db.dispose()
    del texts
    ratios = [big[2].percentile(q) / big[0].percentile(q) for q in (0.5, 0.95)] if big else []
    if args.postgres:
        big.insert(min(1, len(big)), await on_postgres(args.postgres, generated, queries, titles))

    if not only_pg:
        print(bbc_report)
    print(f"\ngenerated set ({terms:,} SQLite index terms), speed only:\n")
    print(table(speed_rows(big)))
    for q, ratio in zip((50, 95), ratios, strict=False):
        print(
            f"\nscan / ours at p{q}, {size} articles: {ratio:,.0f}x "
            f"(target >= 10x: {met(ratio >= 10)})",
            end="",
        )
    print()


async def on_postgres(
    server: str, folder: Path, queries: Sequence[Query], titles: dict[int, str]
) -> Outcome:
    """The same queries through our pipeline on PostgreSQL: the folder loaded into a scratch
    database (created and dropped as bench.ingest does).

    Article ids differ between the two databases, so a hit is judged by title, as on SQLite."""
    name = f"newsbot_bench_{uuid.uuid4().hex[:8]}"
    await admin(server, f'CREATE DATABASE "{name}"')
    try:
        url = make_url(server).set(database=name).render_as_string(hide_password=False)
        db = await build(url, folder)
        async with db.read() as session:
            rows = await session.execute(text("SELECT id, title FROM articles"))
            pg_titles = {int(i): t for i, t in rows}
        outcome = await run(
            ours(SearchService(db)), "ours (PostgreSQL)", f"{len(pg_titles):,}", queries, pg_titles
        )
        await db.dispose()
        return outcome
    finally:
        await admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bbc", type=Path, required=True)
    parser.add_argument("--generated", type=Path, help="a bench.generate folder (100k)")
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scan-sample", type=int, default=50, help="scan queries at 100k")
    parser.add_argument("--count", type=int, default=100_000, help="articles to generate")
    parser.add_argument("--workdir", type=Path, help="keep work files here (default: temp)")
    parser.add_argument("--postgres", help="also run our queries on PostgreSQL (server URL)")
    parser.add_argument("--bbc-only", action="store_true", help="skip the 100k speed part")
    parser.add_argument(
        "--postgres-100k-only",
        action="store_true",
        help="only the PostgreSQL row at 100k (needs --postgres; skips BBC and SQLite timings)",
    )
    args = parser.parse_args(argv)
    if args.postgres_100k_only and (not args.postgres or args.bbc_only):
        parser.error("--postgres-100k-only needs --postgres, and not --bbc-only")
    with tempfile.TemporaryDirectory(prefix="bench_search_") as temp:
        work = args.workdir or Path(temp)
        work.mkdir(parents=True, exist_ok=True)
        bbc = args.bbc / "NewsArticles" if (args.bbc / "NewsArticles").is_dir() else args.bbc
        generated = args.generated
        if generated is None and not args.bbc_only:  # before the loop: generate() forks
            generated = work / "generated"
            started = time.perf_counter()
            generate(generated, args.count, source=bbc)
            seconds = time.perf_counter() - started
            print(f"generated in {seconds:.0f} s", file=sys.stderr, flush=True)
        asyncio.run(bench(args, bbc, generated or work, work))


if __name__ == "__main__":
    main()
