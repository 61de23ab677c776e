"""ROUGE benchmark of the extractive summarizer on the BBC News Summary data set.

Run by hand (the data set is not part of the project; pass its folder):

    python -m bench.summary_quality /work/shared/data/bbc-news-summary [--limit N]

Every method picks 3 sentences from the same pysbd split of each article and is scored with
ROUGE-1/2/L F-measure (Porter stemming) against the reference summary. The reference summaries
are extractive and long (about 45% of the article), so recall, and therefore F, grows with summary
length: the "words" column is there to show a method is not winning by picking long sentences.
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rouge_score import rouge_scorer, tokenizers

from bot.summaries import split_sentences, summarize_sentences

SENTENCES = 3
ROUGE_TYPES = ("rouge1", "rouge2", "rougeL")
# The reference summaries glue sentences together: "...from $10.9bn.For the full-year...".
_GLUED = re.compile(r"\.(?=[A-Z])")

Method = Callable[[Sequence[str], "Article"], list[str]]


@dataclass(frozen=True)
class Article:
    name: str
    title: str
    paragraphs: list[str]
    reference: str


def read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # A few files are Latin-1/cp1252 (e.g. sport/199.txt); cp1252 lacks 5 bytes, hence replace.
        return data.decode("cp1252", errors="replace")


def load(root: Path, limit: int | None) -> list[Article]:
    articles = []
    for path in sorted((root / "NewsArticles").glob("*/*.txt")):
        title, _, body = read_text(path).strip().partition("\n")
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]
        reference = read_text(root / "Summaries" / path.parent.name / path.name)
        reference = _GLUED.sub(". ", reference.strip())
        articles.append(
            Article(f"{path.parent.name}/{path.name}", title.strip(), paragraphs, reference)
        )
        if limit is not None and len(articles) >= limit:
            break
    return articles


def lead(sentences: Sequence[str], _article: Article) -> list[str]:
    return list(sentences[:SENTENCES])


def lead_four(sentences: Sequence[str], _article: Article) -> list[str]:
    # About as many words as our 3 sentences: separates choosing well from choosing long.
    return list(sentences[: SENTENCES + 1])


def ours(sentences: Sequence[str], _article: Article) -> list[str]:
    return summarize_sentences(sentences, SENTENCES)


def random_three(sentences: Sequence[str], article: Article) -> list[str]:
    rng = random.Random(article.name)  # deterministic per article
    picked = sorted(rng.sample(range(len(sentences)), min(SENTENCES, len(sentences))))
    return [sentences[i] for i in picked]


def longest(sentences: Sequence[str], _article: Article) -> list[str]:
    # Shows how far sheer length goes against long references.
    picked = sorted(sorted(range(len(sentences)), key=lambda i: -len(sentences[i]))[:SENTENCES])
    return [sentences[i] for i in picked]


def make_oracle(tokenizer: tokenizers.Tokenizer) -> Method:
    """Greedy ROUGE-2 oracle: an upper bound for picking 3 sentences (it reads the reference)."""

    def bigrams(tokens: list[str]) -> Counter[tuple[str, str]]:
        return Counter(itertools.pairwise(tokens))

    def oracle(sentences: Sequence[str], article: Article) -> list[str]:
        target = bigrams(tokenizer.tokenize(article.reference))
        tokens = [tokenizer.tokenize(s) for s in sentences]
        picked: list[int] = []
        best = 0.0
        while len(picked) < SENTENCES:
            scores = {}
            for i in set(range(len(sentences))) - set(picked):
                candidate = bigrams([t for j in sorted([*picked, i]) for t in tokens[j]])
                overlap = sum((candidate & target).values())
                total = sum(candidate.values()) + sum(target.values())
                scores[i] = 2 * overlap / total if total else 0.0
            if not scores or max(scores.values()) <= best:
                break
            choice = max(scores, key=lambda i: scores[i])
            best = scores[choice]
            picked.append(choice)
        return [sentences[i] for i in sorted(picked)]

    return oracle


@dataclass
class Result:
    name: str
    scores: dict[str, list[float]]
    seconds: float = 0.0
    words: int = 0


def run(articles: list[Article], methods: dict[str, Method]) -> tuple[list[Result], float]:
    scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)
    results = {name: Result(name, {t: [] for t in ROUGE_TYPES}) for name in methods}
    split_seconds = 0.0
    for n, article in enumerate(articles, 1):
        started = time.perf_counter()
        sentences = split_sentences(article.paragraphs)
        split_seconds += time.perf_counter() - started
        for name, method in methods.items():
            started = time.perf_counter()
            summary = method(sentences, article)
            results[name].seconds += time.perf_counter() - started
            results[name].words += sum(len(s.split()) for s in summary)
            scores = scorer.score(article.reference, " ".join(summary))
            for rouge_type in ROUGE_TYPES:
                results[name].scores[rouge_type].append(scores[rouge_type].fmeasure)
        if n % 250 == 0:
            print(f"  {n}/{len(articles)} articles", file=sys.stderr, flush=True)
    return list(results.values()), split_seconds


def report(results: list[Result], split_seconds: float, articles: list[Article]) -> None:
    count = len(articles)
    print(f"\n{count} articles, {SENTENCES} sentences per summary, ROUGE F-measure (%)\n")
    print(f"| {'method':<22} | ROUGE-1 | ROUGE-2 | ROUGE-L | words | ms/article |")
    print(f"|{'-' * 24}|---------|---------|---------|-------|------------|")
    for r in results:
        r1, r2, rl = (100 * statistics.fmean(r.scores[t]) for t in ROUGE_TYPES)
        words, ms = r.words / count, 1000 * r.seconds / count
        print(f"| {r.name:<22} | {r1:7.2f} | {r2:7.2f} | {rl:7.2f} | {words:5.1f} | {ms:10.3f} |")
    reference_words = statistics.fmean(len(a.reference.split()) for a in articles)
    split_ms = 1000 * split_seconds / count
    print(f"\nreference summaries: {reference_words:.1f} words on average")
    print(f"sentence split (pysbd, shared by all methods, not in ms/article): {split_ms:.2f} ms")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="folder holding NewsArticles/ and Summaries/")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--no-oracle", action="store_true", help="skip the (slow) oracle row")
    args = parser.parse_args(argv)
    articles = load(args.data, args.limit)
    if not articles:
        parser.error(f"no articles under {args.data / 'NewsArticles'}")
    methods: dict[str, Method] = {
        "Lead-3": lead,
        "Lead-4 (length check)": lead_four,
        "TextRank+lead (ours)": ours,
        "Random-3": random_three,
        "Longest-3": longest,
    }
    if not args.no_oracle:
        methods["Oracle-3 (upper bound)"] = make_oracle(
            tokenizers.DefaultTokenizer(use_stemmer=True)
        )
    report(*run(articles, methods), articles)


if __name__ == "__main__":
    main()
