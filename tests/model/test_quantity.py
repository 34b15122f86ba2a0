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


MAX = 2**63 - 1  # Kubernetes' largest quantity (`maxAllowed`)


def dec(mantissa: int, exponent: int) -> Fraction:
    """apimachinery's `decQuantity(mantissa, exponent, …)`: mantissa × 10^exponent."""
    return Fraction(mantissa) * Fraction(10) ** exponent


# Kubernetes' own parse table: k8s.io/apimachinery pkg/api/resource/quantity_test.go,
# TestQuantityParse (kubernetes/apimachinery at eed236ce), each row's input with the
# value Kubernetes parses it to: rounded up to whole nano-units, binary (`…i`) quantities
# capped at 2^63-1.
# fmt: off
KUBERNETES_PARSE_TABLE = [
    ("0", 0), ("0n", 0), ("0u", 0), ("0m", 0), ("0Ki", 0), ("0k", 0), ("0Mi", 0),
    ("0M", 0), ("0Gi", 0), ("0G", 0), ("0Ti", 0), ("0T", 0),
    ("1", 1),
    ("1Ki", 1024), ("8Ki", 8 * 1024), ("7Mi", 7 * 1024**2), ("6Gi", 6 * 1024**3),
    ("5Ti", 5 * 1024**4), ("4Pi", 4 * 1024**5), ("3Ei", 3 * 1024**6),
    ("10Ti", 10 * 1024**4), ("100Ti", 100 * 1024**4),
    ("5n", dec(5, -9)), ("4u", dec(4, -6)), ("3m", dec(3, -3)), ("9", 9), ("8k", dec(8, 3)),
    ("50k", dec(5, 4)), ("7M", dec(7, 6)), ("6G", dec(6, 9)), ("5T", dec(5, 12)),
    ("40T", dec(4, 13)), ("300T", dec(3, 14)), ("2P", dec(2, 15)), ("1E", dec(1, 18)),
    ("1E-3", dec(1, -3)), ("1e3", dec(1, 3)), ("1E6", dec(1, 6)), ("1e9", dec(1, 9)),
    ("1E12", dec(1, 12)), ("1e15", dec(1, 15)), ("1E18", dec(1, 18)),
    ("1e14", dec(1, 14)), ("1e13", dec(1, 13)), ("100.035k", dec(100035, 0)),
    ("0.001", dec(1, -3)), ("0.0005k", dec(5, -1)), ("0.005", dec(5, -3)),
    ("0.05", dec(5, -2)), ("0.5", dec(5, -1)), ("0.00050k", dec(5, -1)),
    ("0.00500", dec(5, -3)), ("0.05000", dec(5, -2)), ("0.50000", dec(5, -1)),
    ("0.5e0", dec(5, -1)), ("0.5e-1", dec(5, -2)), ("0.5e-2", dec(5, -3)),
    ("10.035M", dec(10035, 3)),
    ("1.2e3", dec(12, 2)), ("1.3E+6", dec(13, 5)), ("1.40e9", dec(14, 8)),
    ("1.53E12", dec(153, 10)), ("1.6e15", dec(16, 14)), ("1.7E18", dec(17, 17)),
    ("9.01", dec(901, -2)), ("8.1k", dec(81, 2)), ("7.123456M", dec(7123456, 0)),
    ("6.987654321G", dec(6987654321, 0)), ("5.444T", dec(5444, 9)), ("40.1T", dec(401, 11)),
    ("300.2T", dec(3002, 11)), ("2.5P", dec(25, 14)), ("1.01E", dec(101, 16)),
    # "Things that saturate/round"
    ("3.001n", dec(4, -9)), ("1.1E-9", dec(2, -9)), ("0.0000000001", dec(1, -9)),
    ("0.0000000005", dec(1, -9)), ("0.00000000050", dec(1, -9)), ("0.5e-9", dec(1, -9)),
    ("0.9n", dec(1, -9)), ("0.00000012345", dec(124, -9)), ("0.00000012354", dec(124, -9)),
    ("9Ei", MAX), ("9223372036854775807Ki", MAX), ("12E", dec(12, 18)),  # decimal: no cap
    # "We'll accept fractional binary stuff, too."
    ("100.035Ki", dec(10243584, -2)), ("0.5Mi", 1024 * 1024 // 2),
    ("0.05Gi", dec(536870912, -1)), ("0.025Ti", dec(274877906944, -1)),
    # "Things written by trolls"
    ("0.000000000001Ki", dec(2, -9)), (".001", dec(1, -3)), (".0001k", dec(100, -3)),
    ("1.", 1), ("1.G", dec(1, 9)),
]
# TestParseQuantity: values beyond int64 are exact when decimal.
KUBERNETES_BIG_DECIMALS = [
    ("9999999999999999999", 9999999999999999999), ("10E", 10**19),
    ("9223372036854775808", 2**63), ("9223372036854775807.1", dec(92233720368547758071, -1)),
    ("1.0000000000000000001E", dec(10000000000000000001, -1)),
]
# fmt: on


@pytest.mark.parametrize(
    ("text", "value"), KUBERNETES_PARSE_TABLE + KUBERNETES_BIG_DECIMALS
)
@pytest.mark.parametrize("sign", ["", "+", "-"])
def test_kubernetes_parse_table(sign: str, text: str, value: Fraction | int) -> None:
    """The test also tries each row with `-` and `+` before it, as TestQuantityParse does:
    rounding and the cap apply to the magnitude."""
    parsed = parse_quantity(sign + text)
    assert isinstance(parsed, Quantity), parsed
    assert parsed.value == (-value if sign == "-" else value)


# TestQuantityParse's `invalid` list (" 1" and "1 " aside: see below).
@pytest.mark.parametrize(
    "text", ["1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".5i", "1i", "-3.01i", "-3.01e-"]
)
def test_kubernetes_invalid_table(text: str) -> None:
    parsed = parse_quantity(text)
    assert isinstance(parsed, InvalidQuantity), parsed
    assert parsed.kubernetes_rejects
    assert parsed.message.startswith(f"'{text}' is not a Kubernetes quantity")


@pytest.mark.parametrize("text", [" 1", "1 ", "\t1Gi\n"])
def test_whitespace_around_is_trimmed_as_the_api_server_does(text: str) -> None:
    """ParseQuantity rejects " 1", but a manifest reaches it through UnmarshalJSON, which
    trims whitespace first (quantity.go)."""
    parsed = parse_quantity(text)
    assert isinstance(parsed, Quantity), parsed
    assert parsed.text == text.strip()


@pytest.mark.parametrize("text", [".", "+", "-", "-.", "Mi", "m", "k", "E", "e3"])
def test_no_digits_is_zero_to_kubernetes_and_a_likely_typo(text: str) -> None:
    """parseQuantityString reads a missing number as 0 (its tests parse "." and "-.")."""
    parsed = parse_quantity(text)
    assert isinstance(parsed, Quantity), parsed
    assert parsed.value == 0
    assert parsed.doubt == (
        f"'{text}' has no digits, so Kubernetes reads it as 0: write the amount, such as "
        "'500m' or '512Mi'"
    )


def test_comparisons_follow_kubernetes() -> None:
    def q(raw: object) -> Quantity:
        parsed = parse_quantity(raw)
        assert isinstance(parsed, Quantity)
        return parsed

    assert q("0.5e-9") == q("1e-9") == q("1n")
    assert q("1.5n") == q("2n")
    assert q("9Ei") == q("9223372036854775807") == q("10Ei")
    assert q("10E") > q("9Ei")  # a decimal quantity is not capped
    assert q("9Ei").plain == "9223372036854775807"


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
    ("1e99999999999999999999", "'1e99999999999999999999' is not a Kubernetes quantity"),
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
    assert parsed.kubernetes_rejects
    assert parsed.message.startswith(message)


# Kubernetes reads these, but reglint does not compute them (hostile input stays cheap):
# a likely typo, never "invalid".
# fmt: off
BEYOND_READING_CASES = [
    ("1" * 65, ("'1111111111111111…' has more than 64 characters: Kubernetes reads it, but "
                "reglint does not; write it shorter, with a suffix such as 'Gi'")),
    ("1e100", ("'1e100' has an exponent beyond ±64, far from any real amount: Kubernetes "
               "reads it, but reglint does not; check the exponent")),
    ("1e-65", "'1e-65' has an exponent beyond ±64"),
    pytest.param(int("f" * 4200, 16), "a number of more than 64 digits: Kubernetes reads "
                 "it, but reglint does not", id="5058-digits"),  # YAML's 0x… escapes
                 # CPython's int-to-text limit (str() of it raises)
]
# fmt: on


@pytest.mark.parametrize(("raw", "message"), BEYOND_READING_CASES)
def test_beyond_reading(raw: object, message: str) -> None:
    parsed = parse_quantity(raw)
    assert isinstance(parsed, InvalidQuantity), parsed
    assert not parsed.kubernetes_rejects
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
]
# fmt: on


@pytest.mark.parametrize(("resource", "raw", "message"), RESOURCE_RULES_CASES)
def test_resource_rules(resource: ResourceName, raw: object, message: str) -> None:
    parsed = parse_resource_quantity(resource, raw)
    assert isinstance(parsed, InvalidQuantity), parsed
    assert parsed.kubernetes_rejects  # validation: "must be greater than or equal to 0"
    assert parsed.message.startswith(message)


# Kubernetes accepts these (its validation only wants a quantity of 0 or more), so they
# are likely typos with a value that still takes part in comparisons.
# fmt: off
RESOURCE_DOUBTS_CASES = [
    (CPU, "0.0005", dec(5, -4),
     ("cpu '0.0005' is finer than 1m (0.001 cores), the smallest CPU amount Kubernetes "
      "uses: it rounds it up to '1m'; write whole millicores")),
    (CPU, "100u", dec(1, -4), "cpu '100u' is finer than 1m"),
    (CPU, "1.0005", dec(10005, -4), "it rounds it up to '1001m'"),
    (MEMORY, "512m", dec(512, -3),
     ("memory '512m' means 0.512 bytes ('m' is a fraction of a byte, and Kubernetes "
      "rounds it up to whole bytes): did you mean '512Mi' or '512M'?")),
    (MEMORY, "5n", dec(5, -9), "memory '5n' means 5e-09 bytes"),
    (MEMORY, "4u", dec(4, -6), "memory '4u' means 4e-06 bytes"),
    (MEMORY, "0.5", dec(5, -1),
     ("memory '0.5' is less than one byte: give bytes or a suffix, such as '0.5Gi' or "
      "'512Mi'")),
]
# fmt: on


@pytest.mark.parametrize(("resource", "raw", "value", "doubt"), RESOURCE_DOUBTS_CASES)
def test_resource_doubts(
    resource: ResourceName, raw: object, value: Fraction, doubt: str
) -> None:
    parsed = parse_resource_quantity(resource, raw)
    assert isinstance(parsed, Quantity), parsed
    assert parsed.value == value
    assert parsed.doubt is not None and doubt in parsed.doubt


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
    parsed = parse_resource_quantity(resource, raw)
    assert isinstance(parsed, Quantity)
    assert parsed.doubt is None


@given(st.one_of(st.text(max_size=80), st.integers(), st.floats(), st.booleans(), st.none()))
def test_parsing_never_raises(raw: object) -> None:
    for resource in ResourceName:
        assert isinstance(parse_resource_quantity(resource, raw), (Quantity, InvalidQuantity))
