"""Walking a seed folder and reading its files: one stat per file, bytes only when asked.

Nothing whose real path lies outside the seed folder is ever read (a link to the bot's .env
would otherwise be served to every reader), links to folders are never followed (no loops),
and only regular files are opened, without blocking (a FIFO would hang the load for good).
Every entry that cannot be a seed comes back with the reason, to be reported.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat as stat_module
from dataclasses import dataclass
from pathlib import Path

from storage.seeds.names import is_utf8, shown
from storage.seeds.records import Rejection, RejectionKind, rejection

MAX_SEED_BYTES = 5 * 1024 * 1024
OUTSIDE = rejection(RejectionKind.OUTSIDE)
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)


@dataclass(frozen=True, slots=True)
class SeedStat:
    path: str  # where the entry sits in the folder (links not resolved): the key the loader stores
    size: int
    mtime_ns: int
    problem: Rejection | None = None  # why the entry cannot be a seed, known without reading it
    folder: bool = False  # a folder that could not be read: the files it held are kept


@dataclass(frozen=True, slots=True)
class SeedBytes:
    data: bytes
    file_hash: str


def _not_regular(mode: int) -> Rejection:
    if stat_module.S_ISFIFO(mode):
        return rejection(RejectionKind.FIFO)
    if stat_module.S_ISSOCK(mode):
        return rejection(RejectionKind.SOCKET)
    if stat_module.S_ISCHR(mode) or stat_module.S_ISBLK(mode):
        return rejection(RejectionKind.DEVICE)
    return rejection(RejectionKind.NOT_A_FILE)


def inside(real: str, root: str) -> bool:
    return real == root or real.startswith(root.rstrip("/") + "/")


def _why(exc: OSError) -> str:
    return exc.strerror or exc.__class__.__name__


def scan_folder(root: Path) -> list[SeedStat]:
    """Every regular file below `root` (hidden files and folders skipped), and every other entry
    with the reason it is not loaded, sorted by path. `root` must be a real (resolved) path."""
    top = os.path.realpath(root)
    found: list[SeedStat] = []
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as exc:
            problem = rejection(RejectionKind.CANNOT_READ_FOLDER, detail=_why(exc))
            found.append(SeedStat(folder, 0, 0, problem, folder=True))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            seen = _entry(entry, top)
            if seen is None:
                stack.append(entry.path)
            else:
                found.append(seen)
    found.sort(key=lambda s: s.path)
    return found


def _entry(entry: os.DirEntry[str], top: str) -> SeedStat | None:
    """The entry's SeedStat, or None for a real sub-folder to walk into."""
    path = entry.path
    if not is_utf8(path):
        # Such a name cannot be stored or shown as it is: its escaped form stands for it.
        return SeedStat(shown(path), 0, 0, rejection(RejectionKind.BAD_NAME))
    try:
        own = entry.stat(follow_symlinks=False)
    except OSError as exc:
        return SeedStat(path, 0, 0, rejection(RejectionKind.CANNOT_READ, detail=_why(exc)))
    if stat_module.S_ISDIR(own.st_mode):
        return None
    target = own
    if stat_module.S_ISLNK(own.st_mode):
        try:
            target = os.stat(path)
        except OSError as exc:
            return SeedStat(path, 0, own.st_mtime_ns, _bad_link(path, exc))
        real = os.path.realpath(path)
        if not inside(real, top):
            return SeedStat(path, 0, own.st_mtime_ns, OUTSIDE)
        if stat_module.S_ISDIR(target.st_mode):
            holds_it = inside(os.path.dirname(path), real)
            reason = rejection(
                RejectionKind.LINK_LOOP_FOLDER if holds_it else RejectionKind.LINK_TO_FOLDER
            )
            return SeedStat(path, 0, own.st_mtime_ns, reason)
    if not stat_module.S_ISREG(target.st_mode):
        return SeedStat(path, 0, own.st_mtime_ns, _not_regular(target.st_mode))
    return SeedStat(path, target.st_size, target.st_mtime_ns)


def stat_file(path: str) -> SeedStat:
    """One file named by hand (`seeds check FILE`): followed wherever it leads, but still only
    a regular file is ever opened."""
    try:
        target = os.stat(path)
    except OSError as exc:
        if os.path.islink(path):
            return SeedStat(path, 0, 0, _bad_link(path, exc))
        return SeedStat(path, 0, 0, rejection(RejectionKind.CANNOT_READ, detail=_why(exc)))
    if not stat_module.S_ISREG(target.st_mode):
        return SeedStat(path, 0, 0, _not_regular(target.st_mode))
    return SeedStat(path, target.st_size, target.st_mtime_ns)


def _bad_link(path: str, exc: OSError) -> Rejection:
    if exc.errno == errno.ELOOP:
        return rejection(RejectionKind.LINK_LOOP)
    if isinstance(exc, FileNotFoundError):
        try:
            points_to = shown(os.readlink(path))
        except OSError:
            points_to = "?"
        return rejection(RejectionKind.BROKEN_LINK, target=points_to)
    return rejection(RejectionKind.CANNOT_FOLLOW, detail=_why(exc))


def read_seed(stat: SeedStat, root: Path | str) -> SeedBytes | Rejection:
    """The file's bytes and their hash, or the reason it cannot be read.

    Checked again at the moment of reading (the folder may have changed since the scan): the
    file must still be a regular file whose real path is inside `root`.
    """
    if stat.problem is not None:
        return stat.problem
    if stat.size > MAX_SEED_BYTES:
        size = round(stat.size / 1024 / 1024, 1)
        return rejection(RejectionKind.TOO_LARGE, size=size, limit=MAX_SEED_BYTES // 1024 // 1024)
    top = os.path.realpath(root)
    if not inside(os.path.realpath(stat.path), top):
        return OUTSIDE
    try:
        fd = os.open(stat.path, _OPEN_FLAGS)
    except PermissionError:
        return rejection(RejectionKind.PERMISSION_DENIED)
    except FileNotFoundError:
        if os.path.islink(stat.path):
            return rejection(RejectionKind.LINK_GONE, target=shown(os.readlink(stat.path)))
        return rejection(RejectionKind.GONE)
    except OSError as exc:
        return rejection(RejectionKind.CANNOT_READ, detail=_why(exc))
    try:
        opened = os.fstat(fd)
        if not stat_module.S_ISREG(opened.st_mode):
            return _not_regular(opened.st_mode)
        real = _opened_path(fd)
        if real is not None and not inside(real, top):
            return OUTSIDE  # swapped for a link between the check and the open
        data = _read_all(fd)
    except OSError as exc:
        return rejection(RejectionKind.CANNOT_READ, detail=_why(exc))
    finally:
        os.close(fd)
    if len(data) > MAX_SEED_BYTES:
        return rejection(RejectionKind.OVER_LIMIT, limit=MAX_SEED_BYTES // 1024 // 1024)
    return SeedBytes(data, hashlib.sha256(data).hexdigest())


def _opened_path(fd: int) -> str | None:
    """The real path of an open file, where the system tells it (Linux)."""
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return None


def _read_all(fd: int) -> bytes:
    chunks: list[bytes] = []
    left = MAX_SEED_BYTES + 1
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
