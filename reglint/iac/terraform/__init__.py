"""Terraform as reglint reads it (SPEC §6.2): HCL files (`*.tf`), JSON-syntax files
(`*.tf.json`), modules (the files of one folder) and plans (`terraform show -json`).

Nothing here is imported on the `check` path until a Terraform file is actually read:
python-hcl2 and Lark cost ~70 ms to import and their parser ~60 ms to load (see
hcl_parser.py).
"""
