"""Hostile platform sources (SPEC §4): non-base64 and 5 MB values, deep nesting, huge host
maps, env lists and keys never raise, never hang and never leak a value.

Every case runs in a child process killed after `TIMEOUT_S`: the point is "seconds, not
minutes" on a loaded machine, not a tight bound. Measured on 2 loaded cores, the whole
child takes about 3 s, imports included (each case at most 0.6 s: a 5 MB URL).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

TIMEOUT_S = 120
PLANTED = "Pl4nted-H0stile-S3cret"

CHILD = textwrap.dedent(
    """
    import base64, json, sys, time
    from reglint.platform.mlrun_service import PlacedSetting, builder_service
    from reglint.platform.mlrun_settings import read_mlrun_settings
    from reglint.platform.secret_uses import secret_use_problems
    from reglint.platform.secrets import read_secrets
    from reglint.platform.sniff import mentions_platform_source

    PLANTED = sys.argv[1]
    MB5 = 5 * 1024 * 1024
    ENV = "MLRUN_HTTPDB__BUILDER__DOCKER_REGISTRY"

    def b64(data):
        return base64.b64encode(data if isinstance(data, bytes) else data.encode()).decode()

    def secret(section, key, value, kind="kubernetes.io/dockerconfigjson"):
        return {"kind": "Secret", "metadata": {"name": "s"}, "type": kind, section: {key: value}}

    def nested(depth, leaf):
        data = leaf
        for _ in range(depth):
            data = {"mlrun": data, "global": [data]}
        return data

    many_hosts = {"auths": {f"r{i}.example.com": {} for i in range(30_000)}}  # 0.6 MiB
    star_key = "*" * 400_000 + ".example.com"
    cases = {
        "non-base64 5 MB": secret("data", ".dockerconfigjson", "%" * MB5),
        "base64 5 MB": secret("data", ".dockerconfigjson", "A" * MB5),
        "base64 with 5 MB of newlines": secret("data", ".dockerconfigjson", "\\n" * MB5),
        "stringData 5 MB JSON": secret("stringData", ".dockerconfigjson", json.dumps({"auths": {"h": {"password": PLANTED * 200_000}}})),
        "stringData deep JSON": secret("stringData", ".dockerconfigjson", "[" * 500_000 + "]" * 500_000),
        "base64 deep JSON": secret("data", ".dockerconfigjson", b64("{\\"a\\":" * 200_000 + "1" + "}" * 200_000)),
        "30,000 hosts": secret("data", ".dockerconfigjson", b64(json.dumps(many_hosts))),
        "900 KB auth": secret("stringData", ".dockerconfigjson", json.dumps({"auths": {"h": {"auth": b64(("AWS:" + PLANTED) * 30_000)}}})),
        "400 KB glob key": secret("stringData", ".dockerconfigjson", json.dumps({"auths": {star_key: {}}})),
        "1 MB credentials line": secret("stringData", "credentials", "[" * 500_000 + "aws_secret_access_key" * 20_000, "Opaque"),
        "5 MB placeholder-like value": secret("data", ".dockerconfigjson", "{{" * (MB5 // 2)),
        "100,000 levels of values": nested(100_000, {"defaultDockerRegistryURL": PLANTED}),
        "200,000 env entries": {"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"env": [{"name": ENV, "value": PLANTED}] * 200_000}]}},
        "5 MB env value": {"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"env": [{"name": ENV, "value": '"' + "a" * MB5}]}]}},
        "200,000 compose entries": {"services": {"api": {"environment": [f"{ENV}=x{i}" for i in range(200_000)]}}},
        "List of 200,000 Secrets": {"kind": "List", "items": [secret("data", ".dockerconfigjson", "x")] * 200_000},
    }
    for name, data in cases.items():
        started = time.perf_counter()
        records = read_secrets(data)
        settings = read_mlrun_settings(data)
        placed = [PlacedSetting("f.yaml", 0, s) for s in settings.settings]
        service = builder_service(placed)
        uses = secret_use_problems(service, records)
        if records and records[0].registry:
            for entry in records[0].registry[0].entries[:10]:
                entry.serves("a.example.com")
        shown = repr((records, settings.problems, uses))
        assert PLANTED not in shown, name
        elapsed = time.perf_counter() - started
        problems = sum(len(r.problems) for r in records) + len(settings.problems)
        if name == "30,000 hosts":
            assert len(records[0].registry[0].entries) == 1000, name
            assert "more than 1000 registry hosts" in records[0].problems[0].message, name
        print(f"{name}: {len(records)} secrets, {len(settings.settings)} settings, {problems} problems, {elapsed:.2f} s")
    for name, raw in {
        "sniff 5 MB of global:": b"global: " * (MB5 // 8),
        "sniff 5 MB with NUL": b"\\x00registry:" * (MB5 // 10),
    }.items():
        started = time.perf_counter()
        found = mentions_platform_source(raw)
        print(f"{name}: {found}, {time.perf_counter() - started:.2f} s")
    print("done")
    """
)


def test_hostile_inputs_are_bounded() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, PLANTED],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    lines = dict(line.split(": ", 1) for line in result.stdout.splitlines() if ": " in line)
    assert result.stdout.rstrip().endswith("done")
    assert lines["non-base64 5 MB"].startswith("1 secrets, 0 settings, 1 problems")
    assert lines["base64 5 MB"].startswith("1 secrets, 0 settings, 1 problems")
    assert lines["stringData deep JSON"].startswith("1 secrets, 0 settings, 1 problems")
    assert lines["30,000 hosts"].startswith("1 secrets, 0 settings, 1 problems")  # the bound
    # 10,000 read, of which all but the last are shadowed
    assert lines["200,000 env entries"].startswith("0 secrets, 10000 settings")
    assert lines["List of 200,000 Secrets"].startswith("10000 secrets")
    assert lines["sniff 5 MB of global:"].startswith("False")
    assert PLANTED not in result.stdout + result.stderr
    json.dumps(lines)  # plain text lines, nothing else
