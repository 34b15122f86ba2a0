"""One seeded random source per case: a case's bytes never depend on which other cases
were generated, nor on the machine."""

from __future__ import annotations

import random

SEED = "reglint-bench-v1"


def rng_for(case: str) -> random.Random:
    return random.Random(f"{SEED}:{case}")


def accounts(rng: random.Random, count: int = 40) -> tuple[str, ...]:
    return tuple(str(rng.randrange(10**11, 10**12)) for _ in range(count))
