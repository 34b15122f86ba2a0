"""reglint's configuration (SPEC §3.2, §6.6).

`--config FILE`, else the first of `.reglint.yaml`, `.reglint.yml`, `pyproject.toml`
(with a `[tool.reglint]` table) found from the project root of the first named path
upward, else from the current folder upward; `--isolated` ignores every config file.

- `files`: where the config is, and reading it safely into a table (`ConfigError`);
- `settings`: `Config`, what a run reads of it, validated (`load_config`);
- `suppressions`: its `suppressions:` entries, for files that cannot hold a comment;
- `toml_table`: `[tool.reglint]` from a `pyproject.toml`, in bounded time and memory.
"""
