"""What reading CloudFormation costs (issue 15 preparation): the template sniff on every
file of a monorepo's pre-commit run, and reading a template of 1,000 policies.

    .venv/bin/python bench/cfn_reader.py

Prints best-of-5 timings (time.perf_counter) in one process, and each reading's peak RSS
measured in a child process. The corpus is generated in memory (seeded): 10,000 YAML and
JSON files of the kinds bench/gen_repo.py writes (Kubernetes manifests, Helm values,
package.json, tsconfig, OpenAPI, docker-compose, app configs), IAM policies and registry
manifests; none is a CloudFormation template.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from gen_iam import PolicyFactory
from gen_repo import RepoFiller

from reglint.iac.cfn_sniff import looks_like_template
from reglint.loading.sniff import mentions_reglint_content

ACCOUNTS = ("123456789012", "210987654321", "111122223333")


def corpus(count: int = 10_000) -> list[bytes]:
    rng = random.Random(15)
    filler, policies = RepoFiller(rng), PolicyFactory(rng, ACCOUNTS)
    kinds: list[Callable[[str], str]] = [
        filler.k8s, filler.configmap, filler.hpa, filler.helm_values, filler.package_json,
        lambda _: filler.tsconfig(), filler.openapi, filler.compose, lambda _: filler.app_config(),
        lambda _: json.dumps({"Version": "2012-10-17", "Statement": policies.app()}, indent=2),
        lambda service: _manifest(service),
    ]  # fmt: skip
    return [kinds[i % len(kinds)](f"svc-{i}").encode() for i in range(count)]


def _manifest(service: str) -> str:
    return (
        f"apiVersion: reglint/v1\nkind: RegistryService\nmetadata:\n  name: {service}\n"
        "spec:\n  type: external\n  url: 123456789012.dkr.ecr.us-east-2.amazonaws.com/ml-prod\n"
    )


def best(function: Callable[[], Any], rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def template(policies: int = 1_000) -> str:
    """A YAML template of `policies` managed policies, each attached to a role."""
    rng = random.Random(15)
    factory = PolicyFactory(rng, ACCOUNTS)
    lines = ['AWSTemplateFormatVersion: "2010-09-09"', "Parameters:", "  Env: {Type: String}", "Resources:"]
    for i in range(policies):
        statements = factory.app()
        for statement in statements:
            if rng.random() < 0.5:  # as templates write ARNs: partition, region, account unknown
                statement["Resource"] = {"Fn::Sub": "arn:${AWS::Partition}:s3:::${Env}-data-" + str(i) + "/*"}
        document = json.dumps({"Version": "2012-10-17", "Statement": statements})
        lines += [
            f"  Role{i}:", "    Type: AWS::IAM::Role", "    Properties:",
            "      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Action: 'sts:AssumeRole', "
            + "Principal: {Service: ecs-tasks.amazonaws.com}}]}",
            f"  Policy{i}:", "    Type: AWS::IAM::ManagedPolicy", "    Properties:",
            f"      Roles: [!Ref Role{i}]",
            "      ManagedPolicyName: !Sub '${AWS::StackName}-" + str(i) + "'",
            f"      PolicyDocument: {document}",
        ]  # fmt: skip
    return "\n".join(lines) + "\n"


_CHILD = """\
import resource, sys
from reglint.iac.cfn_policies import policy_documents
from reglint.iac.cloudformation import read_template
from reglint.loading.document import Limits
from reglint.loading.json_loader import load_json
from reglint.loading.yaml_loader import load_yaml
text = open(sys.argv[1], encoding="utf-8").read()
load = load_json if sys.argv[1].endswith(".json") else lambda t, l: load_yaml(t, l, short_forms=True)
(document,) = load(text, Limits())
if sys.argv[2] == "read":
    template = read_template(document.data)
    documents = [d for r in template.resources for d in policy_documents(r)]
"""
# A process's peak RSS counts the memory of the process it was forked from (Linux keeps
# it across exec): a small wrapper runs the reading and reports its child's peak.
_WRAPPER = """\
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
"""


def peak_rss(path: str, what: str) -> int:
    """The peak RSS (MiB) of a process that parses the template, and reads it for `read`."""
    command = [sys.executable, "-c", _WRAPPER, sys.executable, "-c", _CHILD, path, what]
    return int(subprocess.run(command, capture_output=True, check=True, text=True).stdout)


def main() -> None:
    files = corpus()
    size = sum(len(f) for f in files)
    print(f"corpus: {len(files):,} files, {size / 1e6:.1f} MB, {sum(map(looks_like_template, files))} sniffed as templates")
    sniff = best(lambda: [looks_like_template(f) for f in files])
    words = best(lambda: [mentions_reglint_content(f) for f in files])
    print(f"looks_like_template over all: {sniff * 1000:.1f} ms ({sniff / len(files) * 1e6:.2f} µs a file)")
    print(f"for comparison, mentions_reglint_content: {words * 1000:.1f} ms")
    tricky = [f + b"\n# Resources mention AWS::ECR::Repository in a comment\n" for f in files]
    worst = best(lambda: [looks_like_template(f) for f in tricky])
    print(f"worst case (every file mentions Resources and AWS::, none is a template): {worst * 1000:.1f} ms")

    from reglint.iac.cfn_policies import policy_documents
    from reglint.iac.cloudformation import read_template
    from reglint.loading.document import Limits
    from reglint.loading.json_loader import load_json
    from reglint.loading.yaml_loader import load_yaml

    yaml_text = template()
    (document,) = load_yaml(yaml_text, Limits(), short_forms=True)
    json_text = json.dumps(document.data, indent=1)  # as `cdk synth` writes it
    for name, text, load in (
        ("yaml", yaml_text, lambda t: load_yaml(t, Limits(), short_forms=True)),
        ("json", json_text, lambda t: load_json(t, Limits())),
    ):
        (parsed,) = load(text)
        parse = best(lambda: load(text))  # noqa: B023 - used at once
        evaluate = best(lambda: [policy_documents(r) for r in read_template(parsed.data).resources])  # noqa: B023
        path = f"/tmp/cfn-1000-policies.template.{name}"
        with open(path, "w", encoding="utf-8") as out:
            out.write(text)
        print(
            f"template of 1,000 policies ({name}, {len(text) / 1e6:.2f} MB): parse {parse * 1000:.0f} ms, "
            f"read_template + policy_documents {evaluate * 1000:.0f} ms; peak RSS parse only "
            f"{peak_rss(path, 'parse')} MiB, parse and read {peak_rss(path, 'read')} MiB"
        )


if __name__ == "__main__":
    main()
