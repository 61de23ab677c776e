"""Each instance's tantivy index kept in step with the database: reloads, retractions, a second
instance, an index deleted or damaged on disk, a first start with none, and the vocabulary it
gives."""

from __future__ import annotations

import asyncio
import json
import shutil
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.search.service import SearchService
from storage import search_engine
from storage.database import Database
from storage.folding import words
from storage.search_engine import SearchEngine
from storage.seeds.loader import load_seeds
from storage.state import corpus_version
from tests.conftest import BOTH_DATABASES

NOW = datetime(2026, 11, 27, tzinfo=UTC)


def write(folder: Path, name: str, title: str, body: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(json.dumps({"title": title, "body": body}))


async def titles(service: SearchService, query: str) -> list[str]:
    return [hit.article.title for hit in (await service.search(query)).hits]


async def seeded(db: Database, tmp_path: Path) -> Path:
    seeds = tmp_path / "seeds"
    write(seeds, "a.json", "Zebracorn sighted in Geneva", "A striped horned animal was seen.")
    write(seeds, "b.json", "Parliament debates the budget", "Members argued about taxes.")
    await load_seeds(db, seeds, now=NOW)
    return seeds


@BOTH_DATABASES
async def test_index_follows_reloads_and_retractions_in_every_instance(
    db: Database, tmp_path: Path
) -> None:
    seeds = await seeded(db, tmp_path)
    first = SearchService(db, index_folder=tmp_path / "index")
    second = SearchService(db, index_folder=tmp_path / "index")  # claims a folder of its own
    for service in (first, second):
        await service.index_ready()
        assert service.engine is not None and service.engine.ready
        assert await titles(service, "zebracron") == ["Zebracorn sighted in Geneva"]
    assert first.engine is not None and second.engine is not None
    assert first.engine.folder != second.engine.folder

    write(seeds, "a.json", "Unicorn sighted in Geneva", "A horned animal was seen again.")
    (seeds / "b.json").unlink()
    write(seeds, "c.json", "Quokka census published", "Counting the smiling marsupials.")
    await load_seeds(db, seeds, now=NOW + timedelta(hours=1))
    for service in (first, second):
        await service.index_ready()
        assert service.engine is not None and service.engine.ready
        assert await titles(service, "zebracorn") == []
        assert await titles(service, "unicron geneva") == ["Unicorn sighted in Geneva"]
        assert await titles(service, "parliament budget") == []  # retracted
        assert await titles(service, "quokka") == ["Quokka census published"]
    first.close()
    second.close()


@BOTH_DATABASES
async def test_a_deleted_index_is_rebuilt_and_no_search_is_lost(
    db: Database, tmp_path: Path
) -> None:
    await seeded(db, tmp_path)
    service = SearchService(db, index_folder=tmp_path / "index")
    await service.index_ready()
    service.close()
    shutil.rmtree(tmp_path / "index")

    again = SearchService(db, index_folder=tmp_path / "index")
    await again.warm_up()
    # Answered at once, from the first part of the index being built (or a scan of titles).
    assert await titles(again, "zebracron") == ["Zebracorn sighted in Geneva"]
    await again.index_ready()
    assert again.engine is not None and again.engine.ready
    assert await titles(again, "zebracron") == ["Zebracorn sighted in Geneva"]
    again.close()


@BOTH_DATABASES
async def test_a_damaged_index_is_rebuilt(db: Database, tmp_path: Path) -> None:
    seeds = await seeded(db, tmp_path)
    service = SearchService(db, index_folder=tmp_path / "index")
    await service.index_ready()
    assert service.engine is not None and service.engine.folder is not None
    folder = service.engine.folder
    service.close()
    for path in folder.iterdir():
        if path.is_file() and not path.name.startswith("."):
            path.write_bytes(b"\x00garbage" * 10)

    again = SearchService(db, index_folder=tmp_path / "index")
    assert await titles(again, "zebracron") == ["Zebracorn sighted in Geneva"]
    await again.index_ready()
    assert again.engine is not None and again.engine.ready
    assert await titles(again, "zebracron") == ["Zebracorn sighted in Geneva"]

    # Deleted under a running instance: the next change rebuilds it.
    shutil.rmtree(folder)
    write(seeds, "c.json", "Quokka census published", "Counting the smiling marsupials.")
    await load_seeds(db, seeds, now=NOW + timedelta(hours=1))
    await again.index_ready()
    assert await titles(again, "quokka") == ["Quokka census published"]
    assert await titles(again, "zebracron") == ["Zebracorn sighted in Geneva"]
    again.close()


@BOTH_DATABASES
async def test_searches_before_anything_is_loaded_are_answered(
    db: Database, tmp_path: Path
) -> None:
    await seeded(db, tmp_path)
    service = SearchService(db, index_folder=tmp_path / "index")
    # Neither vocabulary nor index yet (a first start): words are taken as typed.
    result = await service.search("zebracorn parliament budget")
    assert "Zebracorn sighted in Geneva" in [hit.article.title for hit in result.hits]
    await service.index_ready()
    assert await titles(service, "zebracron") == ["Zebracorn sighted in Geneva"]
    service.close()


def test_tests_leave_no_index_folders_in_the_system_temp_folder() -> None:
    """A server database's index defaults to the temp folder; under tests that is a folder of
    their own, removed at exit (each test database would otherwise leave one behind)."""
    from storage.search_engine import default_folder
    from tests.conftest import _TEST_TEMP

    server = Database("postgresql+asyncpg://postgres@127.0.0.1:5432/newsbot_test_leak")
    assert default_folder(server).is_relative_to(_TEST_TEMP)


@BOTH_DATABASES
async def test_index_and_database_stay_in_step_over_many_reloads(
    db: Database, tmp_path: Path
) -> None:
    """Each sync after the first reads only the rows written since the last one: over reloads
    that change, retract, revive and add articles, every instance's searches still match the
    database, including an instance restarted in between and a write stamped by a clock that
    runs behind."""
    seeds = await seeded(db, tmp_path)
    first = SearchService(db, index_folder=tmp_path / "index")
    second = SearchService(db, index_folder=tmp_path / "index")
    for service in (first, second):
        await service.index_ready()

    async def in_step(expected: dict[str, list[str]]) -> None:
        for service in (first, second):
            await service.index_ready()
            for query, found in expected.items():
                assert await titles(service, query) == found, query

    # Changed and retracted.
    write(seeds, "a.json", "Unicorn sighted in Geneva", "A horned animal was seen again.")
    (seeds / "b.json").unlink()
    await load_seeds(db, seeds, now=NOW + timedelta(hours=1))
    await in_step({"zebracorn": [], "unicorn": ["Unicorn sighted in Geneva"], "budget": []})

    # Revived (the same text back), and one more added; the second instance restarts first.
    second.close()
    second = SearchService(db, index_folder=tmp_path / "index")
    write(seeds, "b.json", "Parliament debates the budget", "Members argued about taxes.")
    write(seeds, "c.json", "Quokka census published", "Counting the smiling marsupials.")
    await load_seeds(db, seeds, now=NOW + timedelta(hours=2))
    await in_step(
        {"budget": ["Parliament debates the budget"], "quokka": ["Quokka census published"]}
    )

    # Written by an instance whose clock is a day behind: still found.
    write(seeds, "d.json", "Wombat burrows mapped", "Surveyors crawled under the hills.")
    await load_seeds(db, seeds, now=NOW - timedelta(days=1))
    await in_step({"wombat": ["Wombat burrows mapped"], "unicorn": ["Unicorn sighted in Geneva"]})

    # Retracted again, with nothing else changing.
    (seeds / "c.json").unlink()
    await load_seeds(db, seeds, now=NOW + timedelta(hours=3))
    await in_step({"quokka": [], "wombat": ["Wombat burrows mapped"]})
    first.close()
    second.close()


@BOTH_DATABASES
async def test_searches_alone_bring_a_reload_into_every_instance(
    db: Database, tmp_path: Path
) -> None:
    """Nobody calls warm_up: the searches themselves notice the new corpus version (asked
    beside them, a few times a second) and each instance's index catches up."""
    seeds = await seeded(db, tmp_path)
    instances = [SearchService(db, index_folder=tmp_path / "index") for _ in range(2)]
    for service in instances:
        await service.index_ready()
    write(seeds, "c.json", "Quokka census published", "Counting the smiling marsupials.")
    await load_seeds(db, seeds, now=NOW + timedelta(hours=1))
    for service in instances:
        found: list[str] = []
        for _ in range(600):  # a liveness bound (a minute), not a speed check
            found = [hit.title for hit in (await service.search("quokka", articles=False)).hits]
            if found:
                break
            await asyncio.sleep(0.1)
        assert found == ["Quokka census published"]
        service.close()


def pause_first_build(monkeypatch: pytest.MonkeyPatch) -> asyncio.Event:
    """A build in small chunks that stops after its first commit until the event returned is
    set: what a search (or a reload) meets on a big corpus while the rest is indexed."""
    monkeypatch.setattr(search_engine, "FIRST_COMMIT", 10)
    monkeypatch.setattr(search_engine, "FETCH_CHUNK", 5)
    release = asyncio.Event()
    committed = SearchEngine._committed

    async def paused(self: SearchEngine, *args: Any) -> None:
        await committed(self, *args)
        await release.wait()

    monkeypatch.setattr(SearchEngine, "_committed", paused)
    return release


@BOTH_DATABASES
async def test_a_first_start_answers_from_the_first_part_of_the_index(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No index on disk: the newest articles are committed first, and searches answer from
    them while the rest is still being built."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    stories = [("Wombat burrows mapped", "Surveyors crawled under the hills.")]
    stories += [(f"Harbour story {n}", f"Boats came in, number {n}.") for n in range(28)]
    stories += [("Quokka census published", "Counting the smiling marsupials.")]
    for day, (title, body) in enumerate(stories, start=1):  # the wombat oldest, quokkas newest
        published = f"2026-10-{day:02d}T12:00:00Z"
        (seeds / f"{day:02d}.json").write_text(
            json.dumps({"title": title, "body": body, "published_at": published})
        )
    await load_seeds(db, seeds, now=NOW)
    release = pause_first_build(monkeypatch)
    service = SearchService(db, index_folder=tmp_path / "index")
    try:
        await service.warm_up(wait=False)
        assert service.engine is not None
        assert await service.engine.until_ready()
        assert service.engine.partial  # the rest is still to come
        assert await titles(service, "quokka census") == ["Quokka census published"]
        assert await titles(service, "wombat burrows") == []  # not indexed yet
        release.set()
        await service.index_ready()
        assert not service.engine.partial
        assert await titles(service, "wombat burows") == ["Wombat burrows mapped"]
        assert await titles(service, "quokka census") == ["Quokka census published"]
    finally:
        release.set()
        service.close()


@BOTH_DATABASES
async def test_a_reload_during_a_first_build_is_searchable_once_warmed_up(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reload that lands while the first build runs (just after a first start): the build
    holds the corpus as it began, and the reload's report must still mean searchable."""
    seeds = tmp_path / "seeds"
    for n in range(30):
        write(seeds, f"{n:02d}.json", f"Harbour story {n}", f"Boats came in, number {n}.")
    await load_seeds(db, seeds, now=NOW)
    release = pause_first_build(monkeypatch)
    service = SearchService(db, index_folder=tmp_path / "index")
    try:
        await service.warm_up(wait=False)
        assert service.engine is not None and service.engine.partial  # the build goes on
        write(seeds, "zeppelin.json", "Zeppelin returns to the skies", "Airships are back.")
        await load_seeds(db, seeds, now=NOW + timedelta(hours=1))
        warming = asyncio.create_task(service.warm_up())  # as the reload does, then reports
        await asyncio.sleep(0.05)
        assert not warming.done()  # it waits for the build rather than report too early
        release.set()
        await warming
        assert await titles(service, "zeppelin skies") == ["Zeppelin returns to the skies"]
        assert (await titles(service, "harbour story 3"))[:1] == ["Harbour story 3"]
    finally:
        release.set()
        service.close()


@BOTH_DATABASES
async def test_with_no_usable_index_folder_titles_still_answer(
    db: Database, tmp_path: Path
) -> None:
    """An index that cannot be made at all (its folder is a file): every search is answered
    from the live titles, typos forgiven, a retracted article gone."""
    seeds = await seeded(db, tmp_path)
    (tmp_path / "index").write_text("not a folder")
    service = SearchService(db, index_folder=tmp_path / "index")
    try:
        assert await titles(service, "zebracron") == ["Zebracorn sighted in Geneva"]
        assert await titles(service, "parliament budgt") == ["Parliament debates the budget"]
        assert service.engine is not None and not service.engine.ready
        (seeds / "b.json").unlink()
        await load_seeds(db, seeds, now=NOW + timedelta(hours=1))
        await service.warm_up()
        assert await titles(service, "parliament budget") == []  # retracted
        assert await titles(service, "zebracorn") == ["Zebracorn sighted in Geneva"]
    finally:
        service.close()


# Text where a simple tokenizer and `words()` would part ways: the vocabulary is the folded words.
TRICKY = [
    ("Zürich BANK scandal", "It's the e-mail bob@example.com sent to http://x.org/a?b=1."),
    ("Nokia 7e7s costs 3.14 euros", "Dotted 1.2.3 version, snake_case, ΟΔΟΣ and naïve café."),
    ("Łódź and København", "İstanbul, Ångström; 日本語 and ١٢٣ — ‘quoted’ «words»."),
]


@BOTH_DATABASES
async def test_the_vocabulary_is_the_folded_words_of_the_index(
    db: Database, tmp_path: Path
) -> None:
    seeds = tmp_path / "seeds"
    for number, (title, body) in enumerate(TRICKY):
        write(seeds, f"{number}.json", title, body)
    await load_seeds(db, seeds, now=NOW)
    service = SearchService(db, index_folder=tmp_path / "index")
    try:
        await service.index_ready()
        assert service.engine is not None
        found = dict(service.engine.vocabulary() or [])
        expected = Counter(term for t, b in TRICKY for term in set(words(t) + words(b)))
        assert found == expected
        assert {"zurich", "it", "s", "7e7s", "3", "14", "οδοσ", "łodz", "istanbul"} <= found.keys()
        # Saved for a restart and the other instances, under the corpus version.
        saved = json.loads((tmp_path / "index" / "vocabulary.json").read_text())
        async with db.read() as session:
            assert saved["version"] == await corpus_version(session)
        assert dict(saved["terms"]) == expected
        # Corrected against it: a typo in an accented name, and a folded one.
        result = await service.search("zurch bank")
        assert [hit.article.title for hit in result.hits] == ["Zürich BANK scandal"]
        assert result.corrected == "zurich bank"
        assert await titles(service, "kobenhavn") == ["Łódź and København"]
        # A retracted article's words leave it (not only once tantivy merges its segment).
        (seeds / "2.json").unlink()
        await load_seeds(db, seeds, now=NOW + timedelta(hours=1))
        await service.index_ready()
        left = dict(service.engine.vocabulary() or [])
        assert left == Counter(term for t, b in TRICKY[:2] for term in set(words(t) + words(b)))
        assert "københavn" not in left and "kobenhavn" not in service._vocabulary
        assert await titles(service, "kobenhavn") == []
    finally:
        service.close()
