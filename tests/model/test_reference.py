"""Registry reference parsing: the OCI distribution grammar, with explained failures."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reglint.model.reference import (
    FailureKind,
    InvalidReference,
    RegistryReference,
    explain_path_component,
    parse_reference,
)


def invalid(text: str) -> InvalidReference:
    parsed = parse_reference(text)
    assert isinstance(parsed, InvalidReference), parsed
    return parsed


ECR = "123456789012.dkr.ecr.us-east-2.amazonaws.com"
REG = "reg.example.com"


# fmt: off
VALID_REFERENCES_CASES = [
    (f"{ECR}/ml-prod", ECR, None, "ml-prod"),
    (ECR, ECR, None, ""),
    (f"{REG}:5000/team/ml", REG, 5000, "team/ml"),
    ("Registry.Example.COM/ml", "Registry.Example.COM", None, "ml"),  # host: any case
    ("localhost/ml", "localhost", None, "ml"),
    ("localhost:5000", "localhost", 5000, ""),
    ("10.0.0.7:443/ml", "10.0.0.7", 443, "ml"),
    ("[::1]:5000/ml", "[::1]", 5000, "ml"),
    ("[2001:db8::1]/ml", "[2001:db8::1]", None, "ml"),
    ("registry/ml", None, None, "registry/ml"),  # no '.', ':' or localhost: Docker Hub
    ("ml", None, None, "ml"),
    (f"{REG}/ml/", REG, None, "ml"),  # one trailing '/' is dropped
    (f"{REG}/", REG, None, ""),
    (f"{REG}/a.b/c_d/e__f/g---h/i-j", REG, None, "a.b/c_d/e__f/g---h/i-j"),
    ("public.ecr.aws/my-alias", "public.ecr.aws", None, "my-alias"),
    ("myacr.azurecr.io/ml", "myacr.azurecr.io", None, "ml"),
    ("europe-west4-docker.pkg.dev/p/r", "europe-west4-docker.pkg.dev", None, "p/r"),
    ("eu.gcr.io/project", "eu.gcr.io", None, "project"),
    ("ghcr.io/org/ml", "ghcr.io", None, "org/ml"),
    ("quay.io/org", "quay.io", None, "org"),
    (f"{REG}/" + "a" * 255, REG, None, "a" * 255),  # at the length limit
]
# fmt: on


@pytest.mark.parametrize(("text", "host", "port", "path"), VALID_REFERENCES_CASES)
def test_valid_references(text: str, host: str | None, port: int | None, path: str) -> None:
    parsed = parse_reference(text)
    assert parsed == RegistryReference(host=host, port=port, path=path)
    assert parsed.text == text


def test_reference_parts_and_string() -> None:
    parsed = parse_reference("Reg.example.com:5000/team/ml/")
    assert isinstance(parsed, RegistryReference)
    assert parsed.components == ("team", "ml")
    assert parsed.domain == "Reg.example.com:5000"
    assert str(parsed) == "Reg.example.com:5000/team/ml"
    hub = parse_reference("team/ml")
    assert isinstance(hub, RegistryReference)
    assert hub.domain is None and str(hub) == "team/ml"


# fmt: off
INVALID_REFERENCES_EXPLAIN_THE_FAILURE_CASES = [
    (f"https://{REG}/ml", FailureKind.SCHEME,
     "drop 'https://' and write host[:port][/path]"),
    (f"oci://{REG}/ml", FailureKind.SCHEME, "drop 'oci://'"),
    (f"{REG}/ML/Prod", FailureKind.UPPERCASE_PATH,
     "the path 'ML/Prod' has upper case; repository paths are lower case: write 'ml/prod'"),
    (f"{REG}//ml", FailureKind.EMPTY_SEGMENT,
     "the path has an empty segment ('//'): remove the extra '/'"),
    (f"{REG}/ml//", FailureKind.EMPTY_SEGMENT, "empty segment ('//')"),
    ("/ml", FailureKind.EMPTY_SEGMENT, "the path starts with '/'"),
    (f"{REG}:0/ml", FailureKind.PORT,
     ("port '0' is outside 1-65535: give a port from 1 to 65535, or drop ':' to use the "
      "default (443)")),
    (f"{REG}:70000/ml", FailureKind.PORT, "port '70000' is outside 1-65535"),
    (f"{REG}:123456789/ml", FailureKind.PORT, "port '123456789' is outside 1-65535"),
    (f"{REG}:http/ml", FailureKind.PORT, "port 'http' is not a number"),
    ("ml:latest", FailureKind.PORT,
     "port 'latest' is not a number (a tag does not belong here)"),
    (f"{REG}:/ml", FailureKind.PORT, "nothing follows ':'"),
    (f"{REG}/ml ops", FailureKind.WHITESPACE, "the URL has whitespace inside it: remove it"),
    (f" {REG}/ml\n", FailureKind.WHITESPACE, "the URL has whitespace around it: remove it"),
    (f"{REG}/ml?x=1", FailureKind.QUERY,
     "a registry URL has no query: drop '?' and what follows it"),
    (f"{REG}/ml#top", FailureKind.FRAGMENT, "a registry URL has no fragment: drop '#'"),
    (f"{REG}/ml:latest", FailureKind.TAG,
     "a registry URL names where images go, not one image: drop the tag ':latest'"),
    (f"{REG}/ml@sha256:" + "a" * 64, FailureKind.DIGEST, "drop the digest '@sha256:aaaa"),
    ("reg..example.com/ml", FailureKind.HOST, "host 'reg..example.com' has an empty label"),
    ("reg_1.example.com/ml", FailureKind.HOST, "host label 'reg_1' is not a DNS label"),
    ("-reg.example.com/ml", FailureKind.HOST, "host label '-reg' is not a DNS label"),
    ("[::1/ml", FailureKind.HOST, "'[::1' is not an IPv6 address in [brackets]"),
    ("[fe80::1%eth0]/ml", FailureKind.HOST, "is not an IPv6 address in [brackets]"),
    ("[::1]x/ml", FailureKind.HOST,
     "unexpected 'x' after the IPv6 address: write [address]:port"),
    (f"{REG}/-ml", FailureKind.PATH_COMPONENT,
     "path component '-ml' starts with '-'; it must start with a letter or digit"),
    (f"{REG}/ml-", FailureKind.PATH_COMPONENT, "path component 'ml-' ends with '-'"),
    (f"{REG}/a___b", FailureKind.PATH_COMPONENT,
     ("has '___', which is not a separator: use one '.', one '_', two '__' or any number "
      "of '-'")),
    (f"{REG}/a.-b", FailureKind.PATH_COMPONENT, "has '.-', which is not a separator"),
    (f"{REG}/m!l", FailureKind.PATH_COMPONENT, "path component 'm!l' has '!'; only a-z, 0-9"),
    (f"{REG}/" + "a" * 256, FailureKind.TOO_LONG,
     "the path has 256 characters; a repository name may have at most 255"),
    ("", FailureKind.EMPTY, "the URL is empty"),
    ("   ", FailureKind.EMPTY, "the URL is empty"),
    ("/", FailureKind.EMPTY, "the URL names no registry host and no path"),
    ("https://", FailureKind.EMPTY, "the URL names no registry host and no path"),
]
# fmt: on


@pytest.mark.parametrize(("text", "kind", "words"), INVALID_REFERENCES_EXPLAIN_THE_FAILURE_CASES)
def test_invalid_references_explain_the_failure(text: str, kind: FailureKind, words: str) -> None:
    failures = invalid(text).failures
    assert any(f.kind is kind and words in f.message for f in failures), failures


def test_every_failure_is_reported_not_only_the_first() -> None:
    parsed = invalid("https://Reg.example.com:99999/ML?tag=x")
    assert {f.kind for f in parsed.failures} == {
        FailureKind.SCHEME,
        FailureKind.QUERY,
        FailureKind.PORT,
        FailureKind.UPPERCASE_PATH,
    }
    assert parsed.host == "Reg.example.com"


def test_best_effort_host_of_an_invalid_reference() -> None:
    assert invalid("https://123456789012.dkr.ecr..amazonaws.com/ml").host == (
        "123456789012.dkr.ecr..amazonaws.com"
    )
    assert invalid("ML/x").host is None


def test_credentials_are_dropped_and_never_repeated() -> None:
    parsed = invalid("https://AKIAIOSFODNN7EXAMPLE:hunter2-secret@reg.example.com/ml")
    assert parsed.host == "reg.example.com"
    userinfo = [f for f in parsed.failures if f.kind is FailureKind.USERINFO]
    assert userinfo[0].message == (
        "the URL holds credentials before '@' (not repeated here): remove them and set "
        "spec.auth instead"
    )
    for failure in parsed.failures:
        assert "hunter2" not in failure.message + failure.fragment
        assert "AKIA" not in failure.message + failure.fragment


def test_query_values_are_not_repeated() -> None:
    parsed = invalid("reg.example.com/ml?token=s3cr3t-t0ken")
    assert all("s3cr3t" not in f.message + f.fragment for f in parsed.failures)


def test_single_component_digest_is_a_digest_not_credentials() -> None:
    parsed = invalid("ml@sha256:" + "0" * 64)
    assert [f.kind for f in parsed.failures] == [FailureKind.DIGEST]


@pytest.mark.parametrize(
    ("component", "partial", "reason"),
    [
        ("ml", False, None),
        ("ml-", True, None),
        ("ml__", True, None),
        ("", True, None),
        ("", False, "is empty"),
        ("ML", False, "has upper case; repository names are lower case"),
        ("m l", False, "has whitespace; remove it"),
        ("ml-", False, "ends with '-'; it must end with a letter or digit"),
        ("_ml", True, "starts with '_'; it must start with a letter or digit"),
        ("ml@:", True, "has ':', '@'; only a-z, 0-9 and the separators"),
        ("ml___", True, "has '___', which is not a separator"),
    ],
)
def test_explain_path_component(component: str, partial: bool, reason: str | None) -> None:
    explained = explain_path_component(component, partial=partial)
    if reason is None:
        assert explained is None
    else:
        assert explained is not None and explained.startswith(reason)


# Property tests ---------------------------------------------------------------------

_COMPONENT = st.from_regex(r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*", fullmatch=True)
_LABEL = st.from_regex(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,20}[A-Za-z0-9])?", fullmatch=True)
_DOMAIN_NAME = st.lists(_LABEL, min_size=2, max_size=4).map(".".join)
_IPV6 = st.ip_addresses(v=6).map(lambda a: f"[{a.compressed}]").filter(lambda h: "." not in h)
_HOST = st.one_of(_DOMAIN_NAME, st.just("localhost"), _IPV6)


@st.composite
def valid_references(draw: st.DrawFn) -> tuple[str, str | None, int | None, str]:
    """A reference from the grammar, and the host, port and path it must parse to."""
    host = draw(st.none() | _HOST)
    port = draw(st.none() | st.integers(1, 65535)) if host else None
    components = draw(st.lists(_COMPONENT, min_size=0 if host else 1, max_size=4))
    if host is None and ("." in components[0] or components[0] == "localhost"):
        components[0] = components[0].replace(".", "-") + "x"  # would be read as a host
    path = "/".join(components)
    if len(path) > 255:
        path = path[:250].rstrip("._-/") or "a"
    if host is None:
        text = path
    else:
        domain = host if port is None else f"{host}:{port}"
        text = f"{domain}/{path}" if path else domain
    trailing = draw(st.booleans())
    return (text + "/" if trailing else text), host, port, path


@given(valid_references())
def test_valid_generated_references_parse(case: tuple[str, str | None, int | None, str]) -> None:
    text, host, port, path = case
    parsed = parse_reference(text)
    assert isinstance(parsed, RegistryReference), parsed
    assert (parsed.host, parsed.port, parsed.path) == (host, port, path)


@given(st.text())
def test_any_text_parses_without_an_exception(text: str) -> None:
    parsed = parse_reference(text)
    if isinstance(parsed, InvalidReference):
        assert parsed.failures
        assert all(f.message for f in parsed.failures)
    else:
        # A valid reference round-trips through its canonical string.
        assert parse_reference(str(parsed)) == parsed


@given(st.text(alphabet="abcAB01.:/@[]-_ ?#%", max_size=40))
def test_reference_shaped_text_round_trips(text: str) -> None:
    parsed = parse_reference(text)
    if isinstance(parsed, RegistryReference):
        assert parse_reference(str(parsed)) == parsed
        if parsed.host and parsed.host.startswith("["):
            ipaddress.IPv6Address(parsed.host[1:-1])


@given(st.from_regex(r"[A-Za-z0-9/+]{12,40}", fullmatch=True))
def test_passwords_in_the_url_never_reach_a_message(password: str) -> None:
    parsed = invalid(f"https://user:{password}@reg.example.com/ml")
    assert all(password not in f.message + f.fragment for f in parsed.failures)
