"""The full-text index behind search: the same terms and candidates on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import importlib
import json
import unicodedata
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Connection, select, text

from storage.database import Database
from storage.folding import words
from storage.models import Article
from storage.schema import _alembic_config, upgrade_schema
from storage.search_index import PostgresIndex, index_for, tsquery_expression
from storage.seeds.loader import load_seeds
from tests.conftest import BOTH_DATABASES

NOW = datetime(2026, 11, 28, tzinfo=UTC)
POSTGRES_ONLY = pytest.mark.parametrize(
    "database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)

# Text where the simple parser and our regex would part ways, and both indexes agree with Python.
TRICKY = [
    ("Zürich BANK scandal", "It's the e-mail bob@example.com sent to http://x.org/a?b=1."),
    ("Nokia 7e7s costs 3.14 euros", "Dotted 1.2.3 version, snake_case, ΟΔΟΣ and naïve café."),
    ("Łódź and København", "İstanbul, Ångström; 日本語 and ١٢٣ — ‘quoted’ «words»."),
]

HOSTILE = [
    "'",
    "''",
    '"',
    "\\",
    "\\'",
    "&",
    "|",
    "!",
    "(",
    ")",
    ":*",
    "a:*",
    "<->",
    "<2>",
    "a & b",
    "a | !b",
    "'a' & 'b'",
    "a:A",
    "putin'):*|(",
    "\x00putin",
    "x" * 5000,
    "🙂",
    "",
    " ",
]


def write_corpus(folder: Path, articles: list[tuple[str, str, str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for number, (title, body, day) in enumerate(articles):
        (folder / f"{number:03d}.json").write_text(
            json.dumps({"title": title, "body": body, "published_at": day + "T12:00:00Z"}),
            encoding="utf-8",
        )


async def load(db: Database, folder: Path, articles: list[tuple[str, str]]) -> dict[str, int]:
    """Load (title, body) pairs, one day apart (the later the newer); returns ids by title."""
    dated = [(t, b, f"2017-01-{n + 1:02d}") for n, (t, b) in enumerate(articles)]
    write_corpus(folder, dated)
    await load_seeds(db, folder, now=NOW)
    async with db.read() as session:
        return {
            title: id_ for id_, title in await session.execute(select(Article.id, Article.title))
        }


async def vocabulary(db: Database) -> dict[str, int]:
    async with db.read() as session:
        return dict(await index_for(db.dialect).vocabulary(session))


async def match(db: Database, groups: list[list[str]], *, require_all: bool = True) -> list[int]:
    async with db.read() as session:
        return await index_for(db.dialect).match(session, groups, require_all=require_all, limit=50)


def expected_vocabulary(articles: list[tuple[str, str]]) -> dict[str, int]:
    return dict(Counter(term for t, b in articles for term in set(words(t + " " + b))))


@BOTH_DATABASES
async def test_vocabulary_is_the_folded_words(db: Database, tmp_path: Path) -> None:
    await load(db, tmp_path / "corpus", TRICKY)
    found = await vocabulary(db)
    assert found == expected_vocabulary(TRICKY)
    assert {"zurich", "it", "s", "7e7s", "3", "14", "οδοσ", "łodz", "istanbul"} <= found.keys()


async def stored_texts(db: Database) -> list[tuple[str, str]]:
    """Every indexed article's text, retracted ones too (FTS5 and search_terms count them)."""
    async with db.read() as session:
        return [(t, b) for t, b in await session.execute(select(Article.title, Article.body))]


async def retitle_then_fail(db: Database) -> None:
    async with db.write() as session:
        await session.execute(text("UPDATE articles SET title = 'Rolled back'"))
        raise RuntimeError("roll back")


@BOTH_DATABASES
async def test_vocabulary_follows_every_write(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    ids = await load(db, folder, [("Putin visits", "Syria talks"), ("Flood warning", "Rivers")])
    # A changed file updates its article in place; a missing one retracts its article.
    write_corpus(folder, [("Putin leaves", "Syria talks end", "2017-01-01")])
    (folder / "001.json").unlink()
    await load_seeds(db, folder, now=NOW)
    expected = expected_vocabulary(await stored_texts(db))
    assert await vocabulary(db) == expected
    assert "visits" not in expected and expected["leaves"] == 1 and expected["flood"] == 1
    # Deleted rows, and a transaction that rolls back, count as they should.
    async with db.write() as session:
        await session.execute(
            text("DELETE FROM articles WHERE id = :id"), {"id": ids["Flood warning"]}
        )
    with pytest.raises(RuntimeError):
        await retitle_then_fail(db)
    assert await vocabulary(db) == expected_vocabulary(await stored_texts(db))
    assert "flood" not in await vocabulary(db)


@BOTH_DATABASES
async def test_vocabulary_counts_concurrent_loads(db: Database, tmp_path: Path) -> None:
    # Two loaders writing the same common words at once: no deadlock, no lost count.
    batches = [
        [(f"Story {n} of {side}", f"The same words in every story, number {n}.") for n in range(30)]
        for side in ("left", "right")
    ]
    for side, batch in zip(("left", "right"), batches, strict=True):
        dated = [(t, b, "2017-01-01") for t, b in batch]
        write_corpus(tmp_path / side, dated)
    await asyncio.gather(*(load_seeds(db, tmp_path / side, now=NOW) for side in ("left", "right")))
    found = await vocabulary(db)
    assert found == expected_vocabulary(batches[0] + batches[1])
    assert found["the"] == 60


@POSTGRES_ONLY
async def test_postgres_vocabulary_survives_truncate_and_rebuild(
    db: Database, tmp_path: Path
) -> None:
    await load(db, tmp_path / "corpus", [("Putin visits", "Syria")])
    async with db.write() as session:
        await session.execute(text("SELECT newsbot_rebuild_terms()"))
    assert await vocabulary(db) == expected_vocabulary([("Putin visits", "Syria")])
    async with db.write() as session:
        await session.execute(text("TRUNCATE articles CASCADE"))
    assert await vocabulary(db) == {}


@POSTGRES_ONLY
async def test_postgres_folds_exactly_as_python(db: Database, tmp_path: Path) -> None:
    # Where FTS5's unicode61 differs from Python (it keeps "ß", ligatures, "½"), PostgreSQL not.
    articles = [
        ("Straße ﬁnance", "x² and ½, Ⅻ, ǅ, ᾳ, ℌ, ﬀ, हिन्दी, Ꭰꭰ ΣΊΣΥΦΟΣ"),
        ("All the Latin-1", "".join(map(chr, range(0xA0, 0x250)))),
        ("Greek and Cyrillic", "".join(map(chr, range(0x370, 0x530)))),
    ]
    await load(db, tmp_path / "corpus", articles)
    assert await vocabulary(db) == expected_vocabulary(articles)
    async with db.read() as session:
        samples = [t + " " + b for t, b in articles] + ["", "   ", "--a--", "Ἀθῆναι"]
        for sample in samples:
            folded = await session.scalar(text("SELECT newsbot_fold(:t)"), {"t": sample})
            assert folded == " ".join(words(sample))


@BOTH_DATABASES
async def test_accents_and_case_fold(db: Database, tmp_path: Path) -> None:
    ids = await load(db, tmp_path / "corpus", [("Zürich BANK", "Café Crème"), ("Other", "news")])
    assert {"zurich", "bank", "cafe", "creme"} <= (await vocabulary(db)).keys()
    assert await match(db, [["zurich"], ["creme"]]) == [ids["Zürich BANK"]]


@BOTH_DATABASES
async def test_retracted_articles_are_not_matched(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    ids = await load(db, folder, [("Putin visits", "Syria"), ("Putin again", "Syria talks")])
    assert sorted(await match(db, [["putin"]])) == sorted(ids.values())
    (folder / "000.json").unlink()  # its article is retracted on the next load
    await load_seeds(db, folder, now=NOW)
    assert await match(db, [["putin"]]) == [ids["Putin again"]]
    assert await match(db, [["visits"]]) == []


@BOTH_DATABASES
async def test_require_all_or_any_group(db: Database, tmp_path: Path) -> None:
    ids = await load(
        db,
        tmp_path / "corpus",
        [("Flood warning", "Rivers rise"), ("Flood defences", "Built"), ("Warning", "Storm")],
    )
    both = await match(db, [["flood"], ["warning", "warnings"]], require_all=True)
    assert both == [ids["Flood warning"]]
    either = await match(db, [["flood"], ["warning", "warnings"]], require_all=False)
    assert either[0] == ids["Flood warning"]  # holds both words
    assert sorted(either) == sorted(ids.values())
    assert await match(db, [["flood"], ["nothing"]], require_all=True) == []
    assert await match(db, [], require_all=True) == []
    assert await match(db, [[], ["storm"]], require_all=True) == [ids["Warning"]]


@BOTH_DATABASES
async def test_title_matches_rank_above_body_matches(db: Database, tmp_path: Path) -> None:
    # The body-only articles are newer and say "budget" more often; the title still wins.
    ids = await load(
        db,
        tmp_path / "corpus",
        [
            ("Parliament debates the budget", "Members argued about taxes and spending."),
            ("Weather report", "Rain. The budget, the budget and the budget were not mentioned."),
            ("Football final", "The club's budget is large."),
        ],
    )
    assert (await match(db, [["budget"]]))[0] == ids["Parliament debates the budget"]


@BOTH_DATABASES
async def test_an_old_title_match_outranks_many_newer_body_matches(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PostgreSQL ranks only a pool of the newest matches; title matches have a pool of their own.
    monkeypatch.setattr(PostgresIndex, "POOL", 2)
    articles = [("Budget approved", "Members voted.")] + [
        (f"Story {n}", "The budget was mentioned.") for n in range(5)
    ]
    ids = await load(db, tmp_path / "corpus", articles)  # the title match is the oldest
    async with db.read() as session:
        found = await index_for(db.dialect).match(session, [["budget"]], require_all=True, limit=1)
    assert found == [ids["Budget approved"]]


@BOTH_DATABASES
async def test_terms_of_several_words_match_as_phrases(db: Database, tmp_path: Path) -> None:
    ids = await load(db, tmp_path / "corpus", [("It's raining", "Wet"), ("S it", "Dry")])
    assert await match(db, [["it's"]]) == [ids["It's raining"]]


@BOTH_DATABASES
@pytest.mark.parametrize("term", HOSTILE)
async def test_hostile_terms_are_searched_as_text(db: Database, tmp_path: Path, term: str) -> None:
    ids = await load(db, tmp_path / "corpus", [("Putin visits", "Syria 'a' & b"), ("Other", "x")])
    for require_all in (True, False):
        assert isinstance(await match(db, [[term]], require_all=require_all), list)
        assert isinstance(await match(db, [[term], ["putin"]], require_all=require_all), list)
    # Beside a real term, a hostile one neither breaks the query nor hides the article.
    assert await match(db, [["putin", term]]) == [ids["Putin visits"]]
    assert ids["Putin visits"] in await match(db, [[term], ["putin"]], require_all=False)


def test_tsquery_expression_quotes_every_lexeme() -> None:
    assert tsquery_expression([["a", "it's"], ["d"]], require_all=True) == (
        "('a' | 'it' <-> 's') & ('d')"
    )
    assert tsquery_expression([["a"], ["d"]], require_all=False) == "('a') | ('d')"
    assert tsquery_expression([["!!"], ["d"]], require_all=False) == "('d')"
    assert tsquery_expression([["!!"], ["d"]], require_all=True) is None
    assert tsquery_expression([[], []], require_all=True) is None


def test_migration_tables_match_this_python() -> None:
    # The index folds with tables frozen from Python's Unicode data; the queries fold with the
    # running Python's. A newer Unicode needs a migration that recreates newsbot_fold.
    migration = importlib.import_module("storage.migrations.versions.0003_postgres_search")
    if unicodedata.unidata_version != migration.UNICODE_VERSION:
        pytest.fail(
            f"Python has Unicode {unicodedata.unidata_version}, the index folds with "
            f"{migration.UNICODE_VERSION}: regenerate the tables in a new migration"
        )
    for name, value in migration.generate_tables().items():
        assert getattr(migration, name) == value, name


def _downgrade(connection: Connection) -> None:
    command.downgrade(_alembic_config(connection), "0002")


@BOTH_DATABASES
async def test_migration_downgrades_and_upgrades_again(db: Database, tmp_path: Path) -> None:
    ids = await load(db, tmp_path / "corpus", [("Putin visits", "Syria")])
    async with db.write_engine.begin() as connection:
        await connection.run_sync(_downgrade)
    if db.dialect == "postgresql":
        async with db.read() as session:
            leftovers = await session.scalar(
                text(
                    "SELECT (SELECT count(*) FROM pg_proc WHERE proname LIKE 'newsbot%') "
                    "+ (SELECT count(*) FROM information_schema.columns "
                    "WHERE table_name = 'articles' AND column_name = 'search_vector')"
                )
            )
            assert leftovers == 0
    await upgrade_schema(db)  # the index is rebuilt from the stored articles
    assert await match(db, [["syria"]]) == [ids["Putin visits"]]


QUERIES = [
    "putin syria",
    "syria putin",
    "parlaiment budjet",
    "telecom",
    "ZURICH",
    "zürich",
    "flood warning rivers",
    "warnin",
    "rivers",
    "merkel's party",
    "the",
    "putin\"'*",
    "nothing here",
]


@POSTGRES_ONLY
async def test_search_gives_the_same_results_on_both(db: Database, tmp_path: Path) -> None:
    from bot.search.service import SearchService
    from tests.test_search import CORPUS

    sqlite = Database(f"sqlite+aiosqlite:///{tmp_path / 'same.sqlite3'}")
    await upgrade_schema(sqlite)
    try:
        folder = tmp_path / "corpus"
        write_corpus(folder, CORPUS)
        services = []
        for database in (sqlite, db):
            await load_seeds(database, folder, now=NOW)
            services.append(SearchService(database))
        for query in QUERIES:
            on_sqlite, on_postgres = [await service.search(query) for service in services]
            assert [(h.article.title, h.match) for h in on_postgres.hits] == [
                (h.article.title, h.match) for h in on_sqlite.hits
            ], query
            assert on_postgres.corrected == on_sqlite.corrected, query
    finally:
        await sqlite.dispose()
