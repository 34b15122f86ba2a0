"""Decisions: what gets reported, at which level, and what it may print (SPEC §3.3).

- `decider`: the one place that decides — a file's problems become findings (position,
  level, fingerprint, path), suppressed or not; RL004 for unused ignore comments and
  config suppressions;
- `selection`: which rules run and at which level (`select`, `ignore`, `severity`);
- `comment_index`: which ignore comment suppresses a finding;
- `fingerprints`: a finding's identity, stable across edits elsewhere in its file;
- `baseline`: reading a baseline file, and marking the findings it records;
- `caps`: what a finding may print: secrets redacted, long values and lists capped.
"""
