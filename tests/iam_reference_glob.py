"""A regex reading of IAM wildcard patterns, independent of reglint's glob algebra:
the reference the IAM tests compare the engine against."""

from __future__ import annotations

import re
from functools import cache


@cache
def reference_regex(pattern: str, kind: str) -> re.Pattern[str]:
    """Translate a pattern the way SPEC §1.2 and the AWS docs describe it, with `re`.

    `action`: case-insensitive, wildcards anywhere. `resource`: AWS's segment rule (a
    `*` at the end of a segment crosses `:`). `target`: the wildcards of a repository ARN
    pattern stay inside their segment.
    """
    out = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if kind == "resource" and pattern.startswith("${", index) and "}" in pattern[index:]:
            end = pattern.index("}", index)
            body = pattern[index + 2 : end]
            out.append(re.escape(body) if body in ("*", "?", "$") else ".*")
            index = end + 1
            continue
        if char == "*":
            last = index + 1 == len(pattern) or pattern[index + 1] == ":"
            out.append(".*" if kind == "action" or (kind == "resource" and last) else "[^:]*")
        elif char == "?":
            out.append("." if kind == "action" else "[^:]")
        else:
            out.append(re.escape(char))
        index += 1
    return re.compile("".join(out), re.DOTALL | (re.IGNORECASE if kind == "action" else 0))
