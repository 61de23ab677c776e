"""Search benchmark: quality and speed of our pipeline, a plain tantivy query and a title scan.

Run by hand (the data sets are not part of the project; pass their folders):

    python -m bench.search --bbc /work/shared/data/bbc-news-summary [--seed 7] [--queries 500]
        [--count 100000] [--generated DIR] [--workdir DIR] [--bbc-only]
        [--postgres postgresql+asyncpg://postgres@127.0.0.1:5432/postgres]

Two sizes, each measured for quality and speed in the same run: the BBC set (~2k articles) and
the BBC set plus `--count` generated articles (bench.generate.generate_shuffled: titles of
random BBC title words, bodies of random BBC paragraphs). Two kinds of query, made with
`--seed` (tune with one seed, report with another):

- title: 3-4 consecutive title words (the whole title when shorter), one typo in each word of
  5+ letters (a random substitution, deletion, insertion or swap of adjacent letters).
- detail: 4-5 consecutive words of a later paragraph (not the first), typos as above. On the
  BBC set only: generated bodies repeat real sentences, so a detail has no one right article.

A hit is the target article or one with the same title. Methods:

- ours: SearchService.search(articles=False) once its tantivy index is built (raw query to
  ranked hits, as /search and inline mode ask; the page shown is loaded after, untimed).
- tantivy: the same index asked as plainly as tantivy allows: each word a fuzzy term query
  (typo budget as ours, a swap one edit), titles boosted 10x, words ORed.
- scan: rapidfuzz.process.extract (partial_ratio) over every title, lower-cased once (not timed).

Also measured at the large size: the first search on a fresh start (no index on disk: the
first part of the index answers while the rest builds), the build time, the peak memory of a
process that builds the index and searches (a child process), and how long 1,000 changed
articles take to show in the searches of two instances. With --postgres, ours also runs on
PostgreSQL (each set loaded into a scratch database dropped after).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import math
import random
import shutil
import string
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import tantivy
from rapidfuzz import fuzz, process, utils
from sqlalchemy import text, update
from sqlalchemy.engine import make_url

from bench.generate import generate_shuffled
from bench.ingest import _admin as admin
from bench.ingest import table
from bot.search.service import SearchService
from bot.search.text import typo_budget, words
from storage.database import Database
from storage.models import Article
from storage.schema import upgrade_schema
from storage.search_engine import SCHEMA
from storage.seeds.loader import load_seeds
from storage.state import bump_corpus_version

TOP = 10
# Chosen on seed 1 among rapidfuzz's scorers (hit@1 on 150 BBC title queries: partial_ratio
# 97%, QRatio 96%, token_set_ratio 93%, WRatio 49%).
SCAN_SCORER = fuzz.partial_ratio
RELOADED = 1000
MISSES_SHOWN = 12


@dataclass(frozen=True, slots=True)
class Query:
    text: str
    article_id: int
    title: str
    # The words the query was made from, before typos, folded and joined by spaces.
    untyped: str = ""


@dataclass
class Outcome:
    method: str
    size: str
    kind: str
    db: str = "SQLite"
    latencies: list[float] = field(default_factory=list)  # ms
    ranks: list[int | None] = field(default_factory=list)  # of the first right article, 1-based

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


def _with_typos(parts: list[str], rng: random.Random) -> str:
    return " ".join(typo(p, rng) if sum(c.isalpha() for c in p) >= 5 else p for p in parts)


def title_query(title: str, rng: random.Random) -> tuple[str, list[str]]:
    parts = title.split()
    if len(parts) >= 4:
        n = rng.choice((3, 4))
        start = rng.randrange(len(parts) - n + 1)
        parts = parts[start : start + n]
    return _with_typos(parts, rng), parts


def detail_query(body: str, rng: random.Random) -> tuple[str, list[str]] | None:
    paragraphs = [p.split() for p in body.split("\n\n")[1:]]
    paragraphs = [p for p in paragraphs if len(p) >= 8]
    if not paragraphs:
        return None
    parts = rng.choice(paragraphs)
    n = rng.choice((4, 5))
    # A detail someone remembers names things: at least three words of four letters or more
    # ("the team and a" names no story).
    starts = [
        s for s in range(len(parts) - n + 1)
        if sum(sum(c.isalpha() for c in w) >= 4 for w in parts[s : s + n]) >= 3
    ]  # fmt: skip
    if not starts:
        return None
    start = rng.choice(starts)
    chosen = parts[start : start + n]
    return _with_typos(chosen, rng), chosen


def make_queries(
    articles: dict[int, tuple[str, str]], count: int, seed: int, kind: str
) -> list[Query]:
    rng = random.Random(f"{seed}:{kind}")
    ids = sorted(articles)
    picked = rng.sample(ids, min(count, len(ids)))
    found = []
    for i in picked:
        title, body = articles[i]
        made = title_query(title, rng) if kind == "title" else detail_query(body, rng)
        if made:
            found.append(Query(made[0], i, title, " ".join(words(" ".join(made[1])))))
    return found


# --- the methods ----------------------------------------------------------------------------


Method = Callable[[str], Awaitable[list[int]]]


def ours(service: SearchService) -> Method:
    async def search(query: str) -> list[int]:
        # The ranked hits; a reply loads its page's articles after (`SearchService.load`).
        result = await service.search(query, articles=False)
        return [hit.article_id for hit in result.hits[:TOP]]

    return search


def plain_tantivy(service: SearchService) -> Method:
    """Fuzzy term queries ORed, titles 10x: the index as the issue first tried it."""
    assert service.engine is not None
    index = service.engine._index
    assert index is not None

    async def search(query: str) -> list[int]:
        clauses = []
        for word in dict.fromkeys(words(query)):
            for field_name, boost in (("title", 10.0), ("body", 1.0)):
                fuzzy = tantivy.Query.fuzzy_term_query(
                    SCHEMA, field_name, word, typo_budget(word), True, False
                )
                clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(fuzzy, boost)))
        if not clauses:
            return []
        searcher = index.searcher()
        found = searcher.search(tantivy.Query.boolean_query(clauses), TOP)
        return [int(searcher.doc(address)["id"][0]) for _, address in found.hits]

    return search


def title_scan(ids: list[int], titles: list[str]) -> Method:
    async def search(query: str) -> list[int]:
        found = process.extract(
            utils.default_process(query), titles, scorer=SCAN_SCORER, processor=None, limit=TOP
        )
        return [ids[index] for _, _, index in found]

    return search


async def run(
    method: Method, name: str, outcome_of: tuple[str, str, str], queries: Sequence[Query],
    titles: dict[int, str],
) -> Outcome:  # fmt: skip
    size, kind, db = outcome_of
    outcome = Outcome(name, size, kind, db)
    await method("warm up the vocabulary")
    for query in queries:
        started = time.perf_counter()
        found = await method(query.text)
        outcome.latencies.append((time.perf_counter() - started) * 1000)
        outcome.ranks.append(
            next((n for n, i in enumerate(found, 1) if titles.get(i) == query.title), None)
        )
    return outcome


# --- corpora --------------------------------------------------------------------------------


def note(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


async def build(url: str, folder: Path) -> Database:
    db = Database(url)
    await upgrade_schema(db)
    started = time.perf_counter()
    report = await load_seeds(db, folder, now=datetime.now(UTC))
    note(f"loaded {folder}: {len(report.added):,} new in {time.perf_counter() - started:.0f} s")
    return db


async def read_corpus(db: Database) -> dict[int, tuple[str, str]]:
    async with db.read() as session:
        rows = await session.execute(
            text("SELECT id, title, body FROM articles WHERE NOT retracted")
        )
        return {int(i): (t, b) for i, t, b in rows}


async def ready_service(db: Database, folder: Path) -> tuple[SearchService, float]:
    shutil.rmtree(folder, ignore_errors=True)
    service = SearchService(db, index_folder=folder)
    started = time.perf_counter()
    await service.index_ready()
    return service, time.perf_counter() - started


async def measure(
    db: Database, name: str, size_label: str, work: Path, queries: dict[str, list[Query]],
    *, db_label: str = "SQLite", others: bool = True,
) -> tuple[list[Outcome], SearchService, float]:  # fmt: skip
    corpus = await read_corpus(db)
    titles = {i: t for i, (t, _) in corpus.items()}
    size = f"{len(corpus):,}"
    service, built = await ready_service(db, work / f"index-{name}")
    note(f"{name}: index built in {built:.1f} s")
    outcomes = []
    for kind, chosen in queries.items():
        outcomes.append(await run(ours(service), "ours", (size, kind, db_label), chosen, titles))
        if others:
            outcomes.append(
                await run(plain_tantivy(service), "tantivy", (size, kind, db_label), chosen, titles)
            )
            if kind == "title":
                ids = list(titles)
                scan = title_scan(ids, [utils.default_process(titles[i]) for i in ids])
                sample = chosen[: max(50, len(chosen) // 5)] if len(ids) > 10_000 else chosen
                outcomes.append(
                    await run(scan, "title scan", (size, kind, db_label), sample, titles)
                )
    return outcomes, service, built


def queries_for(corpus: dict[int, tuple[str, str]], args: argparse.Namespace, detail: bool):
    found = {"title": make_queries(corpus, args.queries, args.seed, "title")}
    if detail:
        found["detail"] = make_queries(corpus, args.queries, args.seed, "detail")
    return found


# --- the large-size extras ------------------------------------------------------------------


async def first_search(db: Database, work: Path, query: str) -> tuple[float, float]:
    """The first search's time (ms, start-up's warm-up included): on a first start ever (no
    index, no saved vocabulary), and on a restart (both kept on disk)."""
    folder = work / "index-fresh"
    shutil.rmtree(folder, ignore_errors=True)
    times = []
    for _ in range(2):
        service = SearchService(db, index_folder=folder)
        started = time.perf_counter()
        await service.warm_up(wait=False)  # as the bot starts
        await service.search(query)
        times.append((time.perf_counter() - started) * 1000)
        await service.index_ready()
        service.close()
    return times[0], times[1]


async def reload_visible(db: Database, url: str, work: Path) -> list[float]:
    """1,000 articles changed in one commit: seconds until each of two instances finds them.
    Each instance is a process of its own, as deployed (in one process they would share one
    interpreter lock, and each wait for the other's Python work)."""
    probes = []
    for n in (1, 2):
        folder = str(work / f"index-instance{n}")
        probes.append(
            await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bench.search", "--reload-probe", url, folder,
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            )
        )  # fmt: skip
    for probe in probes:
        assert probe.stdout is not None
        await probe.stdout.readline()  # "ready": its index is built and in step
    marker = "zqx" + uuid.uuid4().hex[:6]
    now = datetime.now(UTC)
    async with db.write() as session:
        rows = await session.execute(
            text("SELECT id, title FROM articles WHERE NOT retracted ORDER BY id LIMIT :n"),
            {"n": RELOADED},
        )
        changed = list(rows)
        for article_id, title in changed:
            new = f"{title} {marker}"
            digest = hashlib.sha256(f"{article_id}:{new}".encode()).hexdigest()
            # As every writer does, the time of the change (what each instance's sync reads by).
            await session.execute(
                update(Article)
                .where(Article.id == article_id)
                .values(title=new, content_hash=digest, updated_at=now)
            )
        await bump_corpus_version(session, now)
    started = time.time()
    for probe in probes:  # both told before either is waited for
        assert probe.stdin is not None
        probe.stdin.write(f"{marker} {started}\n".encode())
        await probe.stdin.drain()
    outputs = [(await probe.communicate())[0] for probe in probes]
    # The titles back as they were: a kept --workdir is the same corpus on the next run (and
    # the same as the PostgreSQL copy loaded from the files after this).
    async with db.write() as session:
        for article_id, title in changed:
            await session.execute(
                update(Article).where(Article.id == article_id).values(title=title)
            )
        await bump_corpus_version(session, datetime.now(UTC))
    return [float(out.decode().split()[-1]) for out in outputs]


def reload_probe(url: str, folder: Path) -> None:
    """In a child process: one instance; once its index is ready, says so, then searches for
    the marker read from stdin until 50 articles hold it; prints the seconds since the change."""

    async def probe() -> None:
        db = Database(url)
        service = SearchService(db, index_folder=folder)
        await service.index_ready()
        print("ready", flush=True)
        marker, started = (await asyncio.to_thread(sys.stdin.readline)).split()
        while time.time() - float(started) < 30:
            if len((await service.search(marker)).hits) >= 50:
                break
            await asyncio.sleep(0.02)
        print(time.time() - float(started), flush=True)
        service.close()
        await db.dispose()

    asyncio.run(probe())


def memory_probe(url: str, folder: Path, queries: Path) -> None:
    """In a child process: build the index from the database, search, print the peak RSS."""

    async def probe() -> None:
        db = Database(url)
        service, _ = await ready_service(db, folder)
        for query in json.loads(queries.read_text()):
            await service.search(query)
        await db.dispose()

    asyncio.run(probe())
    # VmHWM, this process's own peak: ru_maxrss would report the forking parent's if larger.
    status = Path("/proc/self/status").read_text()
    peak_kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
    print(peak_kb / 1024)


def peak_memory(url: str, work: Path, queries: list[Query]) -> float:
    listed = work / "probe-queries.json"
    listed.write_text(json.dumps([q.text for q in queries]))
    out = subprocess.run(
        [sys.executable, "-m", "bench.search", "--memory-probe", url, str(work / "index-probe"),
         str(listed)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return float(out.stdout.strip().splitlines()[-1])


# --- report ---------------------------------------------------------------------------------

TARGETS = {
    ("2k", "title"): (0.985, None, 3.0),
    ("100k", "title"): (0.97, 0.99, 10.0),
    ("2k", "detail"): (None, 0.90, None),
}


def quality_rows(outcomes: Sequence[Outcome], size_name: str) -> list[Sequence[str]]:
    rows: list[Sequence[str]] = [
        ("method", "db", "articles", "queries", "kind", "hit@1", "hit@5", "p50 ms", "p95 ms",
         "target", "met?"),
    ]  # fmt: skip
    for o in outcomes:
        target, ok = "-", "-"
        goal = TARGETS.get((size_name, o.kind))
        if o.method == "ours" and goal:
            h1, h5, p95 = goal
            parts, good = [], True
            if h1 is not None:
                parts.append(f"hit@1 >= {h1:.1%}")
                good &= o.hit_at(1) >= h1
            if h5 is not None:
                parts.append(f"hit@5 >= {h5:.0%}")
                good &= o.hit_at(5) >= h5
            if p95 is not None:
                parts.append(f"p95 <= {p95:g} ms")
                good &= o.percentile(0.95) <= p95
            target, ok = ", ".join(parts), "yes" if good else "NO"
        rows.append(
            (o.method, o.db, o.size, str(len(o.ranks)), o.kind, f"{o.hit_at(1):.1%}",
             f"{o.hit_at(5):.1%}", f"{o.percentile(0.5):.1f}", f"{o.percentile(0.95):.1f}",
             target, ok)
        )  # fmt: skip
    return rows


async def misses(service: SearchService, queries: Sequence[Query], outcome: Outcome) -> str:
    rows: list[Sequence[str]] = [("query", "understood as", "expected title", "rank", "came first")]
    missed = [(q, r) for q, r in zip(queries, outcome.ranks, strict=True) if r != 1]
    ambiguous = 0
    for n, (query, rank) in enumerate(missed):
        result = await service.search(query.text, articles=False)
        first = result.hits[0].title if result.hits else "(nothing)"
        # The first hit's title holds the words the query was made from, side by side, as
        # the expected one does: no search can tell which of the two was meant.
        ambiguous += f" {query.untyped} " in f" {' '.join(words(first))} "
        if n < MISSES_SHOWN:
            rows.append(
                (query.text, result.corrected or "=", query.title[:50], str(rank or "-"),
                 first[:50])
            )  # fmt: skip
    head = f"ours missed hit@1 on {len(missed)} of {len(queries)} ({outcome.kind}, {outcome.size})"
    either = (len(queries) - len(missed) + ambiguous) / len(queries)
    tell = (
        f"{ambiguous} of them ambiguous: the first hit's title holds the untyped query words "
        f"side by side too (hit@1 counting those: {either:.1%})"
    )
    return f"{head}; {tell}:\n\n{table(rows)}"


# --- the runs -------------------------------------------------------------------------------


async def on_postgres(server: str, folder: Path, work: Path, queries, name: str) -> Outcome:
    """Ours on PostgreSQL, the folder loaded into a scratch database (created, then dropped).
    Ids differ between the databases: queries are matched to articles by title."""
    database = f"newsbot_bench_{uuid.uuid4().hex[:8]}"
    await admin(server, f'CREATE DATABASE "{database}"')
    try:
        url = make_url(server).set(database=database).render_as_string(hide_password=False)
        db = await build(url, folder)
        outcomes, service, _ = await measure(
            db, f"pg-{name}", "", work, {"title": queries}, db_label="PostgreSQL", others=False
        )
        service.close()
        await db.dispose()
        return outcomes[0]
    finally:
        await admin(server, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


async def bench(args: argparse.Namespace, bbc: Path, work: Path) -> None:
    print(f"query seed {args.seed}, {args.queries} queries of each kind\n")
    if not args.skip_bbc:
        await bench_bbc(args, bbc, work)
    if not args.bbc_only:
        await bench_big(args, work)


async def bench_bbc(args: argparse.Namespace, bbc: Path, work: Path) -> None:
    db = await build(f"sqlite+aiosqlite:///{work / 'bbc.db'}", bbc)
    corpus = await read_corpus(db)
    queries = queries_for(corpus, args, detail=True)
    small, service, _ = await measure(db, "bbc", "2k", work, queries)
    report = [
        misses(service, queries[k], o) for k, o in (("title", small[0]), ("detail", small[3]))
    ]
    missed = [await r for r in report]
    service.close()
    await db.dispose()
    if args.postgres:
        small.append(await on_postgres(args.postgres, bbc, work, queries["title"], "bbc"))
    print(f"BBC set:\n\n{table(quality_rows(small, '2k'))}\n", flush=True)
    for text_ in missed:
        print(text_ + "\n")


async def bench_big(args: argparse.Namespace, work: Path) -> None:
    big_folder = work / "big"
    url = f"sqlite+aiosqlite:///{work / 'big.db'}"
    db = await build(url, big_folder)
    corpus = await read_corpus(db)
    queries = queries_for(corpus, args, detail=False)
    del corpus
    big, service, built = await measure(db, "big", "100k", work, queries)
    service.close()
    print(f"BBC + generated, SQLite:\n\n{table(quality_rows(big, '100k'))}\n", flush=True)
    first_ms = await first_search(db, work, queries["title"][0].text)
    visible = await reload_visible(db, url, work)
    await db.dispose()
    memory = peak_memory(url, work, queries["title"][:200])
    extras: list[Sequence[str]] = [
        ("measure", "value", "target", "met?"),
        ("index build (SQLite)", f"{built:.1f} s", "-", "-"),
        ("first search, first start (no index)", f"{first_ms[0]:.0f} ms", "<= 1000 ms",
         "yes" if first_ms[0] <= 1000 else "NO"),
        ("first search, restart (index kept)", f"{first_ms[1]:.0f} ms", "<= 1000 ms",
         "yes" if first_ms[1] <= 1000 else "NO"),
        ("peak RSS: build + 200 searches", f"{memory:.0f} MB", "<= 400 MB",
         "yes" if memory <= 400 else "NO"),
    ]  # fmt: skip
    for n, seconds in enumerate(visible, 1):
        extras.append(
            (f"{RELOADED:,} changed articles found, instance {n}", f"{seconds:.2f} s", "<= 2 s",
             "yes" if seconds <= 2 else "NO")
        )  # fmt: skip
    print(table(extras), flush=True)
    if args.postgres:
        big.append(await on_postgres(args.postgres, big_folder, work, queries["title"], "big"))
        print(f"BBC + generated:\n\n{table(quality_rows(big, '100k'))}\n")


def prepare_big(args: argparse.Namespace, bbc: Path, folder: Path) -> None:
    """The large set's seed folder: a copy of the BBC set beside the generated articles (in the
    work folder, never the project)."""
    if (folder / "bbc").is_dir():
        return
    shutil.copytree(bbc, folder / "bbc")
    if args.generated is None:
        started = time.perf_counter()
        generate_shuffled(folder / "generated", args.count, source=bbc)
        note(f"generated in {time.perf_counter() - started:.0f} s")
    else:
        shutil.copytree(args.generated, folder / "generated")


def main(argv: list[str] | None = None) -> None:
    if argv is None and len(sys.argv) == 5 and sys.argv[1] == "--memory-probe":
        memory_probe(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
        return
    if argv is None and len(sys.argv) == 4 and sys.argv[1] == "--reload-probe":
        reload_probe(sys.argv[2], Path(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bbc", type=Path, required=True)
    parser.add_argument("--generated", type=Path, help="a bench.generate folder")
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7, help="the query generator's seed")
    parser.add_argument("--count", type=int, default=100_000, help="articles to generate")
    parser.add_argument("--workdir", type=Path, help="keep work files here (default: temp)")
    parser.add_argument("--postgres", help="also run ours on PostgreSQL (server URL)")
    parser.add_argument("--bbc-only", action="store_true", help="skip the large size")
    parser.add_argument("--skip-bbc", action="store_true", help="only the large size")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench_search_") as temp:
        work = args.workdir or Path(temp)
        work.mkdir(parents=True, exist_ok=True)
        bbc = args.bbc / "NewsArticles" if (args.bbc / "NewsArticles").is_dir() else args.bbc
        if not args.bbc_only:
            prepare_big(args, bbc, work / "big")  # before the event loop: generate() forks
        asyncio.run(bench(args, bbc, work))


if __name__ == "__main__":
    main()
