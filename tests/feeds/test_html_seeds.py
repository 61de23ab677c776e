"""Saved web pages in the seed folder: read for their story, as the three text layouts are."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.rendering.seed_reasons import english
from storage.database import Database
from storage.seeds.loader import load_seeds
from storage.seeds.parsing import parse_seed
from storage.seeds.records import ParsedArticle, Rejection
from tests.feeds.documents import LOGIN_WALL

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
PAGE = """<!doctype html><html><head><meta charset="windows-1252">
<title>Otters return | Town Herald</title>
<meta property="og:title" content="Otters return to the river">
<meta property="article:published_time" content="2026-11-20T08:00:00Z">
<link rel="canonical" href="https://herald.example/otters">
<meta property="og:site_name" content="Town Herald"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>Otters return to the river</h1>
<p>Conservationists counted six otters on the river this week, the first in fifty years, after
a long clean-up of the water upstream of the caf\u00e9 district.</p>
<p>The council paid for new reed beds and a fish pass at the old weir, and volunteers cleared
tonnes of rubbish from the banks over three summers of work.</p>
<p>Anglers say the fish came back first, and the otters followed them downstream.</p></article>
<footer>\u00a9 2026 Town Herald. All rights reserved. Cookie settings.</footer></body></html>"""


def test_a_saved_page_gives_its_story_title_date_site_and_address() -> None:
    parsed = parse_seed(PAGE.encode("cp1252"), name="otters.html", now=NOW)
    assert isinstance(parsed, ParsedArticle)
    assert parsed.title == "Otters return to the river"
    assert parsed.published_at == datetime(2026, 11, 20, tzinfo=UTC)
    assert parsed.source == "Town Herald"
    assert parsed.url == "https://herald.example/otters"
    assert parsed.paragraphs[0].startswith("Conservationists counted six otters")
    assert "café" in parsed.paragraphs[0]
    body = "\n".join(parsed.paragraphs)
    assert "Home" not in body and "All rights reserved" not in body


def test_a_login_wall_or_empty_page_is_rejected_with_a_reason() -> None:
    for data in (LOGIN_WALL, b"<html><body></body></html>"):
        parsed = parse_seed(data, name="wall.html", now=NOW)
        assert isinstance(parsed, Rejection) and "no story" in english(parsed)


async def test_html_files_load_beside_the_text_layouts(db: Database, tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "otters.html").write_bytes(PAGE.encode("cp1252"))
    (seeds / "wall.htm").write_bytes(LOGIN_WALL)
    (seeds / "plain.txt").write_text("A plain title\n\nA plain paragraph.", encoding="utf-8")
    report = await load_seeds(db, seeds, now=NOW)
    assert sorted(report.added) == ["otters.html", "plain.txt"]
    assert [path for path, _ in report.rejected] == ["wall.htm"]


def test_a_teasers_page_in_its_own_encoding_reads_right() -> None:
    from bot.feeds.pages import page_paragraphs

    page = PAGE.replace("<article>", "<article><p>" + "Le café du port rouvre. " * 20 + "</p>")
    paragraphs = page_paragraphs(page.encode("cp1252"))  # no charset header: the <meta> tells
    assert paragraphs is not None and any("café du port" in p for p in paragraphs)
    assert page_paragraphs(LOGIN_WALL) is None
