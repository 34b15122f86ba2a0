"""The rules of single MLRun settings (SPEC §6.3), at the setting's node: RL002 (a value
Kubernetes or the chart rejects), RL102/RL103 (the registry URL) and RL104 (the literal
start of an image-name prefix template). How a system's settings make one service, and
the rules on it, are in checks/mlrun_systems.py, checks/systems.py and
checks/collisions.py.

Decisions where the SPEC is silent:

- Only the settings MLRun uses are checked: one that another setting of its own file
  overrides (`shadowed`: Helm's coalesce order, the last `env` entry of a name) is
  never seen by MLRun. Settings of files that no `platform-systems` glob assigns are
  checked too: these rules need no system.
- RL103 on an MLRun URL adds MLRun's own limit to the ECR host grammar: MLRun creates
  repositories only on `<account>.dkr.ecr.<region>.amazonaws.com` hosts, so a
  dual-stack, FIPS or other-partition host is a warning (one finding with any error of
  the host).
- RL104 checks a prefix template's literal start (up to its first `{` or `$`) as an
  image prefix; the length check of manifests is left out, as the URL that shares the
  length may be set in another file.
- A value that SOPS encrypted (`ENC[…]`) or that holds a secret-shaped literal is not
  checked (RL106's business, and not to be quoted).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from reglint.checks.base import CheckSettings, DocumentCheck, DocumentCheckFn
from reglint.checks.registry_secrets import is_sops_encrypted, joined_at_nodes
from reglint.checks.registry_urls import ecr_host_verdict, url_verdict
from reglint.findings import Severity
from reglint.loading.document import Document, DocumentKind, Problem
from reglint.model.namespace import image_prefix_problems
from reglint.model.reference import parse_reference
from reglint.model.service import looks_like_secret_access_key

if TYPE_CHECKING:
    from reglint.platform.mlrun_records import Setting, SettingName, Settings

__all__ = ["MLRUN_SETTING_CHECKS"]


# The platform readers are imported by the functions that need them, so only a run with
# a platform source pays for them: these checks run only on PLATFORM documents.
def _settings(document: Document) -> Settings:
    from reglint.platform.documents import platform_records

    return platform_records(document).settings


def _in_effect(document: Document, *names: SettingName) -> Iterator[tuple[Setting, str]]:
    """The literal settings of these names that MLRun uses, with their text."""
    from reglint.platform.records import ValueState

    for setting in _settings(document).settings:
        if setting.name not in names or setting.shadowed or setting.state is not ValueState.LITERAL:
            continue
        text = (setting.value or "").strip()
        if text and not is_sops_encrypted(text) and not looks_like_secret_access_key(text):
            yield setting, text


def check_setting_problems(document: Document, settings: CheckSettings) -> Iterator[Problem]:
    """RL002: a setting whose value Kubernetes or the chart rejects (not a string)."""
    found = [
        Problem("RL002", p.message, path=p.path, identity=p.kind.value)
        for p in _settings(document).problems
    ]
    yield from joined_at_nodes(found)


def check_registry_url(document: Document, settings: CheckSettings) -> Iterator[Problem]:
    """RL102: MLRun's registry URL is `host[:port][/path]`."""
    from reglint.platform.mlrun_records import SettingName

    for setting, url in _in_effect(document, SettingName.REGISTRY_URL):
        verdict = url_verdict(url)
        if verdict is not None:
            yield Problem(
                "RL102",
                f"invalid registry URL in {setting.key}: " + "; ".join(verdict.reasons),
                path=setting.path,
                identity=verdict.identity,
            )


def check_ecr_url(document: Document, settings: CheckSettings) -> Iterator[Problem]:
    """RL103: MLRun's ECR host fits the ECR grammar and is one MLRun recognises."""
    from reglint.platform.mlrun_records import SettingName
    from reglint.platform.mlrun_service import mlrun_ecr_host_problem

    for setting, url in _in_effect(document, SettingName.REGISTRY_URL):
        host = parse_reference(url).host
        verdict = ecr_host_verdict(url, mlrun_ecr_host_problem(host) if host else None)
        if verdict is not None and host is not None:
            yield Problem(
                "RL103",
                f"{'malformed ECR host' if verdict.error else 'ECR host'} '{host.lower()}' in "
                f"{setting.key}: " + "; ".join(verdict.reasons),
                path=setting.path,
                severity=Severity.ERROR if verdict.error else Severity.WARNING,
                identity=verdict.identity,
            )


def check_prefix_template(document: Document, settings: CheckSettings) -> Iterator[Problem]:
    """RL104: the literal start of an image-name prefix template can start a repository name."""
    from reglint.platform.mlrun_records import SettingName
    from reglint.platform.mlrun_service import template_prefix

    templates = (SettingName.PREFIX_TEMPLATE, SettingName.NUCLIO_PREFIX_TEMPLATE)
    for setting, template in _in_effect(document, *templates):
        prefix = template_prefix(template)
        problems = image_prefix_problems(prefix) if prefix else ()
        if not problems:
            continue
        if not image_prefix_problems(prefix.lower()):
            fix = f"write '{prefix.lower()}'"
        else:
            fix = "use only a-z, 0-9 and single separators, such as 'ml-prod-' or 'ml-prod/'"
        yield Problem(
            "RL104",
            f"{setting.key} starts every image name with '{prefix}', which cannot start a "
            f"repository name ({'; and '.join(problems)}): {fix}",
            path=setting.path,
            identity="+".join(f"{prefix}:{problem}" for problem in problems),
        )


def _check(name: str, rule: str, run: DocumentCheckFn) -> DocumentCheck:
    return DocumentCheck(name, frozenset({rule}), frozenset({DocumentKind.PLATFORM}), run)


MLRUN_SETTING_CHECKS: tuple[DocumentCheck, ...] = (
    _check("mlrun-setting-schema", "RL002", check_setting_problems),
    _check("mlrun-registry-url", "RL102", check_registry_url),
    _check("mlrun-ecr-url", "RL103", check_ecr_url),
    _check("mlrun-prefix-template", "RL104", check_prefix_template),
)
