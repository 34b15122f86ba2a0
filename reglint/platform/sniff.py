"""The cheap sniff that finds platform sources among a project's files (SPEC §6.6, §1.3).

Cross-file rules need every registry Secret and MLRun setting of the project, also in a
pre-commit run that names one file; parsing every YAML file of a monorepo to find them
would cost seconds. `mentions_platform_source(raw)` decides from the bytes alone whether
a file may hold one, so that only those files are parsed:

- a registry Secret: `dockerconfigjson` or `dockercfg` (the type and the data key both
  hold it);
- a generic Secret with an AWS credentials file: `Secret` and `credentials`;
- a SealedSecret or ExternalSecret that makes a Secret of some name: `SealedSecret`,
  `ExternalSecret`;
- MLRun settings: `MLRUN_HTTPDB__BUILDER__` (environment), `global:` with `registry:`
  (Helm values; in a JSON values file `"global"` with `"registry"`), `mlrun:` with
  `defaultDockerRegistry`, and Nuclio's `registryProviderSecretName` and
  `imageNamePrefixTemplate`.

A marker may match a file that holds nothing (a values file of another chart with
`global:` and `registry:`): it is parsed and yields nothing. A source must not be missed,
except in one accepted case: an environment variable written in lower case after
`MLRUN_` (which MLRun accepts) is found only when the file has another marker.

The markers are looked for in every encoding reglint's own sniff uses
(`reglint.loading.reader.encoded_marks`). All of them are ASCII, so their UTF-16 and
UTF-32 forms hold NUL bytes: a file without any NUL byte (nearly every text file) is
searched in UTF-8 only. Each search of a marker scans the file once, so the markers are
grouped under a shorter *gate* they all contain (`Secret` for `SealedSecret`,
`ExternalSecret`, `registryProviderSecretName` and the `credentials` pair; `registry` for
both `global`/`registry` pairs): a file without the gate costs one scan for the group.
Over 10,000 ordinary YAML/JSON files (40 MB) this sniff costs about 13 µs a file, against
29 µs for the same markers searched one by one (README of tests/platform_sources).
"""

from __future__ import annotations

from reglint.loading.sniff import encoded_marks

__all__ = ["mentions_platform_source"]

# (gate, alternatives): a file may hold a source when it holds the gate and every marker
# of one alternative; each alternative's markers include one that contains the gate.
_TIERS: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    ("MLRUN_HTTPDB__BUILDER__", ((),)),
    ("imageNamePrefixTemplate", ((),)),
    ("defaultDockerRegistry", (("mlrun:",),)),
    ("dockerc", (("dockerconfigjson",), ("dockercfg",))),
    (
        "Secret",
        (("SealedSecret",), ("ExternalSecret",), ("registryProviderSecretName",), ("credentials",)),
    ),
    ("registry", (("registry:", "global:"), ('"registry"', '"global"'))),
)
_Tier = tuple[bytes, tuple[tuple[bytes, ...], ...]]


def _encoded_tiers(index: int) -> tuple[_Tier, ...]:
    """The tiers in one encoding: `encoded_marks` gives UTF-8 first, then UTF-16/32."""
    return tuple(
        (
            encoded_marks(gate)[index],
            tuple(tuple(encoded_marks(m)[index] for m in alt) for alt in alternatives),
        )
        for gate, alternatives in _TIERS
    )


_UTF8_TIERS = _encoded_tiers(0)
_WIDE_TIERS = tuple(_encoded_tiers(i) for i in range(1, len(encoded_marks("x"))))


def mentions_platform_source(raw: bytes) -> bool:
    """Cheap sniff: could this file hold a registry Secret or MLRun settings?"""
    if _matches(raw, _UTF8_TIERS):
        return True
    return b"\x00" in raw and any(_matches(raw, tiers) for tiers in _WIDE_TIERS)


def _matches(raw: bytes, tiers: tuple[_Tier, ...]) -> bool:
    return any(
        gate in raw and any(all(mark in raw for mark in alt) for alt in alternatives)
        for gate, alternatives in tiers
    )
