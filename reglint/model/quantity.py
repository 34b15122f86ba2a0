"""Kubernetes resource quantities for CPU and memory, valued as Kubernetes values them.

The grammar is Kubernetes' (k8s.io/apimachinery/pkg/api/resource/quantity.go,
https://github.com/kubernetes/apimachinery/blob/master/pkg/api/resource/quantity.go):

    quantity        := signedNumber suffix
    signedNumber    := [+-] digits* ['.' digits*]
    suffix          := binarySI | decimalSI | decimalExponent
    binarySI        := Ki | Mi | Gi | Ti | Pi | Ei            (powers of 1024)
    decimalSI       := n | u | m | "" | k | M | G | T | P | E  (powers of 1000)
    decimalExponent := (e | E) signed integer                  (1e3 = 1000)

Values are exact `fractions.Fraction`s, with Kubernetes' two adjustments
(`ParseQuantity`): the magnitude is rounded *up* to whole nano-units (`0.5e-9` is `1n`),
and a binary-suffixed quantity is capped at 2^63-1 (`9Ei` = `10Ei` =
`9223372036854775807`); a decimal one is not (`10E` stays 10^19). So comparisons agree
with the API server's ("request must be less than or equal to the limit"). A YAML float
(`cpu: 0.5`) is read through its shortest decimal `repr`, which is the text the user
wrote. Whitespace around the text is dropped, as `UnmarshalJSON` drops it before
parsing. A number without digits (`.`, `+`, `Mi`) is 0 to Kubernetes'
`parseQuantityString`.

Three outcomes (the tests hold Kubernetes' own parse table):

- `InvalidQuantity` with `kubernetes_rejects`: not a quantity, or negative (the API
  server's validation wants 0 or more).
- `Quantity` with a `doubt`: Kubernetes accepts it, but it is likely a typo: no digits,
  memory below whole bytes (`512m` is 0.512 bytes, not 512 MB), CPU finer than 1m
  (Kubernetes rounds CPU up to whole millicores). The value still takes part in
  comparisons.
- `InvalidQuantity` without `kubernetes_rejects`: Kubernetes reads it, reglint does not
  (longer than 64 characters, or an exponent beyond ±64), so that hostile input stays
  cheap; such a value is far from any real amount.
"""

from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    # Imported where a quantity is parsed (docs/measurements.md): a run where no manifest
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
    r"^(?P<number>[+-]?[0-9]*(?:\.[0-9]*)?)"
    r"(?P<suffix>Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?[0-9]+|[numkMGTPE])?$"
)
_BINARY = {"Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
# Hostile input stays cheap: no 10**1_000_000 from `1e1000000`, and no digit string longer
# than Python's int-conversion limit.
_MAX_TEXT = 64
_MAX_EXPONENT = 64
_MAX_INT_BITS = 256  # more than 64 decimal digits: written out, too long anyway
_INT64_MAX = 2**63 - 1  # Kubernetes' cap for binary quantities, and its exponent limit
_NANO = 10**9  # Kubernetes rounds up to whole nano-units
_MILLICORES = 1000  # per core: Kubernetes uses CPU in whole millicores
_SUB_BYTE_SUFFIXES = ("n", "u", "m")
# Go's unicode.IsSpace, which strings.TrimSpace uses (Python's str.strip() also strips
# \x1c-\x1f, which Go keeps).
_GO_SPACE = (
    " \t\n\v\f\r\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)


class ResourceName(enum.Enum):
    CPU = "cpu"
    MEMORY = "memory"

    @property
    def unit(self) -> str:
        return "cores" if self is ResourceName.CPU else "bytes"


@dataclass(frozen=True, slots=True, order=True)
class Quantity:
    """A quantity as Kubernetes values it (`value` in cores or bytes), the text it was
    written as, and `doubt`: why it is likely a typo, if it is."""

    value: Fraction
    text: str = field(compare=False)
    suffix: str = field(default="", compare=False)
    doubt: str | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return self.text

    @property
    def plain(self) -> str:
        """The value as a plain decimal in cores or bytes (`2Gi` -> `2147483648`)."""
        return _decimal(self.value)


class InvalidQuantity(NamedTuple):
    """A value reglint cannot use, with a message that says how to write one.
    `kubernetes_rejects`: False when Kubernetes reads it but reglint does not."""

    text: str
    message: str
    kubernetes_rejects: bool = True


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
    if isinstance(raw, int) and raw.bit_length() > _MAX_INT_BITS:
        # YAML's `0x…` escapes CPython's limit on decimal digits: never write it out.
        shown = f"a number of more than {_MAX_TEXT} digits"
        return InvalidQuantity(
            shown,
            f"{shown}: Kubernetes reads it, but reglint does not; write it shorter, with a "
            "suffix such as 'Gi'",
            kubernetes_rejects=False,
        )
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
    text = text.strip(_GO_SPACE)
    if len(text) > _MAX_TEXT:
        return InvalidQuantity(
            text,
            f"'{text[:16]}…' has more than {_MAX_TEXT} characters: Kubernetes reads it, but "
            "reglint does not; write it shorter, with a suffix such as 'Gi'",
            kubernetes_rejects=False,
        )
    match = _QUANTITY.match(text)
    if match is None or not text:
        return InvalidQuantity(
            text,
            f"'{text}' is not a Kubernetes quantity: write a number with an optional "
            "suffix, such as '250m', '0.5', '512Mi' or '1G'",
        )
    from fractions import Fraction

    number_text, suffix = match["number"], match["suffix"] or ""
    if suffix in _BINARY:
        scale = Fraction(1024 ** _BINARY[suffix])
    elif suffix in _DECIMAL:
        scale = Fraction(10) ** _DECIMAL[suffix]
    else:
        exponent = int(suffix[1:])
        if not -_INT64_MAX - 1 <= exponent <= _INT64_MAX:  # Go's ParseInt fails: rejected
            return InvalidQuantity(
                text, f"'{text}' is not a Kubernetes quantity: the exponent is out of range"
            )
        if abs(exponent) > _MAX_EXPONENT:
            return InvalidQuantity(
                text,
                f"'{text}' has an exponent beyond ±{_MAX_EXPONENT}, far from any real "
                "amount: Kubernetes reads it, but reglint does not; check the exponent",
                kubernetes_rejects=False,
            )
        scale = Fraction(10) ** exponent
    digits = any(ch.isdigit() for ch in number_text)
    exact = Fraction(number_text.lstrip("+-") or "0") * scale if digits else Fraction(0)
    value = _as_kubernetes_stores(exact, binary=suffix in _BINARY)
    if number_text.startswith("-"):
        value = -value
    doubt = None
    if not digits:
        doubt = (
            f"'{text}' has no digits, so Kubernetes reads it as 0: write the amount, such as "
            "'500m' or '512Mi'"
        )
    return Quantity(value, text, suffix, doubt)


def _as_kubernetes_stores(magnitude: Fraction, *, binary: bool) -> Fraction:
    """Round up to whole nano-units; cap a binary quantity at 2^63-1 (ParseQuantity)."""
    from fractions import Fraction

    if (magnitude * _NANO).denominator != 1:
        magnitude = Fraction(math.ceil(magnitude * _NANO), _NANO)
    if binary and magnitude > _INT64_MAX:
        magnitude = Fraction(_INT64_MAX)
    return magnitude


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
    if isinstance(quantity, InvalidQuantity) or quantity.doubt is not None:
        return quantity
    text = quantity.text
    if quantity.value < 0:
        return InvalidQuantity(
            text, f"{resource.value} '{text}' is negative: give an amount of 0 or more"
        )
    if resource is ResourceName.CPU and (quantity.value * _MILLICORES).denominator != 1:
        rounded = math.ceil(quantity.value * _MILLICORES)
        return replace(
            quantity,
            doubt=f"cpu '{text}' is finer than 1m (0.001 cores), the smallest CPU amount "
            f"Kubernetes uses: it rounds it up to '{rounded}m'; write whole millicores",
        )
    if resource is ResourceName.MEMORY and quantity.suffix in _SUB_BYTE_SUFFIXES and quantity.value:
        number = text[: -len(quantity.suffix)].lstrip("+")
        return replace(
            quantity,
            doubt=f"memory '{text}' means {_decimal(quantity.value)} bytes ('{quantity.suffix}' "
            "is a fraction of a byte, and Kubernetes rounds it up to whole bytes): did you "
            f"mean '{number}Mi' or '{number}M'?",
        )
    if resource is ResourceName.MEMORY and 0 < quantity.value < 1:
        return replace(
            quantity,
            doubt=f"memory '{text}' is less than one byte: give bytes or a suffix, such as "
            "'0.5Gi' or '512Mi'",
        )
    return quantity


def _decimal(value: Fraction) -> str:
    """A short decimal rendering of an exact value, for messages."""
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):g}"
