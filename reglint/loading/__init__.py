"""Bytes -> documents: decoding, parsing with positions, classification, ignore comments
(a file's bytes are read by reglint/files/read.py)."""
