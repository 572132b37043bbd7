"""Fault injection: latency, a queue of planned faults, and seeded random faults."""

from __future__ import annotations

import random
import re
import threading
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum


class FaultKind(Enum):
    PASS = "pass"  # a placeholder in a queue: answer this request normally
    STATUS = "status"  # answer with an error status (429 with Retry-After, 5xx)
    SLOW = "slow"  # wait ``delay`` seconds, then handle the request normally
    DROP = "drop"  # close the connection without handling the request
    APPLY_THEN_DROP = "apply_then_drop"  # handle the request, then close without answering


@dataclass(frozen=True)
class Fault:
    """One fault; ``method``/``path`` (a regular expression searched in the path) narrow it."""

    kind: FaultKind
    status: int = 0
    retry_after: int | None = None
    delay: float = 0.0
    method: str | None = None
    path: str | None = None

    @classmethod
    def none(cls) -> Fault:
        return cls(FaultKind.PASS)

    @classmethod
    def rate_limited(
        cls, retry_after: int | None = 1, *, method: str | None = None, path: str | None = None
    ) -> Fault:
        return cls(FaultKind.STATUS, 429, retry_after, method=method, path=path)

    @classmethod
    def server_error(
        cls, status: int = 500, *, method: str | None = None, path: str | None = None
    ) -> Fault:
        return cls(FaultKind.STATUS, status, method=method, path=path)

    @classmethod
    def slow(cls, delay: float, *, method: str | None = None, path: str | None = None) -> Fault:
        return cls(FaultKind.SLOW, delay=delay, method=method, path=path)

    @classmethod
    def drop(cls, *, method: str | None = None, path: str | None = None) -> Fault:
        return cls(FaultKind.DROP, method=method, path=path)

    @classmethod
    def apply_then_drop(cls, *, method: str | None = None, path: str | None = None) -> Fault:
        return cls(FaultKind.APPLY_THEN_DROP, method=method, path=path)

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method.upper() != method.upper():
            return False
        return not self.path or re.search(self.path, path) is not None


@dataclass(frozen=True)
class _RandomFaults:
    rate: float
    faults: tuple[Fault, ...]
    rng: random.Random
    method: str | None
    path: str | None


class FaultPlan:
    """What goes wrong with the next requests. All methods are safe to call from tests."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.latency = 0.0
        self._queue: deque[Fault] = deque()
        self._random: _RandomFaults | None = None
        self.injected: list[tuple[str, str, Fault]] = []

    def set_latency(self, seconds: float) -> None:
        """Delay every answer by this many seconds (applied before any fault)."""
        self.latency = seconds

    def queue(self, *faults: Fault) -> None:
        """Faults for the next requests, in order; each waits for a request it matches."""
        with self._lock:
            self._queue.extend(faults)

    def randomly(
        self,
        rate: float,
        faults: Sequence[Fault],
        *,
        seed: int = 0,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        """With probability ``rate``, a request (matching method/path) gets one of ``faults``."""
        with self._lock:
            self._random = _RandomFaults(rate, tuple(faults), random.Random(seed), method, path)

    def clear(self) -> None:
        with self._lock:
            self.latency = 0.0
            self._queue.clear()
            self._random = None

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._queue)

    def next_fault(self, method: str, path: str) -> Fault | None:
        with self._lock:
            chosen = self._from_queue(method, path) or self._from_random(method, path)
            if chosen is not None and chosen.kind is not FaultKind.PASS:
                self.injected.append((method, path, chosen))
                return chosen
            return None

    def _from_queue(self, method: str, path: str) -> Fault | None:
        for index, fault in enumerate(self._queue):
            if fault.matches(method, path):
                del self._queue[index]
                return fault
        return None

    def _from_random(self, method: str, path: str) -> Fault | None:
        plan = self._random
        if plan is None or not plan.faults:
            return None
        if plan.method and plan.method.upper() != method.upper():
            return None
        if plan.path and re.search(plan.path, path) is None:
            return None
        if plan.rng.random() >= plan.rate:
            return None
        return plan.rng.choice(plan.faults)
