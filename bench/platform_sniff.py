"""What the platform-source sniff (reglint/platform/sniff.py) costs per file.

    python bench/platform_sniff.py PATH [PATH ...]

Reads the first 10,000 `*.yaml`/`*.yml`/`*.json` files under the PATHs into memory (as
reglint reads them), then times, best of 7 passes over all of them: reglint's own sniff
(`RegistryService`/`Statement`), the platform sniff, the same platform markers searched
one by one (the naive sniff it replaces), and both sniffs together. It lists the files
the platform sniff lets through: those are the files a run would parse.

The corpus used for the figures in the module docstring of sniff.py: the generated
monorepo (`python bench/generate.py --only monorepo-10k`, its YAML/JSON files), the
YAML/JSON files of a few public Helm charts, and the JSON/YAML files of a virtualenv and
of /usr/share, /usr/lib (10,000 files, 40 MB).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from reglint.files.read import read_regular_file
from reglint.loading.sniff import encoded_marks, mentions_reglint_content
from reglint.platform.sniff import mentions_platform_source

COUNT = 10_000
LIMIT = 5 * 1024 * 1024
NAIVE_WORDS = tuple(
    mark
    for word in (
        "dockerconfigjson",
        "dockercfg",
        "MLRUN_HTTPDB__BUILDER__",
        "SealedSecret",
        "ExternalSecret",
        "registryProviderSecretName",
        "imageNamePrefixTemplate",
    )
    for mark in encoded_marks(word)
)
NAIVE_PAIRS = tuple(
    pair
    for a, b in (
        ("Secret", "credentials"),
        ("global:", "registry:"),
        ('"global"', '"registry"'),
        ("mlrun:", "defaultDockerRegistry"),
    )
    for pair in zip(encoded_marks(a), encoded_marks(b), strict=True)
)


def naive(raw: bytes) -> bool:
    """Every marker in every encoding, one search each."""
    return any(w in raw for w in NAIVE_WORDS) or any(a in raw and b in raw for a, b in NAIVE_PAIRS)


def corpus(paths: list[str]) -> list[tuple[Path, bytes]]:
    found: list[tuple[Path, bytes]] = []
    for root in paths:
        for folder, folders, names in os.walk(root):
            folders[:] = sorted(f for f in folders if f != ".git")
            for name in sorted(names):
                if name.endswith((".yaml", ".yml", ".json")):
                    raw = read_regular_file(Path(folder) / name, LIMIT)
                    if isinstance(raw, bytes):
                        found.append((Path(folder) / name, raw))
                        if len(found) == COUNT:
                            return found
    return found


def best(sniff: Callable[[bytes], bool], blobs: list[bytes]) -> tuple[float, int]:
    times, hits = [], 0
    for _ in range(7):
        started = time.perf_counter()
        hits = sum(1 for raw in blobs if sniff(raw))
        times.append(time.perf_counter() - started)
    return min(times), hits


def main() -> None:
    files = corpus(sys.argv[1:])
    blobs = [raw for _, raw in files]
    size = sum(map(len, blobs))
    with_nul = sum(bytes(1) in raw for raw in blobs)
    print(f"{len(blobs)} files, {size / 1e6:.1f} MB, {with_nul} with NUL bytes")
    for name, sniff in (
        ("reglint's sniff", mentions_reglint_content),
        ("platform sniff", mentions_platform_source),
        ("platform markers one by one", naive),
        ("both sniffs", lambda raw: mentions_reglint_content(raw) or mentions_platform_source(raw)),
    ):
        seconds, hits = best(sniff, blobs)
        per_file = seconds / max(len(blobs), 1) * 1e6
        print(
            f"{name}: {seconds * 1000:.0f} ms, {per_file:.1f} us a file, {hits} files let through"
        )
    for path, raw in files:
        if mentions_platform_source(raw):
            print(f"  {path}")


if __name__ == "__main__":
    main()
