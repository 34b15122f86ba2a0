"""A Terraform module or plan as an `IacSource`: its resources, and the POLICY documents
of the policies they hold or use, positioned in the files that write them (SPEC §6.2).

| Resource                                 | Policy                               | Type, use            |
|------------------------------------------|--------------------------------------|----------------------|
| `aws_iam_policy`                         | `policy`                             | identity, managed    |
| `aws_iam_role_policy`, `_user_`, `_group_`| `policy`                            | identity, inline     |
| `aws_iam_role`                           | `inline_policy[*].policy`            | identity, inline     |
| `aws_iam_role`                           | `assume_role_policy`                 | trust                |
| `aws_ecr_repository_policy`              | `policy`                             | ECR repository       |
| `aws_ecr_registry_policy`                | `policy`                             | ECR registry         |
| `aws_ecr_repository_creation_template`   | `repository_policy`                  | ECR repository       |
| `data "aws_iam_policy_document"`         | (the document, tf_policy_documents)  | its first use's type |

A policy value may be an object (`jsonencode`), JSON text (a string, a heredoc with
`${…}` inside), `data.aws_iam_policy_document.x.json` (the resource then uses that
document's POLICY documents: its findings sit where the document is written), a file
(`file()`: the documents of that JSON file, read by the caller's `read_file`, confined
to the module folder and the project root; `templatefile()`: its text with every `${…}`
unknown, positioned at the call), a `Choice` (each branch apart; a null branch holds no
policy), or unknown as a whole (a variable, a plan value known after apply).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from reglint.findings import Span
from reglint.iac.cfn_policies import as_policy_data
from reglint.iac.model import (
    Choice,
    DataPath,
    FileContent,
    IacResource,
    Placeholder,
    Reference,
    Template,
)
from reglint.iac.policy_data import MappedPositions, unknown_is
from reglint.iac.references import TERRAFORM, resolver
from reglint.iac.sources import (
    DOCUMENT,
    INLINE,
    MANAGED,
    REGISTRY,
    REPOSITORY,
    TRUST,
    IacPolicy,
    IacSource,
    origin_of,
    policy_document_variants,
)
from reglint.iac.terraform.hcl_source import describe
from reglint.iac.tf_policy_documents import policy_document
from reglint.loading.document import Document, PolicyType, SourceFile
from reglint.loading.positions import Positions, ShiftedPositions

__all__ = ["FileRead", "FileReader", "terraform_source"]

_ANY = None
_Steps = tuple[str | None, ...]
_IDENTITY, _TRUST = PolicyType.IDENTITY, PolicyType.TRUST
_POLICIES: dict[str, tuple[tuple[_Steps, str, PolicyType], ...]] = {
    "aws_iam_policy": ((("policy",), MANAGED, _IDENTITY),),
    "aws_iam_role_policy": ((("policy",), INLINE, _IDENTITY),),
    "aws_iam_user_policy": ((("policy",), INLINE, _IDENTITY),),
    "aws_iam_group_policy": ((("policy",), INLINE, _IDENTITY),),
    "aws_iam_role": (
        (("assume_role_policy",), TRUST, _TRUST),
        (("inline_policy", _ANY, "policy"), INLINE, _IDENTITY),
    ),
    "aws_ecr_repository_policy": ((("policy",), REPOSITORY, PolicyType.ECR_REPOSITORY),),
    "aws_ecr_registry_policy": ((("policy",), REGISTRY, PolicyType.ECR_REGISTRY),),
    "aws_ecr_repository_creation_template": (
        (("repository_policy",), REPOSITORY, PolicyType.ECR_REPOSITORY),
    ),
}
DATA_DOCUMENT = "aws_iam_policy_document"


class FileRead(NamedTuple):
    """A file that a module reads (`file()`, `templatefile()`), as the caller read it."""

    text: str | None  # its text; None when it cannot be read
    documents: tuple[Document, ...] = ()  # its POLICY documents, when it is a JSON policy
    error: str | None = None  # why it cannot be read ("does not exist", "leads outside…")


# Reads a file by its path relative to the module folder.
FileReader = Callable[[str], FileRead]


class _Module(NamedTuple):
    resources: dict[str, IacResource]
    files: dict[str, SourceFile]
    positions: dict[str, Positions]
    read_file: FileReader


def terraform_source(
    kind: str,
    path: Path,
    resources: list[IacResource],
    files: dict[str, SourceFile],
    inner: dict[str, Positions],
    read_file: FileReader,
) -> IacSource:
    """A module or plan as an IacSource. `files` and `inner` give, per address, the file
    that declares the resource and its document's positions (paths from the document's
    root); the policies' documents are added to those files."""
    by_address = {resource.address: resource for resource in resources}
    positions = {
        address: ShiftedPositions(inner[address], resource.path)
        for address, resource in by_address.items()
    }
    module = _Module(by_address, files, dict(positions), read_file)
    uses = _first_uses(resources)
    documents: dict[str, IacPolicy] = {}
    for resource in resources:
        if resource.type == DATA_DOCUMENT and resource.address.startswith("data."):
            documents[resource.address] = _data_document(module, resource, uses)
    documents = {a: _with_merged(module, p, documents) for a, p in documents.items()}
    policies: list[IacPolicy] = list(documents.values())
    for resource in resources:
        for steps, use, declared in _POLICIES.get(resource.type, ()):
            for at, value in _located(resource.properties, steps, ()):
                policy = _policy(module, resource, at, value, use, declared, documents)
                if policy is not None:
                    policies.append(policy)
    return IacSource(kind, path, by_address, files, dict(positions), tuple(policies))


def _located(value: Any, steps: _Steps, path: DataPath) -> Iterator[tuple[DataPath, Any]]:
    """The values at `steps`, each branch of a `Choice` on the way apart."""
    if isinstance(value, Choice):
        for index, branch in enumerate(value.branches):
            yield from _located(branch, steps, (*path, index))
        return
    if not steps:
        if value is not None:
            yield path, value
        return
    step, rest = steps[0], steps[1:]
    if step is _ANY:
        if isinstance(value, Placeholder):  # a list known only after the apply
            yield path, value
            return
        for index, item in enumerate(value if isinstance(value, list) else []):
            yield from _located(item, rest, (*path, index))
    elif isinstance(value, dict) and step in value:
        yield from _located(value[step], rest, (*path, step))


def _document_reference(value: Any) -> str | None:
    """The address of the policy document `data.aws_iam_policy_document.x.json` names."""
    if (
        isinstance(value, Reference)
        and value.target.startswith(f"data.{DATA_DOCUMENT}.")
        and value.attribute in ("json", "minified_json")
    ):
        return value.target
    return None


def _first_uses(resources: list[IacResource]) -> dict[str, PolicyType]:
    """The type of each policy document, as the first resource that uses it declares."""
    uses: dict[str, PolicyType] = {}
    for resource in resources:
        for steps, _, declared in _POLICIES.get(resource.type, ()):
            for _, value in _located(resource.properties, steps, ()):
                target = _document_reference(value)
                if target is not None:
                    uses.setdefault(target, declared)
    return uses


def _data_document(
    module: _Module, resource: IacResource, uses: dict[str, PolicyType]
) -> IacPolicy:
    file = module.files[resource.address]
    positions = module.positions[resource.address]
    known = resource.properties.get("json")
    if isinstance(known, str):  # a plan's data source read during planning: its rendered JSON
        data, length = as_policy_data(known)
        at: DataPath = ("json",)
        value: Any = data
        sources: dict[DataPath, DataPath] = {}
    else:
        value, sources, _ = policy_document(resource.properties)
        at, length = (), None
    located = MappedPositions(ShiftedPositions(positions, at), sources)
    documents = policy_document_variants(
        value,
        resolver(module.resources, TERRAFORM),
        file,
        located,
        origin_of(resource.address, at),
        uses.get(resource.address),
        DOCUMENT,
        length,
    )
    return IacPolicy(
        resource.address, f"policy document {resource.address}", DOCUMENT, documents, file,
        positions.span(()),
    )  # fmt: skip


def _with_merged(module: _Module, policy: IacPolicy, documents: dict[str, IacPolicy]) -> IacPolicy:
    """A policy document with the documents its source/override lists name."""
    resource = module.resources[policy.owner]
    if "json" in resource.properties:
        return policy
    _, _, merged = policy_document(resource.properties)
    found: list[IacPolicy] = []
    for values, overriding in ((merged.sources, False), (merged.overrides, True)):
        for value in values:
            target = _document_reference(value)
            other = documents.get(target) if target is not None else None
            if other is not None and other.owner != policy.owner:
                found.append(other._replace(overriding=overriding, merged=()))
            else:
                why = f"a value in {policy.name} {unknown_is(value)}"
                found.append(policy._replace(documents=(), unknown=why, overriding=overriding))
    return policy._replace(merged=tuple(found))


def _policy(
    module: _Module,
    resource: IacResource,
    at: DataPath,
    value: Any,
    use: str,
    declared: PolicyType,
    documents: dict[str, IacPolicy],
) -> IacPolicy | None:
    file = module.files[resource.address]
    positions = ShiftedPositions(module.positions[resource.address], at)
    span: Span = positions.span(())
    name = _name(resource, at, use)
    target = _document_reference(value)
    if target is not None:
        found = documents.get(target)
        if found is None:
            why = f"{name} is {target}, which the module does not declare"
            return IacPolicy(resource.address, name, use, (), file, span, unknown=why)
        return found._replace(owner=resource.address, name=name, use=use)
    if isinstance(value, FileContent):
        return _file_policy(module, resource, at, value, use, declared, name)
    length = None
    if not isinstance(value, dict):
        data, length = as_policy_data(value)
        if not isinstance(data, dict | str):
            why = f"{name} {unknown_is(value)}"
            return IacPolicy(resource.address, name, use, (), file, span, unknown=why)
        value = data
    variants = policy_document_variants(
        value,
        resolver(module.resources, TERRAFORM),
        file,
        positions,
        origin_of(resource.address, at),
        declared,
        use,
        length,
    )
    return IacPolicy(resource.address, name, use, variants, file, span)


def _file_policy(
    module: _Module,
    resource: IacResource,
    at: DataPath,
    value: FileContent,
    use: str,
    declared: PolicyType,
    name: str,
) -> IacPolicy:
    file = module.files[resource.address]
    positions = ShiftedPositions(module.positions[resource.address], at)
    span = positions.span(())
    read = module.read_file(value.path)
    if read.text is None:
        why = f"{name} reads {value.path}, which {read.error or 'cannot be read'}"
        return IacPolicy(resource.address, name, use, (), file, span, unknown=why)
    if not value.template:
        if not read.documents:
            why = f"{name} reads {value.path}, which is not an IAM policy"
            return IacPolicy(resource.address, name, use, (), file, span, unknown=why)
        return IacPolicy(resource.address, name, use, read.documents, file, span)
    data, _ = as_policy_data(_template_text(read.text))
    if not isinstance(data, dict):
        why = f"{name} reads the template {value.path}, whose policy is unknown until applied"
        return IacPolicy(resource.address, name, use, (), file, span, unknown=why)
    variants = policy_document_variants(
        data, lambda _: None, file, positions, origin_of(resource.address, at), declared, use
    )
    return IacPolicy(resource.address, name, use, variants, file, span)


_INTERPOLATION = re.compile(r"(?<!\$)\$\{([^}]*)\}")


def _template_text(text: str) -> Any:
    """A `templatefile` text with each `${…}` unknown (its variables are not read);
    `$${` is a literal `${`."""
    parts: list[str | Placeholder] = []
    done = 0
    for match in _INTERPOLATION.finditer(text):
        parts.append(text[done : match.start()].replace("$${", "${"))
        parts.append(Placeholder("${" + describe(match[1]) + "}"))
        done = match.end()
    parts.append(text[done:].replace("$${", "${"))
    kept = tuple(part for part in parts if part != "")
    if len(kept) == 1 and isinstance(kept[0], str):
        return kept[0]
    return Template(kept, "templatefile(…)")


def _name(resource: IacResource, at: DataPath, use: str) -> str:
    address = resource.address
    if use == TRUST:
        return f"the trust policy of {address}"
    if use in (REPOSITORY, REGISTRY):
        return f"the {use} policy of {address}"
    if use == MANAGED:
        return f"customer managed policy {address}"
    if at[:1] == ("inline_policy",) and len(at) > 1:
        blocks = resource.properties.get("inline_policy")
        block = blocks[at[1]] if isinstance(blocks, list) and isinstance(at[1], int) else None
        written = block.get("name") if isinstance(block, dict) else None
        label = f'"{written}"' if isinstance(written, str) else f"inline_policy[{at[1]}]"
        return f"inline policy {label} of {address}"
    return f"inline policy {address}"
