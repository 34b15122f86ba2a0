"""reglint: a policy linter for container-registry configuration."""

__version__ = "0.1.0"
