"""reglint: a policy linter for container-registry configuration."""

__version__ = "0.1.0"

# How rarely the cyclic collector runs while reglint imports and checks (gen0, gen1,
# gen2): a run builds many long-lived objects and almost no cycles (__main__, run.py).
GC_THRESHOLDS = (50_000, 20, 100)
