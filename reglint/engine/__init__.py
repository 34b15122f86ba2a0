"""`reglint check`, from options to exit code: the one stage that runs the others.

- `check_command`: `execute()` — options -> config, rule selection, request; the run;
  the report written; the exit code (check-jsonschema's `execute`);
- `run`: `run()` — one request -> `RunResult`: the project loaded, the cross-file and
  document checks run, every file's problems decided;
- `file_check`: one independent file from bytes to decided findings (`FileChecker`);
- `workers`: `--jobs`, the independent files checked in worker processes;
- `progress`: the progress line on a terminal.
"""
