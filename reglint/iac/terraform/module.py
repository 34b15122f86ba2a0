"""A Terraform module: the `*.tf` and `*.tf.json` files of one folder, read into one list
of resources and data sources (SPEC §6.2).

Each `IacResource` has its Terraform address (`aws_iam_role.nodes`,
`data.aws_iam_policy_document.x`), its type (`aws_iam_role`, `aws_iam_policy_document`),
its body as properties with the module's locals folded in (locals_folding.py), and its
path in its file's document: `("resource", TYPE, NAME)` or `("data", TYPE, NAME)`, so
`document.positions.span(resource.path + ("policy", "Statement", 0))` is a place in the
file that `TerraformModule.origins[address]` names. Where a folded local's value stands
in the properties, positions inside it resolve to the `local.x` that brought it.

Files are read as Terraform reads them: sorted by name, leaving out hidden and editor
files (`.x.tf`, `x.tf~`, `#x.tf#`). Override files (`override.tf`, `*_override.tf`,
and their `.tf.json` forms) are not applied: Terraform merges them into the blocks of
the other files, which reglint does not do; they are listed as skipped, never passed
silently. An address declared twice (Terraform refuses the module) keeps its first
declaration and is listed in `conflicts`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from reglint.iac.model import IacResource
from reglint.loading.document import Limits, ParsedDocument
from reglint.loading.errors import LoadError

__all__ = ["ModuleFile", "TerraformModule", "load_terraform_text", "module_files", "read_module"]

OVERRIDE_SKIP = "an override file: reglint does not merge override files into the module's blocks"


class ModuleFile(NamedTuple):
    """One file of a module: its document, or why it has none."""

    path: Path
    document: ParsedDocument | None  # None: blank, unreadable or skipped
    error: LoadError | None = None  # why it could not be read (RL001)
    skipped: str | None = None  # why it was not read


class TerraformModule(NamedTuple):
    """The files of one folder and the resources they declare."""

    folder: Path
    files: tuple[ModuleFile, ...]
    resources: tuple[IacResource, ...]
    origins: Mapping[str, Path]  # address -> the file that declares it
    conflicts: tuple[tuple[str, Path], ...]  # (address, file) declared again, left out


def module_files(folder: Path) -> list[Path]:
    """The module's files: regular files (not links) named `*.tf` or `*.tf.json`, sorted;
    `LoadError` when the folder cannot be listed."""
    found: list[Path] = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if not name.endswith((".tf", ".tf.json")) or _ignored(name):
                    continue
                if entry.is_file(follow_symlinks=False):
                    found.append(Path(entry.path))
    except OSError as exc:
        raise LoadError(
            f"cannot list the module's folder: {exc.strerror or 'unreadable'}"
        ) from None
    return sorted(found, key=lambda path: path.name)


def _ignored(name: str) -> bool:
    """Terraform ignores hidden files and editors' backup files."""
    return (
        name.startswith(".") or name.endswith("~") or (name.startswith("#") and name.endswith("#"))
    )


def is_override(name: str) -> bool:
    stem = name.removesuffix(".json").removesuffix(".tf")
    return stem == "override" or stem.endswith("_override")


def load_terraform_text(name: str, text: str, limits: Limits) -> list[ParsedDocument]:
    """One Terraform file's text -> its document, by the file's suffix."""
    if name.endswith(".tf.json"):
        from reglint.iac.terraform.json_syntax import load_tf_json

        return load_tf_json(text, limits)
    from reglint.iac.terraform.hcl_loader import load_hcl

    return load_hcl(text, limits)


def read_module(folder: Path, limits: Limits, read_text: Callable[[Path], str]) -> TerraformModule:
    """Read the module in `folder`; `read_text` reads one file (the caller's safe reader,
    which raises `LoadError` for a file it refuses)."""
    files: list[ModuleFile] = []
    for path in module_files(folder):
        if is_override(path.name):
            files.append(ModuleFile(path, None, skipped=OVERRIDE_SKIP))
            continue
        try:
            documents = load_terraform_text(path.name, read_text(path), limits)
        except LoadError as exc:
            files.append(ModuleFile(path, None, error=exc))
            continue
        files.append(ModuleFile(path, documents[0] if documents else None))
    return module_from_files(folder, files, limits)


def module_from_files(folder: Path, files: list[ModuleFile], limits: Limits) -> TerraformModule:
    """The resources of already-read files (in Terraform's file order)."""
    from reglint.iac.terraform.locals_folding import LocalValues

    definitions: dict[str, Any] = {}
    for file in files:
        if file.document is not None and isinstance(file.document.data, dict):
            for name, value in _mapping(file.document.data.get("locals")).items():
                definitions.setdefault(name, value)
    local_values = LocalValues(definitions, limits)
    resources: list[IacResource] = []
    origins: dict[str, Path] = {}
    conflicts: list[tuple[str, Path]] = []
    for file in files:
        data = file.document.data if file.document is not None else None
        if not isinstance(data, dict):
            continue
        for mode in ("resource", "data"):
            for type_name, named in _mapping(data.get(mode)).items():
                for name, body in _mapping(named).items():
                    address = (
                        f"{type_name}.{name}" if mode == "resource" else f"data.{type_name}.{name}"
                    )
                    if address in origins:
                        conflicts.append((address, file.path))
                        continue
                    origins[address] = file.path
                    properties = local_values.fold(body) if isinstance(body, dict) else {}
                    resources.append(
                        IacResource(address, type_name, properties, (mode, type_name, name))
                    )
    return TerraformModule(folder, tuple(files), tuple(resources), origins, tuple(conflicts))


def _mapping(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}
