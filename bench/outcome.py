"""What one contender's runs in one case add up to: medians, peak memory, ratios."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from cases import Contender
from measure import Sample


@dataclass(slots=True)
class Outcome:
    """Every measured run of one contender in one case."""

    contender: Contender
    warmup: Sample | None = None
    rounds: dict[int, Sample] = field(default_factory=dict)

    @property
    def walls(self) -> list[float]:
        return [s.wall for s in self.rounds.values()]

    @property
    def median(self) -> float:
        return statistics.median(self.walls)

    @property
    def peak_rss_mb(self) -> float:
        samples = [*self.rounds.values(), *([self.warmup] if self.warmup else [])]
        return max(s.max_rss_kb for s in samples) / 1024

    @property
    def exit_codes(self) -> list[int]:
        return sorted({s.exit_code for s in self.rounds.values()})

    @property
    def crashed(self) -> bool:
        return any(s.crashed for s in self.rounds.values()) or bool(
            self.warmup and self.warmup.crashed
        )


def paired_ratio(mine: Outcome, other: Outcome) -> float | None:
    """Median over the rounds both ran of mine.wall / other.wall."""
    common = sorted(set(mine.rounds) & set(other.rounds))
    if not common:
        return None
    return statistics.median(mine.rounds[r].wall / other.rounds[r].wall for r in common)
