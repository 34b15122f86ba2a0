"""A module (the Terraform files of one folder) -> one list of resources, each with its
address, type, properties (locals folded) and the file and path it comes from."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from helpers import write_tree

from reglint.findings import Span
from reglint.iac.model import FileContent, IacResource, Placeholder, Reference, Template
from reglint.iac.terraform.module import OVERRIDE_SKIP, module_files, read_module
from reglint.loading.document import Limits
from reglint.loading.errors import LoadError

FIXTURES = Path(__file__).parent / "fixtures" / "registry_module"


def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_registry_module_resources_addresses_types_and_origins() -> None:
    module = read_module(FIXTURES, Limits(), read_text)
    by_address = {r.address: r for r in module.resources}
    assert list(by_address) == [
        # ecr.tf, extra.tf.json, policy_documents.tf, roles.tf, users_groups.tf: file order
        "aws_ecr_repository.models",
        "aws_ecr_repository_policy.models",
        "aws_ecr_registry_policy.this",
        "aws_ecr_repository_creation_template.ml",
        "aws_iam_role_policy.nodes_scan",
        "data.aws_iam_policy_document.pull",
        "data.aws_caller_identity.current",
        "data.aws_partition.current",
        "data.aws_iam_policy_document.nodes_assume",
        "data.aws_iam_policy_document.push",
        "data.aws_iam_policy_document.describe",
        "data.aws_iam_policy_document.repository",
        "aws_iam_role.nodes",
        "aws_iam_role_policy.nodes_push",
        "aws_iam_role_policy_attachment.nodes_read_only",
        "aws_iam_role_policies_exclusive.nodes",
        "aws_iam_role_policy_attachments_exclusive.nodes",
        "aws_iam_policy.push",
        "aws_iam_user.ci",
        "aws_iam_group.builders",
        "aws_iam_user_policy.ci",
        "aws_iam_group_policy.builders",
        "aws_iam_user_policy_attachment.ci",
        "aws_iam_group_policy_attachment.builders",
        "aws_iam_policy_attachment.push",
    ]
    document = by_address["data.aws_iam_policy_document.push"]
    assert document.type == "aws_iam_policy_document"
    assert document.path == ("data", "aws_iam_policy_document", "push")
    assert module.origins["data.aws_iam_policy_document.push"] == FIXTURES / "policy_documents.tf"
    assert module.origins["aws_iam_role_policy.nodes_scan"] == FIXTURES / "extra.tf.json"
    assert module.conflicts == ()
    assert [f.path.name for f in module.files] == [
        "ecr.tf", "extra.tf.json", "locals.tf", "override.tf", "policy_documents.tf", "roles.tf",
        "users_groups.tf", "variables.tf",
    ]  # fmt: skip
    [override] = [f for f in module.files if f.path.name == "override.tf"]
    assert override.document is None and override.skipped == OVERRIDE_SKIP


def test_locals_are_folded_into_the_properties_across_files() -> None:
    module = read_module(FIXTURES, Limits(), read_text)
    by_address = {r.address: r for r in module.resources}
    role = by_address["aws_iam_role.nodes"]
    assert role.properties["name"] == "ml-platform-nodes"  # locals.tf's `name`
    policy = by_address["aws_iam_role_policy.nodes_push"].properties["policy"]
    assert isinstance(policy, Template)
    assert policy.parts[1:4] == (
        Placeholder("var.region"),
        ":",
        Placeholder("data.aws_caller_identity.current.account_id"),
    )
    assert policy.parts[4].startswith(":repository/ml-platform/*")
    scan = by_address["aws_iam_role_policy.nodes_scan"].properties["policy"]  # from .tf.json
    resource = scan["Statement"][0]["Resource"]
    assert resource.parts == (
        "arn:aws:ecr:",
        Placeholder("var.region"),
        ":",
        Placeholder("data.aws_caller_identity.current.account_id"),
        ":repository/ml-platform/*",
    )
    # the document keeps what the file says; the properties are a folded copy
    file = next(f for f in module.files if f.path.name == "roles.tf")
    assert file.document is not None
    assert file.document.data["resource"]["aws_iam_role"]["nodes"]["name"].parts[0] == Reference(
        "local.name", "", "local.name"
    )


def test_positions_of_a_resource_come_from_its_file() -> None:
    module = read_module(FIXTURES, Limits(), read_text)
    [resource] = [r for r in module.resources if r.address == "aws_iam_policy.push"]
    [file] = [f for f in module.files if f.path == module.origins[resource.address]]
    assert file.document is not None
    assert file.document.positions.span((*resource.path, "policy")) == Span(4, 17, 4, 58)
    assert resource.properties["policy"] == FileContent(
        "policies/push.json", False, 'file("${path.module}/policies/push.json")'
    )


def module_of(tmp_path: Path, files: dict[str, str]) -> list[IacResource]:
    write_tree(tmp_path, files)
    return list(read_module(tmp_path, Limits(), read_text).resources)


def test_local_lookups_chains_and_jsonencode(tmp_path: Path) -> None:
    [resource] = module_of(
        tmp_path,
        {
            "main.tf": 'resource "aws_iam_role_policy" "p" {\n'
            "  role   = local.role.name\n"
            "  policy = jsonencode(local.policy)\n"
            "  first  = local.statements[0].Effect\n"
            "  text   = jsonencode(local.text)\n"
            '  gone   = local.policy["Nope"]\n'
            "  none   = local.undefined\n"
            "}\n",
            "locals.tf": "locals {\n"
            "  role       = aws_iam_role.nodes\n"
            '  statements = [{ Effect = "Allow", Action = "ecr:*", Resource = local.arn }]\n'
            '  policy     = { Version = "2012-10-17", Statement = local.statements }\n'
            '  arn        = "arn:aws:ecr:${var.region}:1:repository/x"\n'
            '  text       = "not an object"\n'
            "}\n",
        },
    )
    arn = Template(
        ("arn:aws:ecr:", Placeholder("var.region"), ":1:repository/x"),
        '"arn:aws:ecr:${var.region}:1:repository/x"',
    )
    assert resource.properties == {
        "role": Reference("aws_iam_role.nodes", "name", "local.role.name"),
        "policy": {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "ecr:*", "Resource": arn}],
        },
        "first": "Allow",
        "text": Placeholder("jsonencode(local.text)"),
        "gone": Placeholder('local.policy["Nope"]'),
        "none": Placeholder("local.undefined"),
    }


def test_local_cycles_and_bombs_stay_placeholders(tmp_path: Path) -> None:
    bomb = "\n".join(f"  l{i} = [{', '.join([f'local.l{i - 1}'] * 10)}]" for i in range(1, 12))
    [resource] = module_of(
        tmp_path,
        {
            "main.tf": 'resource "t" "n" {\n  a = local.a\n  big = local.l11\n  mid = local.l3\n}\n',
            "locals.tf": f'locals {{\n  a = local.b\n  b = [local.a]\n  l0 = "lol"\n{bomb}\n}}\n',
        },
    )
    assert resource.properties["a"] == [Placeholder("local.a")]
    assert resource.properties["big"] == Placeholder("local.l11")  # 10^11 strings once expanded
    assert len(resource.properties["mid"]) == 10  # 1,110 nodes: within the budget


def test_deep_local_chains_stay_within_the_depth_limit(tmp_path: Path) -> None:
    chain = "\n".join(f"  l{i} = [local.l{i - 1}]" for i in range(1, 400))
    [resource] = module_of(
        tmp_path,
        {
            "main.tf": 'resource "t" "n" {\n  v = local.l399\n}\n',
            "locals.tf": f'locals {{\n  l0 = "x"\n{chain}\n}}\n',
        },
    )
    value, depth = resource.properties["v"], 0
    while isinstance(value, list):
        value, depth = value[0], depth + 1
    assert depth < Limits().max_depth and isinstance(value, Placeholder)


def test_variables_are_never_folded_even_with_a_default(tmp_path: Path) -> None:
    [resource] = module_of(
        tmp_path,
        {
            "main.tf": 'resource "t" "n" {\n  account = var.account_id\n}\n',
            "variables.tf": 'variable "account_id" {\n  default = "123456789012"\n}\n',
        },
    )
    assert resource.properties == {"account": Placeholder("var.account_id")}


def test_unreadable_files_conflicts_and_ignored_names(tmp_path: Path) -> None:
    module = read_module(
        write_tree(
            tmp_path,
            {
                "a.tf": 'resource "aws_iam_policy" "p" {\n  name = "first"\n}\n',
                "b.tf": 'resource "aws_iam_policy" "p" {\n  name = "second"\n}\n',
                "broken.tf": 'resource "aws_iam_policy" "q" {\n',
                "bad.tf.json": '{"resource": [}',
                ".hidden.tf": "garbage {",
                "backup.tf~": "garbage {",
                "#autosave.tf#": "garbage {",
                "notes.txt": "garbage {",
                "x_override.tf.json": '{"resource": {}}',
                "sub/inner.tf": 'resource "aws_iam_policy" "inner" {}\n',
            },
        ),
        Limits(),
        read_text,
    )
    assert [r.address for r in module.resources] == ["aws_iam_policy.p"]
    assert module.resources[0].properties == {"name": "first"}
    assert module.conflicts == (("aws_iam_policy.p", tmp_path / "b.tf"),)
    errors = {f.path.name: f.error for f in module.files if f.error is not None}
    assert set(errors) == {"broken.tf", "bad.tf.json"}
    assert errors["broken.tf"].span == Span(1, 31, 1, 32)  # the last character
    assert [f.path.name for f in module.files if f.skipped] == ["x_override.tf.json"]


def test_the_reader_given_decides_what_is_read(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.tf": 'resource "aws_iam_policy" "p" {}\n', "b.tf": "x"})

    def refusing(path: Path) -> str:
        if path.name == "b.tf":
            raise LoadError("file is larger than the limit")
        return read_text(path)

    module = read_module(tmp_path, Limits(), refusing)
    assert [(f.path.name, f.error.message if f.error else None) for f in module.files] == [
        ("a.tf", None),
        ("b.tf", "file is larger than the limit"),
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_links_and_special_files_are_not_module_files(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.tf").write_text('resource "x" "y" {}\n')
    module = tmp_path / "module"
    module.mkdir()
    (module / "main.tf").write_text('resource "x" "z" {}\n')
    (module / "linked.tf").symlink_to(outside / "secret.tf")
    os.mkfifo(module / "pipe.tf")
    (module / "folder.tf").mkdir()
    assert [p.name for p in module_files(module)] == ["main.tf"]
    shutil.rmtree(module)


def test_a_folder_that_cannot_be_listed(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as caught:
        read_module(tmp_path / "missing", Limits(), read_text)
    assert caught.value.message == "cannot list the module's folder: No such file or directory"
