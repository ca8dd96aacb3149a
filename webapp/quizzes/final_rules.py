"""When a trainee may sit the final assessment again: plain functions, no Flask, no database.

A failed final is followed by a wait (FINAL_RETRY_WAIT_HOURS) and at most FINAL_MAX_FAILURES failed
attempts count in any FINAL_FAILURE_PERIOD_DAYS days; without both, "fail, read, retry" passes."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Rules:
    wait: timedelta
    max_failures: int
    period: timedelta

    @classmethod
    def from_config(cls, config) -> Rules:
        return cls(wait=timedelta(hours=config.get("FINAL_RETRY_WAIT_HOURS", 24)),
                   max_failures=int(config.get("FINAL_MAX_FAILURES", 3)),
                   period=timedelta(days=config.get("FINAL_FAILURE_PERIOD_DAYS", 30)))


@dataclass(frozen=True)
class Standing:
    next_try: datetime | None  # None: she may start now
    attempts_left: int         # failed attempts still allowed in the current period

    @property
    def may_start(self) -> bool:
        return self.next_try is None


def standing(failures: list[datetime], now: datetime, rules: Rules) -> Standing:
    """Whether a new final may be sat at ``now``, given the times of her failed finals, and if not, when."""
    recent = sorted(t for t in failures if t > now - rules.period)
    left = max(rules.max_failures - len(recent), 0)
    candidates = []
    if failures:
        candidates.append(max(failures) + rules.wait)
    if len(recent) >= rules.max_failures:
        # The oldest failure that still counts has to leave the period for one more try.
        candidates.append(recent[len(recent) - rules.max_failures] + rules.period)
    next_try = max(candidates, default=None)
    return Standing(next_try if next_try and next_try > now else None, left)
