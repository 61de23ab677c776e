"""Injected failures: queued API errors, random transport faults, unreachability."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Literal

from fakeapi.errors import ApiError, default_description

# "500": JSON 500 answer; "502": an HTML page from a proxy; "timeout": no answer for
# longer than the client waits; "disconnect": the connection is cut before answering.
FaultKind = Literal["500", "502", "timeout", "disconnect"]
ALL_KINDS: tuple[FaultKind, ...] = ("500", "502", "timeout", "disconnect")


@dataclass
class PlannedFailure:
    method: str  # lower-cased method name, or "*" for any method
    error: ApiError
    remaining: int


@dataclass(frozen=True)
class FaultPlan:
    kind: FaultKind
    delivered: bool  # run the method anyway (the answer is lost, the effect is not)


@dataclass
class _Rate:
    rate: float
    kinds: tuple[FaultKind, ...]
    methods: frozenset[str] | None  # lower-cased; None = every method but getUpdates
    delivered_share: float


class Faults:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.timeout_delay = 30.0  # seconds a "timeout" fault holds the request
        self.reset()

    def reset(self) -> None:
        self.planned: list[PlannedFailure] = []
        self._rate: _Rate | None = None
        self._rng = random.Random(0)
        self.unreachable_until = 0.0

    def fail_next(
        self,
        method: str,
        error_code: int,
        description: str | None = None,
        *,
        count: int = 1,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        parameters: dict[str, int] = {}
        if retry_after is not None:
            parameters["retry_after"] = retry_after
            description = description or f"Too Many Requests: retry after {retry_after}"
        if migrate_to_chat_id is not None:
            parameters["migrate_to_chat_id"] = migrate_to_chat_id
            description = description or "Bad Request: group chat was upgraded to a supergroup chat"
        error = ApiError(
            error_code,
            description or default_description(error_code),
            parameters=parameters or None,
            source="fail_next",
        )
        self.planned.append(PlannedFailure(method.lower(), error, count))

    def take_planned(self, method: str) -> ApiError | None:
        for planned in self.planned:
            if planned.method in (method, "*"):
                planned.remaining -= 1
                if planned.remaining <= 0:
                    self.planned.remove(planned)
                return planned.error
        return None

    def set_rate(
        self,
        rate: float,
        *,
        kinds: Collection[str] = ALL_KINDS,
        seed: int = 1,
        methods: Collection[str] | None = None,
        delivered_share: float = 0.5,
        timeout_delay: float | None = None,
    ) -> None:
        checked = [k for k in ALL_KINDS if k in kinds]
        if len(checked) != len(set(kinds)) or not checked:
            raise ValueError(f"fault kinds must be among {ALL_KINDS}, got {sorted(kinds)}")
        self._rate = _Rate(
            rate,
            tuple(checked),
            frozenset(m.lower() for m in methods) if methods is not None else None,
            delivered_share,
        )
        self._rng = random.Random(seed)
        if timeout_delay is not None:
            self.timeout_delay = timeout_delay

    def roll(self, method: str) -> FaultPlan | None:
        """Decide (seeded) whether this call gets a random fault, and which."""
        cfg = self._rate
        if cfg is None or cfg.rate <= 0:
            return None
        if cfg.methods is None and method == "getupdates":
            return None
        if cfg.methods is not None and method not in cfg.methods:
            return None
        if self._rng.random() >= cfg.rate:
            return None
        kind = self._rng.choice(cfg.kinds)
        return FaultPlan(kind, self._rng.random() < cfg.delivered_share)

    def set_unreachable(self, seconds: float) -> None:
        """Cut every call for `seconds` (whether connections are refused too is the server's)."""
        self.unreachable_until = self.clock() + seconds

    @property
    def unreachable(self) -> bool:
        return self.clock() < self.unreachable_until

    def outage_left(self) -> float:
        """Seconds until Telegram is reachable again (0 when it is)."""
        return max(0.0, self.unreachable_until - self.clock())
