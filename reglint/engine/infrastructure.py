"""Infrastructure code in a run (SPEC §6.2): CloudFormation templates and Terraform plans
among the YAML and JSON files, and Terraform modules.

- `expand(source)`: a loaded YAML/JSON file whose document is a template or a plan gets
  the POLICY documents of its policies, and its `IacSource` (`source.infrastructure`).
  A file that looks like IaC but holds nothing reglint reads keeps only its own
  document and says why (`skip_reason`: counted as skipped, listed by `-v`).
- `TerraformModules`: a Terraform module is the `*.tf`/`*.tf.json` files of one folder.
  A run that names (or walks to) one file of a module reads the whole folder once: the
  other files are context — the module's locals, policy documents and roles are
  spread over them — and findings are reported on the files of the run only, as for
  every other file. A file a module reads (`file("x.json")`) is read through the same
  confinement as any input: its path is relative to the module folder and may leave it
  (`../policies/x.json`) but not the project root; an absolute path is not read, nor a
  path through a symbolic link out of the project root. What is refused grants nothing
  and says why in a note (RL302) and in RL201; the file's content is never shown.

IaC modules are imported only here, and only when such a file is found: a pre-commit
run over manifests and policies imports none of them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from reglint.files.confinement import OUTSIDE, leads_outside
from reglint.files.read import read_regular_file
from reglint.loading.document import Document, DocumentKind, Limits, Problem, SourceFile
from reglint.loading.errors import LoadError

if TYPE_CHECKING:
    from reglint.iac.sources import IacSource
    from reglint.iac.terraform.module import ModuleFile
    from reglint.iac.tf_source import FileRead

__all__ = ["TerraformModules", "expand", "is_terraform_file"]

TERRAFORM_SUFFIXES = (".tf", ".tf.json")
# A walked Terraform file that cannot be read is reported (RL001) when it mentions what
# reglint reads; otherwise it is skipped with a notification, as a walked YAML file is.
_TERRAFORM_MARKS = (b"aws_iam_", b"aws_ecr_")
ABSOLUTE = "is an absolute path: reglint reads only files of the project"


def is_terraform_file(path: Path) -> bool:
    return path.name.endswith(TERRAFORM_SUFFIXES)


def expand(source: SourceFile) -> None:
    """Read the template or plan a loaded file holds (module docstring)."""
    for document in list(source.documents):
        if document.kind is not DocumentKind.OTHER or not isinstance(document.data, dict):
            continue
        data = document.data
        if "AWSTemplateFormatVersion" in data or "Resources" in data:
            from reglint.iac.cfn_sniff import is_template

            if is_template(data):
                _cloudformation(source, document)
        elif "planned_values" in data and "format_version" in data:
            _plan(source, document)


def _cloudformation(source: SourceFile, document: Document) -> None:
    from reglint.iac.cfn_source import cloudformation_source, mark_infrastructure

    iac = cloudformation_source(source, document)
    mark_infrastructure(document, iac)
    _keep(source, iac, "a CloudFormation template without IAM or ECR resources")


def _plan(source: SourceFile, document: Document) -> None:
    from reglint.iac.terraform.plan import is_terraform_plan, plan_resources
    from reglint.iac.tf_source import FileRead, terraform_source

    if not is_terraform_plan(document.data):
        version = str(document.data.get("format_version"))[:20]
        source.skip_reason = f"a Terraform plan of format_version {version}: reglint reads 1.x"
        return
    resources = plan_resources(document)  # type: ignore[arg-type]
    iac = terraform_source(
        "Terraform plan",
        source.path,
        resources,
        dict.fromkeys((r.address for r in resources), source),
        dict.fromkeys((r.address for r in resources), document.positions),
        lambda path: FileRead(None, error="is not read from a plan"),
    )
    if iac.holds_anything():
        document.kind = DocumentKind.INFRASTRUCTURE
        document.fixable_source = False  # --fix edits no infrastructure code
    _keep(source, iac, "a Terraform plan without IAM or ECR resources")


def _keep(source: SourceFile, iac: IacSource, empty: str) -> None:
    source.infrastructure = iac
    if not iac.holds_anything():
        source.skip_reason = empty


class TerraformModules:
    """The Terraform modules of a run, each read once (module docstring)."""

    def __init__(
        self,
        root: Path,
        limits: Limits,
        policy_file: Callable[[Path], SourceFile | str],
    ) -> None:
        self.root = root
        self.real_root = os.path.realpath(root)
        self.limits = limits
        self.policy_file = policy_file  # loads a JSON file a module reads, as context
        self.modules: dict[Path, dict[Path, SourceFile]] = {}  # folder -> its files
        self.mentions: dict[Path, bool] = {}  # file -> mentions aws_iam_/aws_ecr_
        from reglint.iac.terraform.hcl_grammar import keep_cache_out_of

        keep_cache_out_of(root)

    def files(self, folder: Path) -> dict[Path, SourceFile]:
        """The files of the module in `folder` (none reported yet), read on first use."""
        found = self.modules.get(folder)
        if found is None:
            found = self.modules[folder] = self._read(folder)
        return found

    def _read(self, folder: Path) -> dict[Path, SourceFile]:
        from reglint.iac.sources import READ_TYPES
        from reglint.iac.terraform.module import read_module
        from reglint.iac.tf_source import terraform_source

        try:
            module = read_module(folder, self.limits, self._read_text)
        except LoadError:
            return {}
        files = {file.path: _source_file(file) for file in module.files}
        resources = list(module.resources)
        declared = {r.address: files[module.origins[r.address]] for r in resources}
        positions = {a: f.documents[0].positions for a, f in declared.items() if f.documents}
        iac = terraform_source(
            "Terraform module",
            folder,
            [r for r in resources if r.address in positions],
            declared,
            positions,
            lambda relative: self._read_policy_file(folder, relative),
        )
        for file in files.values():
            file.infrastructure = iac
            own = [a for a, f in declared.items() if f is file]
            if file.documents and (
                any(iac.resources[a].type in READ_TYPES for a in own)
                or any(d.kind is DocumentKind.POLICY for d in file.documents)
            ):
                file.documents[0].kind = DocumentKind.INFRASTRUCTURE
                file.documents[0].fixable_source = False
            elif file.documents and not file.problems:
                file.skip_reason = "a Terraform file without IAM or ECR resources"
        return files

    def _read_text(self, path: Path) -> str:
        from reglint.loading.decode import decode

        raw = read_regular_file(path, self.limits.max_file_size)
        if isinstance(raw, str):
            raise LoadError(raw)
        self.mentions[path] = any(mark in raw for mark in _TERRAFORM_MARKS)
        return decode(raw)

    def reportable(self, path: Path) -> bool:
        """True when a Terraform file that cannot be read mentions what reglint reads, so
        its RL001 is reported also when the file was only walked to."""
        return self.mentions.get(path, True)

    def _read_policy_file(self, folder: Path, relative: str) -> FileRead:
        from reglint.iac.tf_source import FileRead

        if os.path.isabs(relative):
            return FileRead(None, error=ABSOLUTE)
        target = Path(os.path.normpath(folder / relative))
        if leads_outside(str(target), str(self.root), self.real_root):
            return FileRead(None, error=OUTSIDE)
        if not target.is_relative_to(self.root):
            return FileRead(None, error="lies outside the project root")
        loaded = self.policy_file(target)
        if isinstance(loaded, str):
            return FileRead(None, error=loaded)
        failure = next((p for p in loaded.problems if p.rule == "RL001"), None)
        if failure is not None:
            return FileRead(None, error=f"cannot be loaded: {failure.message}")
        policies = tuple(d for d in loaded.documents if d.kind is DocumentKind.POLICY)
        text = self._text_of(target)
        return FileRead(text, policies)

    def _text_of(self, path: Path) -> str | None:
        try:
            return self._read_text(path)
        except LoadError:
            return None


def _source_file(file: ModuleFile) -> SourceFile:
    source = SourceFile(path=file.path)
    if file.skipped is not None:
        source.skip_reason = file.skipped
        return source
    if file.error is not None:
        source.problems.append(Problem("RL001", file.error.message, span=file.error.span))
        return source
    parsed = file.document
    if parsed is None:
        source.skip_reason = "empty file: it holds no Terraform block"
        return source
    document = Document(
        source, 0, DocumentKind.OTHER, parsed.data, parsed.positions, parsed.span
    )
    source.documents.append(document)
    from reglint.loading.reader import duplicate_key_problems

    source.problems.extend(duplicate_key_problems(document, parsed))
    return source
