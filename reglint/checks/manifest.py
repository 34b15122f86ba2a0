"""RL102-RL108: the rules of one registry manifest (SPEC §2), one small check per rule (RL107 in
checks/resources.py).

Each check reads the manifest through `RegistryService` (defaults applied, wrong types
treated as absent: RL002 reports those) and the registry model in `reglint.model`, and
yields problems at the offending node.

Decisions where the SPEC is silent:

- RL102 leaves host-grammar failures of an ECR attempt to RL103 when RL103 reports the
  host (its reasons are more precise: `…dkr.ecr..amazonaws.com` is "empty region", not
  "empty DNS label").
- RL105 treats ECR Public like ECR: both are pushed to with AWS credentials
  (`ecr-public:*`), so `iam-role` and `access-keys` fit and `basic`/`none` do not.
  RL108 is private ECR only: RL201 cannot check ECR Public's push rights anyway.
- One finding per node: RL102, RL103 and RL104 yield one problem naming every failure
  of their node (an RL103 with an error and a warning is an error), as RL105 yields
  one per service naming everything wrong, so that fixing one part does not hide the
  next behind a new finding. Identities join the parts' identities with `+`, so a
  finding with one failure keeps the fingerprint it always had.
- RL106 also reports any literal shaped like an AWS secret access key elsewhere in the
  manifest (40 characters of base64, with upper case, lower case and digits).
- RL102-RL104 stay silent on a URL or prefix that holds a secret-shaped literal: RL106
  reports it there, and their hints would quote it lower-cased, which no redaction can
  recognise (the Decider redacts secret-shaped text from every message and identity).
- RL107 lives in checks/resources.py, with its own decisions.
- RL108 sits on `spec` when `iamPolicies` is missing, or on `iamPolicies` when it is
  an empty list.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from reglint.checks.base import CheckSettings, DocumentCheck, DocumentCheckFn
from reglint.checks.fix_proposals import password_fix, prefix_fix, url_fix
from reglint.checks.resources import check_resources
from reglint.findings import Severity
from reglint.loading.document import DataPath, Document, DocumentKind, Problem
from reglint.loading.positions import format_path
from reglint.model.ecr import analyse_ecr_host, is_ecr_attempt
from reglint.model.namespace import image_prefix_problems, repository_name_limit
from reglint.model.placeholder import is_placeholder
from reglint.model.reference import FailureKind, RegistryReference, parse_reference
from reglint.model.registries import RegistryFamily, registry_family
from reglint.model.service import (
    AuthMethod,
    RegistryService,
    SecretSource,
    is_access_key_id,
    looks_like_secret_access_key,
    manifest_service,
)

__all__ = ["REGISTRY_CHECKS"]

URL: DataPath = ("spec", "url")
PREFIX: DataPath = ("spec", "imagePrefix")
USERNAME: DataPath = ("spec", "auth", "username")
PASSWORD: DataPath = ("spec", "auth", "password")

_PUSH_CREDENTIALS = (AuthMethod.IAM_ROLE, AuthMethod.ACCESS_KEYS)


def _registry(service: RegistryService) -> tuple[str | None, RegistryFamily | None]:
    """The URL's host (best effort, even from an invalid URL) and registry family."""
    if service.url is None:
        return None, None
    parsed = parse_reference(service.url)
    if parsed.host is None and not isinstance(parsed, RegistryReference):
        return None, None  # no idea what registry an unparsable, host-less URL means
    return parsed.host, registry_family(parsed.host)


def _quotable(value: str | None) -> str | None:
    """The value, or None when it holds a secret-shaped literal: RL106 reports that, and
    RL102-RL104 would quote parts of it back."""
    return None if value is None or looks_like_secret_access_key(value) else value


def _ecr_reports(host: str | None) -> bool:
    """True when RL103 reports errors for the host."""
    return host is not None and is_ecr_attempt(host) and bool(analyse_ecr_host(host).errors)


def check_url(document: Document, settings: CheckSettings) -> Iterator[Problem]:
    """RL102: the URL fits `host[:port][/path]`; one problem naming every failure."""
    service = manifest_service(document)
    if _quotable(service.url) is None:
        return
    parsed = parse_reference(service.url or "")
    if isinstance(parsed, RegistryReference):
        return
    leave_host_to_rl103 = _ecr_reports(parsed.host)
    failures = [
        f for f in parsed.failures if not (f.kind is FailureKind.HOST and leave_host_to_rl103)
    ]
    if failures:
        yield Problem(
            "RL102",
            "invalid registry URL: " + "; ".join(f.message for f in failures),
            path=URL,
            identity="+".join(f"{f.kind.value}:{f.fragment}" for f in failures),
            fix=url_fix(service.url or "", URL, leave_host_to_rl103),
        )


def check_ecr_host(document: Document, settings: CheckSettings) -> Iterator[Problem]:
    """RL103: a host meant as ECR fits the ECR host grammar and botocore's partitions;
    one problem naming every reason, an error when any reason is."""
    service = manifest_service(document)
    host, family = _registry(service)
    if host is None or family is not RegistryFamily.ECR or _quotable(service.url) is None:
        return
    analysis = analyse_ecr_host(host)
    if not analysis.problems:
        return
    errors = bool(analysis.errors)
    reasons = sorted(analysis.problems, key=lambda p: p.warning)  # errors first
    yield Problem(
        "RL103",
        f"{'malformed ECR host' if errors else 'ECR host'} '{host.lower()}': "
        + "; ".join(p.message for p in reasons),
        path=URL,
        severity=Severity.ERROR if errors else Severity.WARNING,
        identity="+".join(f"{p.kind.value}:{host.lower()}" for p in reasons),
    )


def check_image_prefix(document: Document, settings: CheckSettings) -> Iterator[Problem]:
    """RL104: the prefix can start a repository name and leaves room for image names;
    one problem naming every failure."""
    service = manifest_service(document)
    prefix = _quotable(service.image_prefix)
    if not prefix:
        return
    messages: list[str] = []
    identities: list[str] = []
    problems = image_prefix_problems(prefix)
    lower_case_fixes = bool(problems) and not image_prefix_problems(prefix.lower())
    if problems:
        if lower_case_fixes:
            fix = f"write '{prefix.lower()}'"
        else:
            fix = (
                "start with a lower-case letter or digit and use only a-z, 0-9 and single "
                "separators, such as 'runtime-' or 'ml-prod/'"
            )
        reasons = "; and ".join(problems)
        messages.append(f"image prefix '{prefix}' cannot start a repository name ({reasons}): {fix}")
        identities += [f"{prefix}:{problem}" for problem in problems]
    parsed = parse_reference(service.url or "")  # without a URL: Docker Hub's limit
    path = parsed.path if isinstance(parsed, RegistryReference) else ""
    limit = repository_name_limit(registry_family(parsed.host))
    taken = len(f"{path}/{prefix}" if path else prefix)
    if taken >= limit:
        messages.append(
            f"the URL path and image prefix take {taken} of the {limit} characters a "
            "repository name may have, leaving no room for image names: shorten them"
        )
        identities.append(f"{prefix}:length")
    if messages:
        proposal = prefix_fix(prefix, PREFIX) if lower_case_fixes and len(messages) == 1 else None
        yield Problem("RL104", "; ".join(messages), path=PREFIX, identity="+".join(identities), fix=proposal)


class _AuthFault(NamedTuple):
    """What RL105 reports: the message, its fingerprint identity, and where it sits."""

    message: str
    identity: str
    at_username: bool = False


def _auth_fault(service: RegistryService, family: RegistryFamily) -> _AuthFault | None:
    method = service.auth_method
    if method is None:
        return None  # not a known method: RL002 reports it
    if not family.is_aws:
        if method is not AuthMethod.ACCESS_KEYS:
            return None
        other = "this registry" if family is RegistryFamily.GENERIC else family.value
        return _AuthFault(
            f"auth.method access-keys signs in to Amazon ECR only, not to {other}: use basic "
            "(a user and a password or token) or none",
            "access-keys-not-ecr",
        )
    if method is AuthMethod.IAM_ROLE:
        if not service.credentials_given:
            return None
        both = " and ".join(service.credentials_given)
        return _AuthFault(
            f"{family.value} with auth.method iam-role has {both} set, but the instance "
            f"role's credentials are used: delete {both}",
            "iam-role-credentials",
            at_username=not service.username_blank,
        )
    if method is AuthMethod.ACCESS_KEYS:
        return _access_keys_fault(service, family)
    shown = method.value if service.auth_method_given else "none (the default)"
    return _AuthFault(
        f"{family.value} cannot be pushed to without AWS credentials, but auth.method is "
        f"{shown}: use iam-role (the instance role, no username or password) or access-keys",
        f"{method.value}-on-ecr",
    )


def _access_keys_fault(service: RegistryService, family: RegistryFamily) -> _AuthFault | None:
    faults: list[str] = []
    # A templated username is given; what it becomes is not known here.
    username_fault = not (is_access_key_id(service.username or "") or service.username_placeholder)
    if service.username_blank:
        faults.append("no username: set it to the AWS access key ID (AKIA… or ASIA…)")
    elif username_fault:
        faults.append(
            "a username that is not an AWS access key ID ('AKIA' or 'ASIA' and 16 "
            "characters of A-Z, 2-7): set it to the key ID of the IAM user that pushes"
        )
    if service.password.is_blank:
        faults.append(
            "no password: set it to the secret access key as {fromSecret: …} or {fromEnv: …}"
        )
    if not faults:
        return None
    return _AuthFault(
        f"{family.value} with auth.method access-keys has " + "; and ".join(faults),
        "access-keys",
        # A blank username is at fault too, but only a present one has a node to point at.
        at_username=username_fault and service.username is not None,
    )


def _method_path(document: Document, service: RegistryService) -> DataPath:
    """Where `auth.method` is, or the mapping that lacks it (the default `none` applies)."""
    if service.auth_method_given:
        return ("spec", "auth", "method")
    spec = document.data.get("spec") if isinstance(document.data, Mapping) else None
    return ("spec", "auth") if isinstance(spec, Mapping) and "auth" in spec else ("spec",)


def check_auth(document: Document, settings: CheckSettings) -> Iterator[Problem]:
    """RL105: the auth method fits the registry and the credentials given.

    The username is never quoted: it may be a secret pasted into the wrong field.
    """
    service = manifest_service(document)
    _, family = _registry(service)
    if family is None or service.auth_method is None:
        return
    fault = _auth_fault(service, family)
    if fault is not None:
        path = USERNAME if fault.at_username else _method_path(document, service)
        yield Problem("RL105", fault.message, path=path, identity=fault.identity)


def _literals(value: Any, path: DataPath) -> Iterator[tuple[DataPath, str]]:
    """Every string in the data, with its path (the loader bounds the depth)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _literals(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _literals(item, (*path, index))


def check_plaintext_secret(document: Document, settings: CheckSettings) -> Iterator[Problem]:
    """RL106: no literal password or secret access key; the value is never repeated."""
    service = manifest_service(document)
    if service.password is SecretSource.LITERAL:
        yield Problem(
            "RL106",
            "spec.auth.password is a literal secret (not shown here): rotate it, then "
            "reference it as {fromSecret: {name: …, key: …}} or {fromEnv: VARIABLE}",
            path=PASSWORD,
            identity="password",
            fix=password_fix(service, PASSWORD),
        )
    for path, text in _literals(document.data, ()):
        if path != PASSWORD and looks_like_secret_access_key(text) and not is_placeholder(text):
            yield Problem(
                "RL106",
                f"{format_path(path)} holds a literal that looks like an AWS secret access "
                "key (not shown here): rotate the key, then reference it as "
                "{fromSecret: {name: …, key: …}} or {fromEnv: VARIABLE}",
                path=path,
                identity="secret-access-key",
            )


def check_push_policy(document: Document, settings: CheckSettings) -> Iterator[Problem]:
    """RL108: an operational ECR registry with AWS credentials links its push policies."""
    service = manifest_service(document)
    _, family = _registry(service)
    if family is not RegistryFamily.ECR or not service.operational:
        return
    if service.auth_method not in _PUSH_CREDENTIALS or service.iam_policies:
        return
    method = service.auth_method.value if service.auth_method else ""
    yield Problem(
        "RL108",
        f"this operational ECR registry authenticates with {method} but lists no "
        "spec.iamPolicies, so its push rights cannot be checked: list the policy files "
        "that grant the nine ECR push actions (paths relative to this manifest)",
        path=("spec", "iamPolicies") if service.iam_policies_given else ("spec",),
        identity="iamPolicies",
    )


def _check(name: str, rule: str, run: DocumentCheckFn) -> DocumentCheck:
    """A manifest check of one rule."""
    return DocumentCheck(name, frozenset({rule}), frozenset({DocumentKind.MANIFEST}), run)


REGISTRY_CHECKS: tuple[DocumentCheck, ...] = (
    _check("invalid-registry-url", "RL102", check_url),
    _check("malformed-ecr-url", "RL103", check_ecr_host),
    _check("invalid-image-prefix", "RL104", check_image_prefix),
    _check("registry-auth-mismatch", "RL105", check_auth),
    _check("plaintext-secret", "RL106", check_plaintext_secret),
    _check("resource-limits", "RL107", check_resources),
    _check("push-policy-missing", "RL108", check_push_policy),
)
