"""reglint: a policy linter for container-registry configuration."""

__version__ = "0.2.0"

# Where an internal error (RL000, a crash) asks to be reported.
REPORT_URL = "https://github.com/reglint/reglint/issues"

# How rarely the cyclic collector runs while reglint imports and checks (gen0, gen1,
# gen2): a run builds many long-lived objects and almost no cycles (__main__, engine/check_command.py).
GC_THRESHOLDS = (50_000, 20, 100)
