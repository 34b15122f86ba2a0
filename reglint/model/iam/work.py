"""The work bound of the wildcard queries: one evaluation may do `WORK_LIMIT` units.

`automaton.search` counts its work in units (one per explored state, plus the positions
the state holds, plus the characters it reads); `patterns` charges each query's work to
the budget of the evaluation under way (`work_budget()`), or to a budget of its own when
it is asked outside one. Past the limit, `WorkLimitReached` tells the caller that the
answer is unknown; the caller decides what "unknown" means for its rule (see
`evaluation.evaluate_policies`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["WORK_LIMIT", "WorkBudget", "WorkLimitReached", "current_budget", "work_budget"]

# Measured on CPython 3.11 on 2 loaded cores: 0.3 to 0.7 million units per second and
# 45 to 130 bytes per unit, depending on the shape (a union's subset states are the
# slowest), so at most about 0.7 s and 25 MB. Evaluating the push rights of any AWS
# managed policy, for any repository or for a namespace, takes at most 3,463 units.
WORK_LIMIT = 200_000


class WorkLimitReached(Exception):
    """A query needed more work than its budget allowed: its answer is unknown."""


class WorkBudget:
    """The search work that the queries of one evaluation may still do."""

    __slots__ = ("left",)

    def __init__(self, units: int = WORK_LIMIT) -> None:
        self.left = units

    def spend(self, units: int) -> None:
        """Take `units` from the budget; `WorkLimitReached` once it is overdrawn.

        A query that needed no search (0 units) is answered even then.
        """
        if units:
            self.left -= units
            if self.left < 0:
                raise WorkLimitReached


_shared: list[WorkBudget] = []  # the budget of the evaluation under way, if any


@contextmanager
def work_budget() -> Iterator[WorkBudget]:
    """The queries made inside the block share one budget of `WORK_LIMIT` units.

    A block inside another shares the outer block's budget.
    """
    if _shared:
        yield _shared[-1]
        return
    _shared.append(WorkBudget())
    try:
        yield _shared[-1]
    finally:
        _shared.pop()


def current_budget() -> WorkBudget:
    """The shared budget of the evaluation under way, else a fresh one for one query."""
    return _shared[-1] if _shared else WorkBudget()
