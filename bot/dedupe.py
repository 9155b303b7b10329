"""SeenEvents: remember Slack event ids so that a retried event is answered once."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

# Slack retries a failed event three times: at once, after about 1 minute and after about
# 5 minutes. An hour covers that with room to spare.
TTL_SECONDS = 3600.0
MAX_EVENTS = 10_000


class SeenEvents:
    """A bounded, thread-safe set of the event ids claimed in the last `ttl` seconds.

    It lives in the memory of one process, which is why `tradefact serve` runs a single
    gunicorn worker with threads: a retry that reached another worker process would be
    answered a second time.
    """

    def __init__(
        self,
        ttl: float = TTL_SECONDS,
        limit: int = MAX_EVENTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl
        self._limit = limit
        self._clock = clock
        self._claimed: OrderedDict[str, float] = OrderedDict()  # oldest first
        self._lock = threading.Lock()

    def claim(self, event_id: str) -> bool:
        """True the first time `event_id` is seen (or after its ttl); False for a repeat."""
        now = self._clock()
        with self._lock:
            self._forget_old(now)
            if event_id in self._claimed:
                return False
            self._claimed[event_id] = now
            return True

    def release(self, event_id: str) -> None:
        """Forget `event_id` after a failed attempt, so that Slack's next retry is handled."""
        with self._lock:
            self._claimed.pop(event_id, None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._claimed)

    def _forget_old(self, now: float) -> None:
        while self._claimed:
            event_id, claimed_at = next(iter(self._claimed.items()))
            if now - claimed_at < self._ttl and len(self._claimed) < self._limit:
                return
            del self._claimed[event_id]
