"""Walking a seed folder and reading its files: one stat per file, bytes only when asked."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

MAX_SEED_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class SeedStat:
    path: str  # absolute, resolved: the key the loader stores
    size: int
    mtime_ns: int


@dataclass(frozen=True, slots=True)
class SeedBytes:
    data: bytes
    file_hash: str


def scan_folder(root: Path) -> list[SeedStat]:
    """Every regular file below `root` (hidden files and folders skipped), and every link that
    leads nowhere (to be reported), sorted by path."""
    found: list[SeedStat] = []
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue  # an unreadable sub-folder holds nothing we could load
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir():
                    stack.append(Path(entry.path))
                elif entry.is_file():
                    st = entry.stat()
                    found.append(SeedStat(entry.path, st.st_size, st.st_mtime_ns))
                elif entry.is_symlink():  # to nothing: listed, so the report says so
                    st = entry.stat(follow_symlinks=False)
                    found.append(SeedStat(entry.path, 0, st.st_mtime_ns))
            except OSError:
                continue
    found.sort(key=lambda s: s.path)
    return found


def read_seed(stat: SeedStat) -> SeedBytes | str:
    """The file's bytes and their hash, or the reason it cannot be read."""
    if stat.size > MAX_SEED_BYTES:
        return f"file too large ({stat.size / 1024 / 1024:.1f} MB, limit 5 MB)"
    try:
        with open(stat.path, "rb") as handle:
            data = handle.read(MAX_SEED_BYTES + 1)
    except PermissionError:
        return "cannot read file: permission denied"
    except FileNotFoundError:
        if os.path.islink(stat.path):
            return f"broken link: it points to {os.readlink(stat.path)}, which does not exist"
        return "cannot read file: it is gone"
    except OSError as exc:
        return f"cannot read file: {exc.strerror or exc.__class__.__name__}"
    if len(data) > MAX_SEED_BYTES:
        return "file too large (over 5 MB)"
    return SeedBytes(data, hashlib.sha256(data).hexdigest())
