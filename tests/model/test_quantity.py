"""Kubernetes quantities: exact values, explained errors, CPU and memory rules."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reglint.model.quantity import (
    InvalidQuantity,
    Quantity,
    ResourceName,
    parse_quantity,
    parse_resource_quantity,
)

CPU, MEMORY = ResourceName.CPU, ResourceName.MEMORY


# fmt: off
VALID_QUANTITIES_CASES = [
    ("250m", Fraction(1, 4)),
    ("0.5", Fraction(1, 2)),
    (0.5, Fraction(1, 2)),           # a YAML float
    (0.1, Fraction(1, 10)),          # exact: not 0.1000000000000000055…
    ("1", Fraction(1)),
    (1, Fraction(1)),                # a YAML int
    ("512Mi", Fraction(512 * 2**20)),
    ("1Gi", Fraction(2**30)),
    ("1.5Gi", Fraction(3 * 2**29)),
    ("1Ki", Fraction(1024)),
    ("2Ei", Fraction(2 * 2**60)),
    ("1G", Fraction(10**9)),
    ("1k", Fraction(1000)),
    ("1M", Fraction(10**6)),
    ("1T", Fraction(10**12)),
    ("1P", Fraction(10**15)),
    ("1E", Fraction(10**18)),        # exa, not an exponent
    ("1e3", Fraction(1000)),
    ("1E3", Fraction(1000)),
    ("2.5e-3", Fraction(1, 400)),
    ("1e+2", Fraction(100)),
    ("100u", Fraction(1, 10**4)),
    ("5n", Fraction(5, 10**9)),
    ("5.", Fraction(5)),
    (".5", Fraction(1, 2)),
    ("+2", Fraction(2)),
    ("-1", Fraction(-1)),            # the grammar allows a sign; the resource rules do not
    ("0", Fraction(0)),
]
# fmt: on


@pytest.mark.parametrize(("raw", "value"), VALID_QUANTITIES_CASES)
def test_valid_quantities(raw: object, value: Fraction) -> None:
    parsed = parse_quantity(raw)
    assert isinstance(parsed, Quantity), parsed
    assert parsed.value == value


# fmt: off
INVALID_QUANTITIES_CASES = [
    ("1GB", ("'1GB' is not a Kubernetes quantity: write a number with an optional suffix, "
             "such as '250m', '0.5', '512Mi' or '1G'")),
    ("512mb", "'512mb' is not a Kubernetes quantity"),
    ("1.5 Gi", "'1.5 Gi' is not a Kubernetes quantity"),
    ("1e", "'1e' is not a Kubernetes quantity"),
    ("1e3.5", "'1e3.5' is not a Kubernetes quantity"),
    ("", "'' is not a Kubernetes quantity"),
    ("one", "'one' is not a Kubernetes quantity"),
    ("1" * 65, "'1111111111111111…' is too long to be a quantity"),
    ("1e100", "'1e100' is out of range: the exponent is too large"),
    (True, "true is not a quantity: write a number such as '500m' or '1Gi'"),
    (None, "null is not a quantity"),
    ([1], "a list is not a quantity"),
    (float("inf"), "a float is not a quantity"),
]
# fmt: on


@pytest.mark.parametrize(("raw", "message"), INVALID_QUANTITIES_CASES)
def test_invalid_quantities(raw: object, message: str) -> None:
    parsed = parse_quantity(raw)
    assert isinstance(parsed, InvalidQuantity), parsed
    assert parsed.message.startswith(message)


def test_comparisons_are_exact() -> None:
    def q(raw: object) -> Quantity:
        parsed = parse_quantity(raw)
        assert isinstance(parsed, Quantity)
        return parsed

    assert q("1Gi") > q("1G")
    assert q("1000m") == q("1") == q(1) == q("1e0")
    assert q(0.1) == q("100m")
    assert q("0.3").value == q(0.1).value + q(0.2).value  # floats would say otherwise
    assert q("1Gi").plain == "1073741824"
    assert q("250m").plain == "0.25"


# fmt: off
RESOURCE_RULES_CASES = [
    (CPU, "-1", "cpu '-1' is negative: give an amount of 0 or more"),
    (MEMORY, "-1Gi", "memory '-1Gi' is negative"),
    (CPU, "0.0005", ("cpu '0.0005' is finer than 1m (0.001 cores), which Kubernetes does "
                     "not allow: round it to whole millicores")),
    (CPU, "100u", "cpu '100u' is finer than 1m"),
    (MEMORY, "512m", ("memory '512m' means 0.512 bytes ('m' is a fraction of a byte): did "
                      "you mean '512Mi' or '512M'?")),
    (MEMORY, "5n", "memory '5n' means 5e-09 bytes"),
]
# fmt: on


@pytest.mark.parametrize(("resource", "raw", "message"), RESOURCE_RULES_CASES)
def test_resource_rules(resource: ResourceName, raw: object, message: str) -> None:
    parsed = parse_resource_quantity(resource, raw)
    assert isinstance(parsed, InvalidQuantity), parsed
    assert parsed.message.startswith(message)


@pytest.mark.parametrize(
    ("resource", "raw"),
    [
        (CPU, "250m"),
        (CPU, 0.5),
        (CPU, "1"),
        (CPU, 2),
        (MEMORY, "512Mi"),
        (MEMORY, "1G"),
        (MEMORY, "1e3"),
        (MEMORY, 1073741824),
        (MEMORY, "0.5Gi"),
    ],
)
def test_resource_quantities_that_are_fine(resource: ResourceName, raw: object) -> None:
    assert isinstance(parse_resource_quantity(resource, raw), Quantity)


@given(st.one_of(st.text(max_size=80), st.integers(), st.floats(), st.booleans(), st.none()))
def test_parsing_never_raises(raw: object) -> None:
    for resource in ResourceName:
        assert isinstance(parse_resource_quantity(resource, raw), (Quantity, InvalidQuantity))
