"""Files: which files a run reads, their bytes, and paths as reglint compares and shows
them (the first stage: files -> documents -> project -> checks -> findings -> reports).

- `discovery`: every file to read under the paths of a run
  (`.gitignore`, `include`/`exclude`, hidden and vendored folders);
- `globs`: git's `.gitignore` semantics for `.gitignore` files and the config's globs,
  on top of `wildmatch` (git's glob dialect, matched in linear time);
- `read`: a file's bytes, safely (regular files only, never blocking, within a limit);
- `confinement`: no read or write through a symbolic link out of the project root;
- `paths`: a path relative to the root (for globs and fingerprints) or to the current
  folder (as every report shows it).
"""
