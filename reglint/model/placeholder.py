"""Template placeholders: a value a tool fills in later is not a literal (SPEC §6.6).

A value is a placeholder when it consists of placeholders only, with nothing but
whitespace around and between them. The forms are SPEC §6.6's three:

    ${…}     shell, envsubst, Docker Compose, Terraform (`${var.password}`); also
             GitHub Actions' `${{ … }}`
    {{ … }}  Helm, Go templates, Jinja, Ansible
    <…>      documentation (`<your-password>`)

Decisions:

- A literal part is still a literal: `hunter2${X}` puts `hunter2` into the value as
  written, so it is no placeholder. That includes a literal between two placeholders
  (`${USER}:${PASSWORD}` has `:`): strict, and rare in a password.
- A shell default or alternative value is a literal part too: `${P:-hunter2}`,
  `${P-hunter2}`, `${P:=hunter2}`, `${P:+hunter2}` use `hunter2` whenever `P` is unset
  (or set). `${P:?message}` and an empty default (`${P:-}`) are placeholders.
- `$VAR` without braces and Kubernetes' `$(VAR)` are not among the SPEC's forms.

`is_placeholder` reads the value left to right, each placeholder anchored where the
previous one ended, so a hostile value (a megabyte of `{{`) costs linear time.
"""

from __future__ import annotations

import re

__all__ = ["is_placeholder"]

# Whitespace, then one placeholder.
_NEXT_PLACEHOLDER = re.compile(
    r"\s*(?:"
    r"\$\{\{.+?\}\}"  # ${{ secrets.X }}: before `${…}`, whose body has no braces
    r"|\$\{(?P<shell>[^{}]+)\}"  # ${VAR}, ${var.password}
    r"|\{\{.+?\}\}"  # {{ .Values.password }}
    r"|<[^<>]+>"  # <your-password>
    r")",
    re.DOTALL,
)
# `NAME` then a default or alternative operator then a value: the value is a literal.
_SHELL_LITERAL = re.compile(r"[A-Za-z_][A-Za-z0-9_]*:?[-=+].", re.DOTALL)


def is_placeholder(text: str) -> bool:
    """True when `text` is one or more template placeholders and nothing else but
    whitespace (module docstring)."""
    position = 0
    found = False
    while (match := _NEXT_PLACEHOLDER.match(text, position)) is not None:
        shell = match.group("shell")
        if shell is not None and _SHELL_LITERAL.match(shell):
            return False
        found = True
        position = match.end()
    return found and (position == len(text) or text[position:].isspace())
