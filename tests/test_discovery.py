"""Which files a run reads and where the project root is (SPEC §1.3)."""

from __future__ import annotations

import os
from pathlib import Path

from helpers import write_tree

from reglint.files.discovery import discover
from reglint.files.globs import GlobSet
from reglint.files.paths import display_path
from reglint.project import find_project_root

NONE = GlobSet(())


def _found(paths: list[Path], root: Path, include: GlobSet = NONE, exclude: GlobSet = NONE) -> list[str]:
    return sorted(
        f"{c.path.relative_to(root).as_posix()}{'*' if c.named else ''}"
        for c in discover(paths, root, include, exclude)
    )


def test_walk_reads_yaml_yml_json_only(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.yaml": "", "b.yml": "", "c.json": "", "d.txt": "", "e.YAML.bak": ""})
    assert _found([tmp_path], tmp_path) == ["a.yaml", "b.yml", "c.json"]


def test_walk_skips_hidden_node_modules_and_virtualenvs(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            ".hidden/a.yaml": "",
            "node_modules/pkg/b.yaml": "",
            "env/pyvenv.cfg": "home = /usr\n",
            "env/lib/c.yaml": "",
            "keep/d.yaml": "",
        },
    )
    assert _found([tmp_path], tmp_path) == ["keep/d.yaml"]


def test_gitignore_is_respected_with_nested_negation(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            ".git/HEAD": "",
            ".gitignore": "build/\n*.gen.yaml\n",
            "build/a.yaml": "",
            "x.gen.yaml": "",
            "sub/.gitignore": "!keep.gen.yaml\n",
            "sub/keep.gen.yaml": "",
            "sub/drop.gen.yaml": "",
            "ok.yaml": "",
        },
    )
    assert _found([tmp_path], tmp_path) == ["ok.yaml", "sub/keep.gen.yaml"]


def test_exclude_applies_to_named_files(tmp_path: Path) -> None:
    write_tree(tmp_path, {"vendor/a.yaml": "", "b.yaml": ""})
    exclude = GlobSet(["vendor/"])
    found = _found([tmp_path / "vendor" / "a.yaml", tmp_path / "b.yaml"], tmp_path, exclude=exclude)
    assert found == ["b.yaml*"]


def test_include_adds_files_and_marks_them_named(tmp_path: Path) -> None:
    write_tree(tmp_path, {"registry/svc.tpl": "", "other.tpl": "", "a.yaml": ""})
    assert _found([tmp_path], tmp_path, include=GlobSet(["registry/*.tpl"])) == [
        "a.yaml",
        "registry/svc.tpl*",
    ]


def test_include_reaches_into_a_folder_that_gitignore_ignores(tmp_path: Path) -> None:
    """CDK's own .gitignore lists cdk.out: `include` names what to read there anyway."""
    write_tree(tmp_path, {
        ".git/HEAD": "", ".gitignore": "cdk.out\nbuild/\n",
        "cdk.out/Ml.template.json": "", "cdk.out/manifest.json": "", "cdk.out/asset.1/x.json": "",
        "build/out.json": "", "a.yaml": "",
    })  # fmt: skip
    include = GlobSet(["cdk.out/*.template.json"])
    assert _found([tmp_path], tmp_path, include=include) == ["a.yaml", "cdk.out/Ml.template.json*"]
    anywhere = GlobSet(["*.template.json"])
    assert _found([tmp_path], tmp_path, include=anywhere) == ["a.yaml", "cdk.out/Ml.template.json*"]
    assert _found([tmp_path], tmp_path) == ["a.yaml"]
    excluded = GlobSet(["cdk.out/"])
    assert _found([tmp_path], tmp_path, include=include, exclude=excluded) == ["a.yaml"]


def test_named_files_are_named_and_listed_once(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.yaml": "", "notes.txt": ""})
    found = _found([tmp_path / "a.yaml", tmp_path / "notes.txt", tmp_path], tmp_path)
    assert found == ["a.yaml*", "notes.txt*"]


def test_directory_symlink_loops_are_not_followed(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a/x.yaml": ""})
    os.symlink(tmp_path / "a", tmp_path / "a" / "loop")
    assert _found([tmp_path], tmp_path) == ["a/x.yaml"]


def test_project_root_is_the_nearest_config_folder(tmp_path: Path) -> None:
    write_tree(tmp_path, {".git/HEAD": "", "platform/.reglint.yaml": "{}\n", "platform/sys/a.yaml": ""})
    assert find_project_root(tmp_path / "platform" / "sys" / "a.yaml") == tmp_path / "platform"


def test_project_root_falls_back_to_git_top_level(tmp_path: Path) -> None:
    write_tree(tmp_path, {".git/HEAD": "", "platform/sys/a.yaml": ""})
    assert find_project_root(tmp_path / "platform" / "sys") == tmp_path


def test_project_root_falls_back_to_the_named_folder(tmp_path: Path) -> None:
    write_tree(tmp_path, {"sys/a.yaml": ""})
    assert find_project_root(tmp_path / "sys" / "a.yaml") == tmp_path / "sys"
    assert find_project_root(tmp_path / "sys") == tmp_path / "sys"


def test_display_path_is_relative_with_slashes(tmp_path: Path) -> None:
    assert display_path(tmp_path / "a" / "b.yaml", tmp_path) == "a/b.yaml"
    assert display_path(tmp_path / "b.yaml", tmp_path / "a") == "../b.yaml"


def test_gitignore_lines_that_do_not_compile_are_left_out_as_git_does(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            ".git/HEAD": "",
            ".gitignore": "!\n[z-a]\n*.gen.yaml\n\\\n",
            "x.gen.yaml": "",
            "ok.yaml": "",
        },
    )
    assert _found([tmp_path], tmp_path) == ["ok.yaml"]
