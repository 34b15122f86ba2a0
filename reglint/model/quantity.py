"""Kubernetes resource quantities for CPU and memory, parsed to exact fractions.

The grammar is Kubernetes' (k8s.io/apimachinery/pkg/api/resource/quantity.go,
https://github.com/kubernetes/apimachinery/blob/master/pkg/api/resource/quantity.go):

    quantity        := signedNumber suffix
    signedNumber    := [+-] (digits | digits '.' digits | digits '.' | '.' digits)
    suffix          := binarySI | decimalSI | decimalExponent
    binarySI        := Ki | Mi | Gi | Ti | Pi | Ei            (powers of 1024)
    decimalSI       := n | u | m | "" | k | M | G | T | P | E  (powers of 1000)
    decimalExponent := (e | E) signed integer                  (1e3 = 1000)

Values are `fractions.Fraction`s, so `0.1` + `0.2` compares equal to `300m` and `1Gi` vs
`1073741824` is exact: no float rounding. A YAML float (`cpu: 0.5`) is read through its
shortest decimal `repr`, which is the text the user wrote.

Resource rules on top of the grammar:

- A quantity must not be negative.
- CPU: no precision finer than 1m ("Kubernetes doesn't allow you to specify CPU
  resources with a precision finer than 1m",
  https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#meaning-of-cpu).
- Memory: a sub-byte suffix (`n`, `u`, `m`) is reported. Kubernetes accepts `512m` as
  0.512 bytes and rounds it up, but no one means that: it is a typo for `512Mi`
  (decision: SPEC §2 RL107 says "invalid quantity"; reglint counts this as one).
"""

from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    # Imported where a quantity is parsed (~1.5 ms to import): a run where no manifest
    # gives resources, such as a policy-only run, never needs it.
    from fractions import Fraction

__all__ = [
    "InvalidQuantity",
    "Quantity",
    "ResourceName",
    "parse_quantity",
    "parse_resource_quantity",
]

_QUANTITY = re.compile(
    r"^(?P<number>[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))"
    r"(?P<suffix>Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?[0-9]+|[numkMGTPE])?$"
)
_BINARY = {"Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
# Hostile input stays cheap: no 10**1_000_000 from `1e1000000`, and no digit string longer
# than Python's int-conversion limit.
_MAX_TEXT = 64
_MAX_EXPONENT = 64
_MILLICORES = 1000  # per core: CPU is given in whole millicores at most


class ResourceName(enum.Enum):
    CPU = "cpu"
    MEMORY = "memory"

    @property
    def unit(self) -> str:
        return "cores" if self is ResourceName.CPU else "bytes"


@dataclass(frozen=True, slots=True, order=True)
class Quantity:
    """An exact quantity (`value` in cores or bytes) and the text it was written as."""

    value: Fraction
    text: str = field(compare=False)
    suffix: str = field(default="", compare=False)

    def __str__(self) -> str:
        return self.text

    @property
    def plain(self) -> str:
        """The value as a plain decimal in cores or bytes (`2Gi` -> `2147483648`)."""
        return _decimal(self.value)


class InvalidQuantity(NamedTuple):
    """A value that is not a quantity, with a message that says how to write one."""

    text: str
    message: str


def _as_text(raw: object) -> str | None:
    """The text of a YAML scalar, or None for anything that is no number or string."""
    if isinstance(raw, bool):
        return None  # YAML `true` is an int subclass in Python, never a quantity
    if isinstance(raw, str):
        return raw
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, float):
        return repr(raw) if math.isfinite(raw) else None
    return None


def parse_quantity(raw: object) -> Quantity | InvalidQuantity:
    """Parse a Kubernetes quantity given as a string or a YAML number; never raises."""
    text = _as_text(raw)
    if text is None:
        if isinstance(raw, bool):
            shown = str(raw).lower()  # what YAML made a boolean (`cpu: yes`, `true`)
        elif raw is None:
            shown = "null"
        else:
            shown = f"a {type(raw).__name__}"
        return InvalidQuantity(
            shown, f"{shown} is not a quantity: write a number such as '500m' or '1Gi'"
        )
    if len(text) > _MAX_TEXT:
        return InvalidQuantity(text, f"'{text[:16]}…' is too long to be a quantity")
    match = _QUANTITY.match(text)
    if match is None:
        return InvalidQuantity(
            text,
            f"'{text}' is not a Kubernetes quantity: write a number with an optional "
            "suffix, such as '250m', '0.5', '512Mi' or '1G'",
        )
    from fractions import Fraction

    number = Fraction(match["number"])
    suffix = match["suffix"] or ""
    if suffix in _BINARY:
        value = number * 1024 ** _BINARY[suffix]
    elif suffix in _DECIMAL:
        value = number * Fraction(10) ** _DECIMAL[suffix]
    else:
        exponent = int(suffix[1:])
        if abs(exponent) > _MAX_EXPONENT:
            return InvalidQuantity(text, f"'{text}' is out of range: the exponent is too large")
        value = number * Fraction(10) ** exponent
    return Quantity(value, text, suffix)


def parse_resource_quantity(resource: ResourceName, raw: object) -> Quantity | InvalidQuantity:
    """Parse a CPU or memory quantity and apply that resource's rules (module docstring)."""
    if isinstance(raw, (str, int, float)) and not isinstance(raw, bool):
        # Manifests repeat the same few quantities (`250m`, `1Gi`): parse each once.
        return _cached_resource_quantity(resource, type(raw).__name__, raw)
    return _resource_quantity(resource, raw)


@lru_cache(maxsize=4096)
def _cached_resource_quantity(
    resource: ResourceName, kind: str, raw: object
) -> Quantity | InvalidQuantity:
    return _resource_quantity(resource, raw)  # `kind` keeps 1 and 1.0 apart in the cache


def _resource_quantity(resource: ResourceName, raw: object) -> Quantity | InvalidQuantity:
    quantity = parse_quantity(raw)
    if isinstance(quantity, InvalidQuantity):
        return quantity
    text = quantity.text
    if quantity.value < 0:
        return InvalidQuantity(
            text, f"{resource.value} '{text}' is negative: give an amount of 0 or more"
        )
    if resource is ResourceName.CPU and (quantity.value * _MILLICORES).denominator != 1:
        return InvalidQuantity(
            text,
            f"cpu '{text}' is finer than 1m (0.001 cores), which Kubernetes does not allow: "
            "round it to whole millicores",
        )
    if resource is ResourceName.MEMORY and quantity.suffix in ("n", "u", "m"):
        number = text[: -len(quantity.suffix)]
        return InvalidQuantity(
            text,
            f"memory '{text}' means {_decimal(quantity.value)} bytes ('{quantity.suffix}' is a "
            f"fraction of a byte): did you mean '{number}Mi' or '{number}M'?",
        )
    return quantity


def _decimal(value: Fraction) -> str:
    """A short decimal rendering of an exact value, for messages."""
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):g}"
