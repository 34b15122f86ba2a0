"""Bounded decoding of what a Kubernetes Secret holds: base64 data, then JSON or text.

Kubernetes caps a Secret at 1 MiB (`MaxSecretSize` in k8s.io/api/core/v1/types.go), so a
payload beyond that is reported as too large and never decoded: no hostile value costs
more than decoding 1 MiB. A `data` value is standard base64 with padding (the API
server decodes it with Go's `base64.StdEncoding`, which skips `\\r` and `\\n` only), so
URL-safe characters, missing padding and spaces are malformed, as Kubernetes finds them.

Each function returns the decoded value or the reason it cannot be decoded. A reason
never quotes the input: it may be a secret.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

__all__ = ["MAX_SECRET_BYTES", "TOO_LARGE", "decode_base64", "decode_json_object", "decode_text"]

MAX_SECRET_BYTES = 1024 * 1024  # Kubernetes' MaxSecretSize
# The longest base64 text whose decoded size can still be within MAX_SECRET_BYTES: four
# characters per three bytes, padding included (line breaks are removed first).
_MAX_BASE64_CHARS = (MAX_SECRET_BYTES + 2) // 3 * 4
TOO_LARGE = f"is larger than Kubernetes' Secret size limit ({MAX_SECRET_BYTES // 1024 // 1024} MiB)"


def decode_base64(text: str) -> bytes | str:
    """The bytes of a base64 `data` value, or why Kubernetes would reject it."""
    if len(text) > 2 * _MAX_BASE64_CHARS:  # not worth removing line breaks from
        return TOO_LARGE
    compact = text.replace("\r", "").replace("\n", "")
    if len(compact) > _MAX_BASE64_CHARS:
        return TOO_LARGE
    try:
        return base64.b64decode(compact.encode("ascii"), validate=True)
    except UnicodeEncodeError:
        return "is not valid base64: it has characters outside the base64 alphabet"
    except binascii.Error:
        # The exception's own text is not quoted: reglint words the reason itself.
        return "is not valid base64 (standard alphabet, '=' padding, no spaces)"


def decode_text(raw: bytes | str) -> str | None:
    """`raw` as text, or None when it is not UTF-8."""
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def decode_json_object(raw: bytes | str) -> dict[str, Any] | str:
    """A JSON object held in a Secret, or why it cannot be read."""
    size = len(raw) if isinstance(raw, bytes) else len(raw.encode("utf-8", "surrogatepass"))
    if size > MAX_SECRET_BYTES:
        return TOO_LARGE
    text = decode_text(raw)
    if text is None:
        return "is not UTF-8 text"
    try:
        data = json.loads(text)
    except RecursionError:  # json's C scanner counts its nesting against the recursion limit
        return "is not JSON that can be read: it is nested too deeply"
    except ValueError as error:
        # A JSONDecodeError's position only (its message never holds the text).
        where = (
            f" (line {error.lineno}, column {error.colno})"
            if isinstance(error, json.JSONDecodeError)
            else ""
        )
        return f"is not valid JSON{where}"
    if not isinstance(data, dict):
        return f"is JSON {_json_type(data)}, not an object"
    return data


def _json_type(value: Any) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    return "number"
