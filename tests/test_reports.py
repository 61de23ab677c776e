"""Seed-load reports for Telegram fit one message whatever the file names, reasons and titles."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.i18n import ENGLISH
from bot.rendering.markup import MAX_MESSAGE, visible_length
from bot.rendering.reports import load_report
from storage.seeds.loader import LoadReport
from storage.seeds.records import SeedReason

# One line each, as the loader makes them (names come with control characters escaped).
LINE = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))
TEXT = st.text(LINE, min_size=0, max_size=600)
NAME = st.text(LINE, min_size=1, max_size=300) | st.just("<&>" * 100)


@settings(max_examples=300, deadline=None)
@given(
    folder=TEXT,
    rejected=st.lists(st.tuples(NAME, TEXT), max_size=40),
    duplicates=st.lists(st.tuples(NAME, st.text(max_size=6)), max_size=40),
    retracted=st.lists(st.tuples(st.text(max_size=6), TEXT), max_size=40),
)
def test_the_telegram_report_always_fits_one_message(
    folder: str,
    rejected: list[tuple[str, SeedReason]],
    duplicates: list[tuple[str, str]],
    retracted: list[tuple[str, str]],
) -> None:
    report = LoadReport(folder=folder, rejected=rejected, duplicates=duplicates,
                        retracted=retracted)  # fmt: skip
    text = "✅ " + load_report(ENGLISH, report, html=True, limit=10)
    assert visible_length(text) <= MAX_MESSAGE
    if rejected:  # every rejected file is listed or counted in "and N more"
        section = text.split("<b>Rejected</b>\n", 1)[1].split("\n\n<b>", 1)[0].split("\n")
        more = int(section.pop().split()[1]) if "the full list is in the log" in section[-1] else 0
        assert len(section) + more == len(rejected)


def test_twenty_four_long_names_are_cut_with_an_ellipsis_and_counted() -> None:
    names = [f"{i:02d}-{'quarterly-fisheries-report-' * 9}.txt" for i in range(24)]
    report = LoadReport(folder="/srv/newsbot/seeds", rejected=[(n, "empty file") for n in names])
    text = load_report(ENGLISH, report, html=True, limit=10)
    assert visible_length(text) <= MAX_MESSAGE
    assert text.count("…") == 10 and "and 14 more" in text
    assert "00-quarterly-fisheries" in text and ".txt: empty file" in text
    # The terminal's report lists every name in full.
    assert all(name in load_report(ENGLISH, report) for name in names)
