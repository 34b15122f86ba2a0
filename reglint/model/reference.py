"""Registry references (`host[:port][/path]`) per the OCI distribution reference grammar.

The grammar, from https://github.com/distribution/reference/blob/main/reference.go:

    name             := [domain '/'] remote-name
    domain           := host [':' port-number]
    host             := domain-name | IPv4address | '[' IPv6address ']'
    domain-name      := domain-component ['.' domain-component]*
    domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
    remote-name      := path-component ['/' path-component]*
    path-component   := alpha-numeric [separator alpha-numeric]*
    alpha-numeric    := /[a-z0-9]+/
    separator        := /[_.]|__|[-]+/

A registry URL in a manifest names where images go, not one image, so reglint reads it
as `name` without the tag or digest. The first component is a host only when it holds a
`.` or `:` or is `localhost` (distribution's `splitDockerDomain`); otherwise the whole
text is a Docker Hub path. The remote name may be at most 255 characters
(`RepositoryNameTotalLengthMax`, which distribution applies to the path, not the
domain).

`parse_reference` never raises: it returns a `RegistryReference` or an
`InvalidReference` whose failures each say what is wrong and how to fix it. Messages
never repeat credentials (`user:password@host`).
"""

from __future__ import annotations

import enum
import functools
import re
from dataclasses import dataclass, field
from typing import NamedTuple

__all__ = [
    "MAX_PATH_LENGTH",
    "FailureKind",
    "InvalidReference",
    "ReferenceFailure",
    "RegistryReference",
    "explain_path_component",
    "parse_reference",
]

MAX_PATH_LENGTH = 255  # distribution/reference RepositoryNameTotalLengthMax

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_DOMAIN_COMPONENT = re.compile(r"^(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])$")
_PATH_COMPONENT = re.compile(r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")
# A component that may still be continued: a complete one plus one trailing separator.
_PARTIAL_COMPONENT = re.compile(r"^(?:[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:[._]|__|-+)?)?$")
_SEPARATOR_RUN = re.compile(r"[._-]+")
_VALID_SEPARATOR = re.compile(r"^(?:[._]|__|-+)$")
_IPV6_BODY = re.compile(r"^[A-Fa-f0-9:]+$")  # distribution's ipv6address: no zone, no dots
_DIGEST_TAIL = re.compile(r"@[A-Za-z][A-Za-z0-9]*(?:[+._-][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}$")
# 65535 has 5 digits; more can only be out of range (and int() of a huge digit string is
# itself an error in Python ≥ 3.11).
_PORT_DIGITS = 5
_ONE_IMAGE = "a registry URL names where images go, not one image"


class FailureKind(enum.Enum):
    """Why a registry URL does not fit `host[:port][/path]`."""

    EMPTY = "empty"
    WHITESPACE = "whitespace"
    SCHEME = "scheme"
    QUERY = "query"
    FRAGMENT = "fragment"
    USERINFO = "userinfo"
    TAG = "tag"
    DIGEST = "digest"
    HOST = "host"
    PORT = "port"
    UPPERCASE_PATH = "uppercase-path"
    EMPTY_SEGMENT = "empty-segment"
    PATH_COMPONENT = "path-component"
    TOO_LONG = "too-long"


class ReferenceFailure(NamedTuple):
    """One explained failure: its kind, a message that says how to fix it, and the
    offending fragment of the text (never credentials)."""

    kind: FailureKind
    message: str
    fragment: str = ""


@dataclass(frozen=True, slots=True)
class RegistryReference:
    """A valid registry reference. `host` is None when the text had no host part (so it
    means Docker Hub); `path` has no leading or trailing `/`."""

    host: str | None
    port: int | None
    path: str
    text: str = field(default="", compare=False)

    @property
    def components(self) -> tuple[str, ...]:
        """The path's components (`ml/prod` -> `("ml", "prod")`)."""
        return tuple(self.path.split("/")) if self.path else ()

    @property
    def domain(self) -> str | None:
        """`host[:port]` as written, or None."""
        if self.host is None:
            return None
        return self.host if self.port is None else f"{self.host}:{self.port}"

    def __str__(self) -> str:
        if self.domain is None:
            return self.path
        return f"{self.domain}/{self.path}" if self.path else self.domain


class InvalidReference(NamedTuple):
    """A text that is not a registry reference. `host` is the best-effort host part (even
    a malformed one), so that registries can still be recognised (RL103 explains a broken
    ECR host better than the generic grammar)."""

    text: str
    failures: tuple[ReferenceFailure, ...]
    host: str | None = None


def _quote(text: str) -> str:
    """Quote a fragment for a message; `repr` shows invisible characters."""
    return f"'{text}'" if text.isprintable() else repr(text)


def explain_path_component(component: str, *, partial: bool = False) -> str | None:
    """Why `component` is not a path component, or None when it is one.

    With `partial`, a component may end in one separator (`ml-`, `team_`): an image
    prefix is continued by the image name. Upper case is reported first because it is
    the commonest mistake and its fix is obvious.
    """
    pattern = _PARTIAL_COMPONENT if partial else _PATH_COMPONENT
    if pattern.match(component):
        return None
    if component == "":
        return "is empty"
    if pattern.match(component.lower()):
        return "has upper case; repository names are lower case"
    if any(ch.isspace() for ch in component):
        return "has whitespace; remove it"
    bad = sorted({ch for ch in component if not (ch.isascii() and (ch.isalnum() or ch in "._-"))})
    if bad:
        shown = ", ".join(_quote(ch) for ch in bad[:5]) + (", …" if len(bad) > 5 else "")
        return f"has {shown}; only a-z, 0-9 and the separators '.', '_', '__', '-' are allowed"
    lowered = component.lower()
    if lowered[0] in "._-":
        return f"starts with {_quote(component[0])}; it must start with a letter or digit"
    if lowered[-1] in "._-" and not partial:
        return f"ends with {_quote(component[-1])}; it must end with a letter or digit"
    for run in _SEPARATOR_RUN.findall(lowered):
        if not _VALID_SEPARATOR.match(run):
            return (
                f"has {_quote(run)}, which is not a separator: use one '.', one '_', "
                "two '__' or any number of '-'"
            )
    return "does not fit the path-component grammar"  # pragma: no cover - defensive


class _Parser:
    """One parse: peels scheme, query, credentials and tag off, then checks each part."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.failures: list[ReferenceFailure] = []
        self.host: str | None = None

    def fail(self, kind: FailureKind, message: str, fragment: str = "") -> None:
        self.failures.append(ReferenceFailure(kind, message, fragment))

    def run(self) -> RegistryReference | InvalidReference:
        rest = self._strip_surface(self.text)
        if rest is None:
            return self._invalid()
        rest = self._strip_at(rest)
        first, _, path = rest.partition("/")
        port: int | None = None
        if "." in first or ":" in first or first == "localhost" or first.startswith("["):
            port = self._check_domain(first)
        else:
            path = rest  # no host: the whole text is a Docker Hub path
        path = self._check_path(path, has_host=self.host is not None)
        if self.host is None and not path and not self.failures:
            self.fail(FailureKind.EMPTY, "the URL names no registry host and no path")
        if self.failures:
            return self._invalid()
        return RegistryReference(host=self.host, port=port, path=path, text=self.text)

    def _invalid(self) -> InvalidReference:
        return InvalidReference(self.text, tuple(self.failures), self.host)

    def _strip_surface(self, text: str) -> str | None:
        """Drop whitespace, a scheme, a fragment and a query, noting each."""
        if not text.strip():
            self.fail(FailureKind.EMPTY, "the URL is empty: give the registry as host[/path]")
            return None
        # `str.split()` cuts at exactly the `str.isspace()` characters, in C: no loop here.
        squeezed = "".join(text.split())
        if squeezed != text:
            inside = len(text.split()) > 1
            where = "inside" if inside else "around"
            self.fail(FailureKind.WHITESPACE, f"the URL has whitespace {where} it: remove it")
            text = squeezed
        scheme = _SCHEME.match(text)
        if scheme:
            self.fail(
                FailureKind.SCHEME,
                f"a registry URL has no scheme: drop {_quote(scheme.group(0))} "
                "and write host[:port][/path]",
                scheme.group(0),
            )
            text = text[scheme.end() :]
        # A query or fragment may carry a token, so neither is quoted back.
        for mark, kind, what in (
            ("#", FailureKind.FRAGMENT, "fragment"),
            ("?", FailureKind.QUERY, "query"),
        ):
            index = text.find(mark)
            if index >= 0:
                self.fail(
                    kind,
                    f"a registry URL has no {what}: drop {_quote(mark)} and what follows it",
                    mark,
                )
                text = text[:index]
        if not text:
            self.fail(FailureKind.EMPTY, "the URL names no registry host and no path")
            return None
        return text

    def _strip_at(self, text: str) -> str:
        """Drop an `@digest` at the end, then `user[:password]@` (never repeated).

        Every other `@` is taken as the end of credentials, even one after a `/`: a pasted
        secret access key may hold `/`, and reading its tail as a host or port would
        quote it back.
        """
        digest = _DIGEST_TAIL.search(text)
        if digest:
            shown = _quote(digest.group(0))
            self.fail(FailureKind.DIGEST, f"{_ONE_IMAGE}: drop the digest {shown}", digest.group(0))
            text = text[: digest.start()]
        at = text.rfind("@")
        if at >= 0:
            self.fail(
                FailureKind.USERINFO,
                "the URL holds credentials before '@' (not repeated here): remove them and "
                "set spec.auth instead",
            )
            text = text[at + 1 :]
        return text

    def _check_domain(self, domain: str) -> int | None:
        """Split `host[:port]`, check both, and return the port."""
        if domain.startswith("["):
            return self._check_ipv6_domain(domain)
        host, colon, port_text = domain.partition(":")
        self.host = host
        self._check_host(host)
        return self._check_port(port_text) if colon else None

    def _check_ipv6_domain(self, domain: str) -> int | None:
        """`[IPv6address][:port]`; distribution allows hex digits and ':' only (no zone)."""
        close = domain.find("]")
        host, after = (domain[: close + 1], domain[close + 1 :]) if close >= 0 else (domain, "")
        self.host = host
        if close < 0 or not (_IPV6_BODY.match(host[1:-1]) and _is_ipv6(host[1:-1])):
            self.fail(
                FailureKind.HOST, f"{_quote(host)} is not an IPv6 address in [brackets]", host
            )
        if after and not after.startswith(":"):
            hint = f"unexpected {_quote(after)} after the IPv6 address: write [address]:port"
            self.fail(FailureKind.HOST, hint, after)
            return None
        return self._check_port(after[1:]) if after else None

    def _check_host(self, host: str) -> None:
        if not host:
            self.fail(FailureKind.HOST, "the URL has a port but no host name before ':'")
            return
        labels = host.split(".")
        if "" in labels:
            self.fail(
                FailureKind.HOST,
                f"host {_quote(host)} has an empty label ('..', or a leading or trailing '.'): "
                "remove the extra dot",
                host,
            )
        bad = [label for label in labels if label and not _DOMAIN_COMPONENT.match(label)]
        if bad:
            self.fail(
                FailureKind.HOST,
                f"host label {_quote(bad[0])} is not a DNS label: use letters, digits and "
                "inner '-' only",
                bad[0],
            )

    def _check_port(self, port_text: str) -> int | None:
        if port_text.isascii() and port_text.isdigit() and len(port_text) <= _PORT_DIGITS:
            port = int(port_text)
            if 1 <= port <= 65535:
                return port
        if not port_text:
            problem = "nothing follows ':'"
        elif port_text.isascii() and port_text.isdigit():
            problem = f"port {_quote(port_text)} is outside 1-65535"
        else:
            # `ml:latest` lands here: a first component with ':' is a host (SPEC §1.1).
            problem = f"port {_quote(port_text)} is not a number (a tag does not belong here)"
        self.fail(
            FailureKind.PORT,
            f"{problem}: give a port from 1 to 65535, or drop ':' to use the default (443)",
            port_text,
        )
        return None

    def _check_path(self, path: str, *, has_host: bool) -> str:
        """Check the path and return it without a trailing `/`, tag or digest."""
        path = path.removesuffix("/")  # a single trailing `/` is allowed (SPEC RL102)
        last_slash = path.rfind("/")
        colon = path.find(":", last_slash + 1)
        if colon >= 0:
            tag = path[colon:]
            self.fail(FailureKind.TAG, f"{_ONE_IMAGE}: drop the tag {_quote(tag)}", tag)
            path = path[:colon]
        if not path:
            return path
        components = path.split("/")
        if "" in components:
            leading = components[0] == "" and not has_host
            where = "starts with '/'" if leading else "has an empty segment ('//')"
            self.fail(FailureKind.EMPTY_SEGMENT, f"the path {where}: remove the extra '/'", "//")
        if path != path.lower() and all(_PATH_COMPONENT.match(c.lower()) for c in components if c):
            self.fail(
                FailureKind.UPPERCASE_PATH,
                f"the path {_quote(path)} has upper case; repository paths are lower case: "
                f"write {_quote(path.lower())}",
                path,
            )
        else:
            reported: set[str] = set()
            for component in components:
                reason = explain_path_component(component) if component else None
                if reason and component not in reported:
                    reported.add(component)
                    self.fail(
                        FailureKind.PATH_COMPONENT,
                        f"path component {_quote(component)} {reason}",
                        component,
                    )
        if len(path) > MAX_PATH_LENGTH:
            self.fail(
                FailureKind.TOO_LONG,
                f"the path has {len(path)} characters; a repository name may have at most "
                f"{MAX_PATH_LENGTH}: shorten it",
                str(len(path)),
            )
        return path


def _is_ipv6(body: str) -> bool:
    import ipaddress  # rare: only bracketed hosts pay for the import

    try:
        ipaddress.IPv6Address(body)
    except ValueError:
        return False
    return True


@functools.lru_cache(maxsize=1024)
def parse_reference(text: str) -> RegistryReference | InvalidReference:
    """Parse a registry URL; never raises (cached: several rules read the same URL)."""
    return _Parser(text).run()
