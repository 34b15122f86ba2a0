"""AWS shared credentials files held in Secrets: which keys are literal secrets (RL106)."""

from __future__ import annotations

import pytest

from reglint.platform.aws_credentials import read_aws_credentials
from reglint.platform.records import ValueState

L, P, E = ValueState.LITERAL, ValueState.PLACEHOLDER, ValueState.EMPTY

# fmt: off
CASES = [
    ("[default]\naws_access_key_id = AKIAQ3EGRTHS5EXAMPLE\naws_secret_access_key = s3cr3t\n",
     [("default", (("aws_access_key_id", L), ("aws_secret_access_key", L)), ("aws_secret_access_key",))]),
    ("[default]\nAWS_Secret_Access_Key: s3cr3t\n",  # names are case-insensitive; `:` works too
     [("default", (("aws_secret_access_key", L),), ("aws_secret_access_key",))]),
    ("[default]\naws_secret_access_key =\n", [("default", (("aws_secret_access_key", E),), ())]),
    ("[ci]\naws_secret_access_key = ${SECRET}\naws_session_token = <token>\n",
     [("ci", (("aws_secret_access_key", P), ("aws_session_token", P)), ())]),
    ("# comment\n; other\n[a]\nregion = us-east-1\n[b]\naws_session_token = t0k3n\n",
     [("b", (("aws_session_token", L),), ("aws_session_token",))]),
    # a broken line does not hide the next one (configparser would stop at it)
    ("[default]\nthis line is broken\naws_secret_access_key = s3cr3t\n",
     [("default", (("aws_secret_access_key", L),), ("aws_secret_access_key",))]),
    # keys before any section: no profile AWS reads, but in the file all the same
    ("aws_secret_access_key = s3cr3t\n", [("", (("aws_secret_access_key", L),), ("aws_secret_access_key",))]),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_profiles(
    text: str, expected: list[tuple[str, tuple[tuple[str, ValueState], ...], tuple[str, ...]]]
) -> None:
    profiles = read_aws_credentials(text)
    assert profiles is not None
    assert [(p.name, p.keys, p.literal_secrets) for p in profiles] == expected
    assert "s3cr3t" not in repr(profiles) and "t0k3n" not in repr(profiles)


@pytest.mark.parametrize(
    "text", ["", "[default]\nregion = us-east-1\n", '{"type": "service_account"}', "x" * 100_000]
)
def test_not_an_aws_credentials_file(text: str) -> None:
    assert read_aws_credentials(text) is None
