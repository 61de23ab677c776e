"""A hostile seed folder: links out of it, link loops, FIFOs, sockets, devices, odd names."""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

SECRET = "sk-live-0123456789-zebracorn"
# The escaped names reports show for the names that cannot be shown as they are.
LATIN1_NAME = "caf\\xe9.txt"
FORGED_NAME = "x\\n2026-11-29 10:00:00 CRITICAL bot.admin: database dropped\\n.txt"


def write_article(folder: Path, name: str, title: str, body: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    return path


def hostile_folder(seeds: Path, outside: Path, *, fifo: bool = True) -> dict[str, str]:
    """Fill `seeds` with two good articles and every kind of odd entry; `outside` gets files a
    link points at. Returns {name as reported: a words of the reason} for the odd entries."""
    seeds.mkdir(parents=True, exist_ok=True)
    outside.mkdir(parents=True, exist_ok=True)
    write_article(seeds, "good.txt", "Harbour reopens after storm", "Ships sail again today.")
    write_article(seeds, "sub/also-good.txt", "Bridge repairs finished", "Traffic flows again.")
    # What a link out of the folder would leak: it parses as an article if ever read.
    env = outside / ".env"
    env.write_text(f"Bot settings\n\nTELEGRAM_BOT_TOKEN={SECRET} DATABASE_PASSWORD={SECRET}\n")
    write_article(outside / "private", "note.txt", "Private note", f"The key is {SECRET}.")
    expected = {}
    (seeds / "zz.txt").symlink_to(env)
    expected["zz.txt"] = "outside the seed folder"
    (seeds / "private").symlink_to(outside / "private")
    expected["private"] = "outside the seed folder"
    (seeds / "devnull.txt").symlink_to("/dev/null")
    expected["devnull.txt"] = "outside the seed folder"
    # Two self-links: the old scan grew without end.
    (seeds / "a").symlink_to(".")
    (seeds / "b").symlink_to(".")
    expected["a"] = expected["b"] = "link loop"
    (seeds / "sub" / "up").symlink_to("..")
    expected["sub/up"] = "link loop"
    (seeds / "loop1.txt").symlink_to("loop2.txt")
    (seeds / "loop2.txt").symlink_to("loop1.txt")
    expected["loop1.txt"] = expected["loop2.txt"] = "link loop"
    (seeds / "gone.txt").symlink_to(seeds / "never-there.txt")
    expected["gone.txt"] = "broken link"
    if fifo:
        os.mkfifo(seeds / "pipe.txt")
        (seeds / "pipe-link.txt").symlink_to("pipe.txt")
        expected["pipe.txt"] = expected["pipe-link.txt"] = "FIFO"
    listener = socket.socket(socket.AF_UNIX)
    try:
        listener.bind(str(seeds / "sock.txt"))
        expected["sock.txt"] = "socket"
    except OSError:  # a path too long for a socket address: left out
        pass
    finally:
        listener.close()
    try:
        os.mknod(seeds / "dev.txt", stat.S_IFCHR | 0o600, os.makedev(1, 3))
        expected["dev.txt"] = "device"
    except (PermissionError, OSError):  # no CAP_MKNOD here
        pass
    # Names that are not UTF-8, or that would forge a log line.
    with open(os.path.join(os.fsencode(seeds), b"caf\xe9.txt"), "wb") as handle:
        handle.write(b"Cafe story\n\nA body.\n")
    expected[LATIN1_NAME] = "not valid UTF-8"
    forged = "x\n2026-11-29 10:00:00 CRITICAL bot.admin: database dropped\n.txt"
    (seeds / forged).write_text("")  # empty: rejected, so its name is in the report
    expected[FORGED_NAME] = "empty file"
    return expected
