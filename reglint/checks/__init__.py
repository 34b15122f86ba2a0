"""Checks: one module per rule family, each yielding Problems (see base.py)."""
