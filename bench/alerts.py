"""Matching new articles against follows: time per article, and what it found.

    python -m bench.alerts [--articles 500] [--follows 10 100 1000]

Articles of about 1,500 words; follows are words (a third of them typed with one letter wrong,
which must still match) and topics. For each number of follows: the time to match every
article, the time per article, and the matches found against those expected (each article
names one followed word, spelt right; the typo-forgiving lookup must find it for the follow
typed with a typo too).
"""

from __future__ import annotations

import argparse
import random
import string
import time
from datetime import UTC, datetime, timedelta

from bot.alerts.matching import TOPIC, WORD, matches
from storage.models import Article, Follow

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
FILLER = (
    "Officials said the plan would change the city and critics said it went too far, "
    "asking the council to wait for the budget review before any vote on the new harbour. "
)
_RANDOM = random.Random(16)
# Made-up words of nine letters: far apart from each other and from English (a word within two
# letters of another would match it too, as search would).
TERMS = ["".join(_RANDOM.choices(string.ascii_lowercase, k=9)) for _ in range(2000)]


def _typo(word: str) -> str:
    return word[:3] + word[4:]  # one letter left out: within the typo budget of a long word


def articles(count: int, follows: int) -> list[Article]:
    return [
        Article(
            id=i,
            title=f"Story {i} about the city",
            topics=["City"] if i % 10 == 0 else [],
            body=(FILLER * 40) + f" It names {TERMS[i % follows]}.",
            section=None,
            loaded_at=NOW,
        )
        for i in range(count)
    ]


def follows_of(count: int) -> list[Follow]:
    made = [
        Follow(chat_id=i, kind=WORD, term=_typo(TERMS[i]) if i % 3 == 0 else TERMS[i],
               created_at=NOW - timedelta(hours=1))
        for i in range(count)
    ]  # fmt: skip
    made.append(Follow(chat_id=-1, kind=TOPIC, term="city", created_at=NOW - timedelta(hours=1)))
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--follows", type=int, nargs="+", default=[10, 100, 1000])
    args = parser.parse_args()
    print(f"{'follows':>8} {'articles':>9} {'total s':>8} {'ms/article':>11} {'found':>7} "
          f"{'expected':>9}")  # fmt: skip
    for count in args.follows:
        stories = articles(args.articles, count)
        follows = follows_of(count)
        started = time.perf_counter()
        found = matches(stories, follows)
        seconds = time.perf_counter() - started
        expected = args.articles + sum(1 for a in stories if a.topics)
        per_article = seconds / args.articles * 1000
        print(f"{count:>8} {args.articles:>9} {seconds:>8.2f} {per_article:>11.2f} "
              f"{len(found):>7} {expected:>9}")  # fmt: skip


if __name__ == "__main__":
    main()
