"""RL102 and RL103 on a registry URL written outside a manifest: a registry Secret's host
key, an MLRun registry URL setting (SPEC §6.3). The same grammar and the same decisions
as checks/manifest.py: RL102 leaves a broken ECR host to RL103 when RL103 reports it,
and neither says anything of a value that holds a secret-shaped literal."""

from __future__ import annotations

from typing import NamedTuple

from reglint.model.ecr import analyse_ecr_host, is_ecr_attempt
from reglint.model.reference import FailureKind, RegistryReference, parse_reference
from reglint.model.registries import RegistryFamily, registry_family
from reglint.model.service import looks_like_secret_access_key

__all__ = ["UrlVerdict", "ecr_host_verdict", "url_verdict"]


class UrlVerdict(NamedTuple):
    """What a rule says of one URL: the reasons (joined into a message by the caller),
    the fingerprint identity, and whether any reason is an error."""

    reasons: tuple[str, ...]
    identity: str
    error: bool = True


def url_verdict(url: str) -> UrlVerdict | None:
    """RL102: why `url` is not `host[:port][/path]`, or None."""
    if looks_like_secret_access_key(url):
        return None
    parsed = parse_reference(url)
    if isinstance(parsed, RegistryReference):
        return None
    host = parsed.host
    leave_host = host is not None and is_ecr_attempt(host) and bool(analyse_ecr_host(host).errors)
    failures = [f for f in parsed.failures if not (f.kind is FailureKind.HOST and leave_host)]
    if not failures:
        return None
    return UrlVerdict(
        tuple(f.message for f in failures),
        "+".join(f"{f.kind.value}:{f.fragment}" for f in failures),
    )


def ecr_host_verdict(url: str, extra_warning: str | None = None) -> UrlVerdict | None:
    """RL103: why the host of `url`, meant as ECR, is broken (an error) or doubtful (a
    warning); `extra_warning` is one more warning of the caller's (MLRun's hosts)."""
    if looks_like_secret_access_key(url):
        return None
    host = parse_reference(url).host
    if host is None or registry_family(host) is not RegistryFamily.ECR:
        return None
    problems = sorted(analyse_ecr_host(host).problems, key=lambda p: p.warning)  # errors first
    reasons = [p.message for p in problems]
    identities = [f"{p.kind.value}:{host.lower()}" for p in problems]
    if extra_warning is not None:
        reasons.append(extra_warning)
        identities.append(f"mlrun:{host.lower()}")
    if not reasons:
        return None
    return UrlVerdict(tuple(reasons), "+".join(identities), error=any(not p.warning for p in problems))

