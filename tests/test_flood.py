"""The flood guard: one user's flood is slowed, and its memory stays bounded whoever writes."""

from __future__ import annotations

from bot.flood import FloodGuard, Verdict


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_flood_is_slowed_with_one_warning_and_forgiven_later() -> None:
    clock = Clock()
    guard = FloodGuard(burst=20, rate=2.0, clock=clock)
    verdicts = [guard.check(1) for _ in range(30)]
    assert verdicts[:20] == [Verdict.PASS] * 20
    assert verdicts[20:] == [Verdict.WARN] + [Verdict.DROP] * 9
    clock.now += 1.0
    assert [guard.check(1) for _ in range(3)] == [Verdict.PASS, Verdict.PASS, Verdict.DROP]
    clock.now += 60
    assert guard.check(1) is Verdict.PASS


def test_users_gone_quiet_are_forgotten() -> None:
    clock = Clock()
    guard = FloodGuard(burst=20, rate=2.0, clock=clock)
    for user in range(50_000):  # each writes once, a hundred a second
        guard.check(user)
        clock.now += 0.01
    # Only those of the last refill time (20 / 2 = 10 s) are kept: about a thousand.
    assert len(guard) <= 1_001
    clock.now += 11
    guard.check(-1)
    assert len(guard) == 1


def test_many_users_at_once_stay_within_the_cap() -> None:
    clock = Clock()
    guard = FloodGuard(burst=20, rate=2.0, clock=clock, max_users=1_000)
    for user in range(5_000):  # all within the same instant: nobody has refilled
        guard.check(user)
    assert len(guard) == 1_000
    # The flooding user seen last keeps their state: the least recently seen went first.
    for _ in range(25):
        guard.check(4_999)
    assert guard.check(4_999) is Verdict.DROP
