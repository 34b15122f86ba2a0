"""The Secrets an MLRun system names, against the project's Secrets: missing (RL302 note),
serving another registry or of the wrong kind (RL105) (SPEC §6.3)."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from reglint.platform.mlrun_records import Setting, SettingName, SourceKind
from reglint.platform.mlrun_service import PlacedSetting, builder_service
from reglint.platform.records import ValueState
from reglint.platform.secret_uses import (
    SecretUse,
    SecretUseProblemKind,
    secret_use_problems,
)
from reglint.platform.secrets import SecretRecord, read_secrets

ECR = "123456789012.dkr.ecr.us-east-2.amazonaws.com"
L, P = ValueState.LITERAL, ValueState.PLACEHOLDER
MISSING = SecretUseProblemKind.MISSING
HOSTS = SecretUseProblemKind.HOST_MISMATCH
KIND = SecretUseProblemKind.WRONG_KIND


def placed(name: SettingName, value: str | None, state: ValueState = L) -> PlacedSetting:
    return PlacedSetting(
        "values.yaml",
        0,
        Setting(name, state, value, name.value, SourceKind.HELM_VALUES, (name.value,)),
    )


def docker_secret(
    name: str, hosts: list[str], kind: str = "Secret", section: str = "data"
) -> SecretRecord:
    config = json.dumps({"auths": {h: {"auth": base64.b64encode(b"u:p").decode()} for h in hosts}})
    value = base64.b64encode(config.encode()).decode() if section == "data" else config
    doc: dict[str, Any] = {"kind": kind, "metadata": {"name": name}, "type": "kubernetes.io/dockerconfigjson",
                           section: {".dockerconfigjson": value}}  # fmt: skip
    [record] = read_secrets(doc)
    return record


def aws_secret(name: str) -> SecretRecord:
    text = "[default]\naws_access_key_id = ${ID}\naws_secret_access_key = ${KEY}\n"
    [record] = read_secrets(
        {"kind": "Secret", "metadata": {"name": name}, "stringData": {"credentials": text}}
    )
    return record


def problems(
    url: str | None, secrets: list[SecretRecord], **names: str
) -> list[tuple[SecretUseProblemKind, SecretUse, str]]:
    settings = [placed(SettingName.REGISTRY_URL, url)] if url else []
    keys = {
        "builder": SettingName.BUILDER_SECRET,
        "pull": SettingName.PULL_SECRET,
        "kaniko": SettingName.KANIKO_SECRET,
    }
    settings += [placed(keys[use], value) for use, value in names.items()]
    found = secret_use_problems(builder_service(settings), secrets)
    return [(p.kind, p.use, p.message) for p in found]


def kinds(
    url: str | None, secrets: list[SecretRecord], **names: str
) -> list[tuple[SecretUseProblemKind, SecretUse]]:
    return [(kind, use) for kind, use, _ in problems(url, secrets, **names)]


# fmt: off
CASES = [
    # (url, secrets, names) -> problems
    ("registry.example.com/ml", [docker_secret("regcred", ["registry.example.com"])], {"builder": "regcred", "pull": "regcred"}, []),
    ("registry.example.com/ml", [docker_secret("regcred", ["https://registry.example.com/v1/"])], {"pull": "regcred"}, []),
    ("index.docker.io/team", [docker_secret("hub", ["https://index.docker.io/v1/"])], {"builder": "hub"}, []),
    ("team", [docker_secret("hub", ["docker.io"])], {"builder": "hub"}, []),  # MLRun: docker.io/team/mlrun
    ("registry.example.com/ml", [docker_secret("regcred", ["ghcr.io"])], {"pull": "regcred"}, [(HOSTS, SecretUse.PULL)]),
    ("registry.example.com:5000", [docker_secret("regcred", ["registry.example.com"])], {"builder": "regcred"}, [(HOSTS, SecretUse.BUILDER)]),
    ("eu.gcr.io/proj", [docker_secret("gcr", ["*.gcr.io"])], {"pull": "gcr"}, []),
    ("registry.example.com", [docker_secret("tpl", ["{{ .Values.host }}"])], {"pull": "tpl"}, []),
    # two Secrets of one name (two namespaces): one serving the host is enough
    ("registry.example.com", [docker_secret("r", ["ghcr.io"]), docker_secret("r", ["registry.example.com"])], {"pull": "r"}, []),
    # ECR: MLRun and Nuclio mount their secrets as AWS credentials files
    (ECR, [aws_secret("aws-credentials"), docker_secret("ecr-registry-credentials", [ECR])],
     {"builder": "aws-credentials", "kaniko": "aws-credentials", "pull": "ecr-registry-credentials"}, []),
    (ECR, [docker_secret("ecr-registry-credentials", [ECR])], {"builder": "ecr-registry-credentials"}, [(KIND, SecretUse.BUILDER)]),
    (ECR, [docker_secret("ecr-registry-credentials", [ECR])], {"kaniko": "ecr-registry-credentials"}, [(KIND, SecretUse.KANIKO)]),
    # not ECR: the builder secret must have .dockerconfigjson; Nuclio's kaniko secret is unused
    ("registry.example.com", [aws_secret("aws-credentials")], {"builder": "aws-credentials", "kaniko": "aws-credentials"}, [(KIND, SecretUse.BUILDER)]),
    # missing: a note, whatever the URL
    (None, [], {"builder": "nowhere"}, [(MISSING, SecretUse.BUILDER)]),
    (ECR, [docker_secret("other", [ECR])], {"pull": "regcred", "kaniko": "aws"}, [(MISSING, SecretUse.PULL), (MISSING, SecretUse.KANIKO)]),
    # unknown contents or unknown URL: no RL105
    ("registry.example.com", [docker_secret("sealed", ["ghcr.io"], kind="SealedSecret")], {"pull": "sealed"}, []),
    (None, [docker_secret("regcred", ["ghcr.io"])], {"pull": "regcred"}, []),
    ("https://registry.example.com", [docker_secret("regcred", ["ghcr.io"])], {"pull": "regcred"}, []),
]
# fmt: on


@pytest.mark.parametrize(("url", "secrets", "names", "expected"), CASES)
def test_secret_uses(
    url: str | None, secrets: list[SecretRecord], names: dict[str, str], expected: list[Any]
) -> None:
    assert kinds(url, secrets, **names) == expected


def test_placeholder_names_and_urls_are_not_checked() -> None:
    settings = [
        placed(SettingName.REGISTRY_URL, "${REGISTRY}", P),
        placed(SettingName.PULL_SECRET, "${PULL}", P),
        placed(SettingName.BUILDER_SECRET, None, P),  # a valueFrom
    ]
    assert secret_use_problems(builder_service(settings), []) == ()


def test_messages() -> None:
    [(_, _, missing)] = problems(None, [], builder="nowhere")
    assert missing == (
        "no Secret named 'nowhere' in the project (builder-secret); "
        "if it is created outside the repository, ignore this note"
    )
    [(_, _, hosts)] = problems(
        "registry.example.com:5000/ml", [docker_secret("r", ["ghcr.io"])], pull="r"
    )
    assert "Secret 'r' holds no credentials for registry 'registry.example.com:5000'" in hosts
    [(_, _, ecr)] = problems(ECR, [docker_secret("d", [ECR])], builder="d")
    assert (
        "MLRun mounts Secret 'd' as an AWS credentials file, but it has no 'credentials' key" in ecr
    )


def test_the_problem_points_at_the_setting_and_relates_the_secrets() -> None:
    secret = docker_secret("r", ["ghcr.io"])
    setting = placed(SettingName.PULL_SECRET, "r")
    service = builder_service([placed(SettingName.REGISTRY_URL, "registry.example.com"), setting])
    [problem] = secret_use_problems(service, [secret])
    assert problem.setting == setting
    assert problem.secrets == (secret,)
