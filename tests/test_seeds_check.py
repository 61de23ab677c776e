"""`seeds check` as a seed writer uses it: `seeds check seeds/*` checks the files in
sub-folders too, and odd entries are reported, never waited on."""

from __future__ import annotations

import glob
import os
from pathlib import Path

from tests.seed_folders import write_article
from tests.test_cli import run_bot


def test_seeds_check_of_a_folder_checks_the_files_in_it(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    write_article(seeds, "top.txt", "Harbour reopens", "Ships sail again.")
    write_article(seeds, "business/markets.txt", "Markets rally", "Shares rose.")
    write_article(seeds, "business/deep/bonds.txt", "Bonds steady", "Yields held.")
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/never.sqlite3"}
    args = sorted(glob.glob(str(seeds / "*")))  # what the shell makes of seeds/*
    result = run_bot("seeds", "check", *args, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stdout  # the old code: "business: REJECTED"
    out = result.stdout
    assert f"{seeds}/business/markets.txt: ok" in out
    assert f"{seeds}/business/deep/bonds.txt: ok" in out
    assert f"{seeds}/top.txt: ok" in out
    assert "title:     Markets rally" in out
    assert not (tmp_path / "never.sqlite3").exists()


def test_seeds_check_reports_odd_entries_without_waiting_on_them(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    write_article(seeds, "good.txt", "Harbour reopens", "Ships sail again.")
    os.mkfifo(seeds / "pipe.txt")
    (seeds / "odd\nname.txt").write_text("")
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/never.sqlite3"}
    result = run_bot("seeds", "check", str(seeds), str(seeds / "pipe.txt"), env=env, cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert f"{seeds}/good.txt: ok" in lines
    assert f"{seeds}/pipe.txt: REJECTED: not a regular file (a FIFO)" in lines
    assert lines.count(f"{seeds}/pipe.txt: REJECTED: not a regular file (a FIFO)") == 2
    assert f"{seeds}/odd\\nname.txt: REJECTED: empty file" in lines
