"""An AWS shared credentials file held in a Kubernetes Secret (SPEC §6.3).

For an ECR registry, MLRun's builder secret (`mlrun.defaultDockerRegistrySecretName`,
`MLRUN_HTTPDB__BUILDER__DOCKER_REGISTRY_SECRET`) and Nuclio's
`dashboard.kaniko.registryProviderSecretName` name a *generic* Secret whose `credentials`
key holds an AWS credentials file: both mount it where the AWS CLI and kaniko read
`credentials` (MLRun: `/tmp/aws`, builder/kaniko `_configure_ecr_env_and_init_container`;
Nuclio: `/root/.aws/`, pkg/containerimagebuilderpusher/kaniko.go; the mlrun-ce chart's
README creates it with `--from-file=credentials=…`). A literal secret access key or
session token in it is RL106; an access key ID is not a secret.

The file is INI, which botocore reads with `configparser` (`key = value` or `key: value`,
option names case-insensitive, `#`/`;` comment lines, no inline comments). reglint scans
it line by line instead: `configparser` stops at the first malformed line and quotes that
line in its error, while a secret on the next line is in the repository all the same.
Nothing is kept of a value but its state. A text with no `aws_…` key is not an AWS
credentials file and yields nothing: a `credentials` key may hold anything else (a GCP
service-account key, a password).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from reglint.platform.records import ValueState, value_state

__all__ = ["SECRET_KEYS", "AwsProfile", "read_aws_credentials"]

_ACCESS_KEY_ID = "aws_access_key_id"
# The keys whose literal value is a secret (RL106).
SECRET_KEYS = ("aws_secret_access_key", "aws_session_token")
_KEYS = frozenset((_ACCESS_KEY_ID, *SECRET_KEYS))
_SECTION = re.compile(r"\[(?P<name>[^\]]*)\]")
_OPTION = re.compile(r"(?P<key>[^=:\s]+)\s*[=:](?P<value>.*)")


class AwsProfile(NamedTuple):
    """One section of the file: its name and the state of each AWS key it sets."""

    name: str
    keys: tuple[tuple[str, ValueState], ...]  # (aws_secret_access_key, LITERAL), …

    @property
    def literal_secrets(self) -> tuple[str, ...]:
        """The secret keys written out in the clear (RL106)."""
        return tuple(
            k for k, state in self.keys if k in SECRET_KEYS and state is ValueState.LITERAL
        )


def read_aws_credentials(text: str) -> tuple[AwsProfile, ...] | None:
    """The profiles of an AWS credentials file, or None when `text` is not one."""
    profiles: list[AwsProfile] = []
    name = ""  # keys before any section header: no profile AWS reads, still in the file
    keys: list[tuple[str, ValueState]] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped[0] in "#;":
            continue
        section = _SECTION.fullmatch(stripped)
        if section is not None:
            if keys:
                profiles.append(AwsProfile(name, tuple(keys)))
            name, keys = section.group("name").strip(), []
            continue
        option = _OPTION.fullmatch(stripped)
        if option is not None and option.group("key").lower() in _KEYS:
            keys.append((option.group("key").lower(), value_state(option.group("value"))))
    if keys:
        profiles.append(AwsProfile(name, tuple(keys)))
    return tuple(profiles) or None
