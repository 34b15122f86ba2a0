"""Fixes (SPEC §6.5): a check's proposal rendered into text edits of its file, checked by
parsing the result (render.py), and the edits spliced into the file's bytes (apply.py).
Imported only by runs that render or apply fixes."""
