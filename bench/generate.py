"""Synthetic news articles for the load and search benchmarks, modelled on the BBC set.

Run by hand (the BBC folder is only read, to learn the words):

    python -m bench.generate OUT_DIR --count 100000 [--seed 1] [--source PATH]

Writes plain-layout seed files (title line, blank line, paragraphs) as OUT_DIR/00042/00042123.txt,
at most 1,000 to a folder. Bodies come from a word-bigram Markov chain over the BBC sentences,
titles from one over the BBC titles (4-9 words); 300-600 words in 4-10 paragraphs. So that the
vocabulary grows with the corpus as a real one does (Heaps' law) rather than stopping at the
BBC's, one in twenty mid-sentence proper nouns becomes a new name spliced from two BBC names,
and digits are redrawn: about 110k index terms at 30k articles and 250k at 100k (the BBC has
29k at 2k). Each folder has its own seeded generator: the output depends only on the seed and
count, and folders are written in parallel, streamed to disk.
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing
import os
import random
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SOURCE = Path("/work/shared/data/bbc-news-summary")
PER_FOLDER = 1000
NAME_RATE = 0.05  # share of proper nouns replaced by a spliced name
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'A-Z0-9])")
_VOWEL_RUN = re.compile(r"[aeiouy]+[^aeiouy]")
PLAIN, NAME, NUMBER = 0, 1, 2


@dataclass
class Model:
    words: list[str]  # id -> token; id 0 is the sentence start/end marker
    kind: list[int]  # id -> PLAIN, NAME or NUMBER
    body: list[list[int]]  # id -> the ids that followed it (repeats kept: sampling by frequency)
    title: list[list[int]]
    heads: list[str]  # name beginnings ("War" of "Warner") and endings ("burn")
    tails: list[str]


def _articles(source: Path) -> list[tuple[str, list[str]]]:
    found = []
    folder = source / "NewsArticles" if (source / "NewsArticles").is_dir() else source
    for path in sorted(folder.glob("*/*.txt")):
        text = path.read_bytes().decode("utf-8", errors="replace").replace("\ufffd", "")
        blocks = [" ".join(b.split()) for b in text.split("\n\n")]
        blocks = [b for b in blocks if b]
        if len(blocks) >= 2:
            found.append((blocks[0], blocks[1:]))
    return found


def build_model(source: Path) -> Model:
    ids: dict[str, int] = {"": 0}
    words = [""]
    mid_capitals: set[int] = set()

    def chain(table: list[list[int]], tokens: list[str]) -> None:
        previous = 0
        for position, token in enumerate(tokens):
            token_id = ids.get(token)
            if token_id is None:
                token_id = ids[token] = len(words)
                words.append(token)
            if position and token.isalpha() and token.istitle() and len(token) > 2:
                mid_capitals.add(token_id)
            while len(table) <= max(previous, token_id):
                table.append([])
            table[previous].append(token_id)
            previous = token_id
        table[previous].append(0)

    body: list[list[int]] = []
    title: list[list[int]] = []
    for headline, paragraphs in _articles(source):
        chain(title, headline.split())
        for paragraph in paragraphs:
            for sentence in _SENTENCE_END.split(paragraph):
                chain(body, sentence.split())
    for table in (body, title):
        table.extend([] for _ in range(len(words) - len(table)))
    kind = [PLAIN] * len(words)
    for token_id, token in enumerate(words):
        if token_id in mid_capitals:
            kind[token_id] = NAME
        elif any(c.isdigit() for c in token):
            kind[token_id] = NUMBER
    heads: set[str] = set()
    tails: set[str] = set()
    for token_id in sorted(mid_capitals):
        name = words[token_id]
        cut = _VOWEL_RUN.search(name.lower(), 1)
        if cut and cut.end() < len(name):
            heads.add(name[: cut.end()])
            tails.add(name[cut.end() :].lower())
    shuffle = random.Random(0)
    head_list, tail_list = sorted(heads), sorted(tails)
    shuffle.shuffle(head_list)
    shuffle.shuffle(tail_list)
    return Model(words, kind, body, title, head_list, tail_list)


class Writer:
    def __init__(self, model: Model, rng: random.Random) -> None:
        self.model = model
        self.rng = rng

    def _word(self, token_id: int) -> str:
        model, rnd = self.model, self.rng.random
        kind = model.kind[token_id]
        word = model.words[token_id]
        if kind == NAME and rnd() < NAME_RATE:
            # Skewed draws: a few names are common, most are rare, the set keeps growing.
            heads, tails = model.heads, model.tails
            return heads[int(len(heads) * rnd() ** 3)] + tails[int(len(tails) * rnd() ** 3)]
        if kind == NUMBER:
            return "".join(str(int(rnd() * 10)) if c.isdigit() else c for c in word)
        return word

    def sentence(self, table: list[list[int]], low: int, high: int) -> list[str]:
        rnd = self.rng.random
        kind = self.model.kind
        words = self.model.words
        while True:
            out: list[str] = []
            current = 0
            while True:
                successors = table[current]
                current = successors[int(rnd() * len(successors))]
                if current == 0 or len(out) > high:
                    break
                out.append(words[current] if kind[current] == PLAIN else self._word(current))
            if low <= len(out) <= high:
                return out

    def article(self) -> str:
        rng = self.rng
        target = rng.randint(300, 600)
        sentences: list[str] = []
        count = 0
        while count < target:
            sentence = self.sentence(self.model.body, 4, 50)
            count += len(sentence)
            sentences.append(" ".join(sentence))
        paragraphs = min(rng.randint(4, 10), len(sentences))
        cuts = sorted(rng.sample(range(1, len(sentences)), paragraphs - 1))
        bounds = [0, *cuts, len(sentences)]
        body = "\n\n".join(" ".join(sentences[a:b]) for a, b in itertools.pairwise(bounds))
        title = " ".join(self.sentence(self.model.title, 4, 9))
        return f"{title}\n\n{body}\n"


_MODEL: Model | None = None


def _write_folder(task: tuple[str, int, int, int]) -> int:
    out_dir, seed, folder, count = task
    assert _MODEL is not None
    writer = Writer(_MODEL, random.Random(f"{seed}:{folder}"))
    directory = Path(out_dir) / f"{folder:05d}"
    directory.mkdir(parents=True, exist_ok=True)
    written = 0
    start = folder * PER_FOLDER
    for number in range(start, min(start + PER_FOLDER, count)):
        data = writer.article().encode("utf-8")
        (directory / f"{number:08d}.txt").write_bytes(data)
        written += len(data)
    return written


def generate(out_dir: Path, count: int, *, seed: int = 1, source: Path = DEFAULT_SOURCE) -> int:
    """Write `count` articles below `out_dir`; returns the bytes written."""
    global _MODEL
    _MODEL = build_model(source)
    folders = (count + PER_FOLDER - 1) // PER_FOLDER
    tasks = [(str(out_dir), seed, folder, count) for folder in range(folders)]
    workers = min(os.cpu_count() or 1, folders)
    if workers <= 1:
        return sum(map(_write_folder, tasks))
    # fork: the workers share the model instead of each rebuilding it.
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return sum(pool.imap_unordered(_write_folder, tasks))


def _write_shuffled(task: tuple[str, int, int, int, list[str], list[str]]) -> int:
    out_dir, seed, folder, count, title_words, paragraphs = task
    rng = random.Random(f"shuffled:{seed}:{folder}")
    directory = Path(out_dir) / f"{folder:05d}"
    directory.mkdir(parents=True, exist_ok=True)
    written = 0
    start = folder * PER_FOLDER
    for number in range(start, min(start + PER_FOLDER, count)):
        title = " ".join(rng.choices(title_words, k=rng.randint(4, 9)))
        body = "\n\n".join(rng.sample(paragraphs, rng.randint(4, 10)))
        data = f"{title}\n\n{body}\n".encode()
        (directory / f"{number:08d}.txt").write_bytes(data)
        written += len(data)
    return written


def generate_shuffled(
    out_dir: Path, count: int, *, seed: int = 1, source: Path = DEFAULT_SOURCE
) -> int:
    """Articles for the search benchmark: titles of random BBC title words (drawn as often as
    they occur), bodies of 4-10 random BBC paragraphs. Unlike the Markov titles, whose runs of
    three or four words recur across thousands of titles, a title's words here name it, as a
    real headline's do; so a headline query has one right answer at any size."""
    articles = _articles(source)
    title_words = [w for headline, _ in articles for w in headline.split()]
    paragraphs = [p for _, body in articles for p in body]
    folders = (count + PER_FOLDER - 1) // PER_FOLDER
    return sum(
        _write_shuffled((str(out_dir), seed, f, count, title_words, paragraphs))
        for f in range(folders)
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    written = generate(args.out_dir, args.count, seed=args.seed, source=args.source)
    seconds = time.perf_counter() - started
    print(
        f"wrote {args.count:,} articles ({written / 1e6:.0f} MB) to {args.out_dir} "
        f"in {seconds:.1f} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
