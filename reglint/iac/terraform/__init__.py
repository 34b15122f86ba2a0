"""Terraform as reglint reads it (SPEC §6.2): HCL files (`*.tf`), JSON-syntax files
(`*.tf.json`), modules (the files of one folder) and plans (`terraform show -json`).

Entry points (none is wired into `check` yet):

- `module.load_terraform_text(name, text, limits)`: one file -> its document
  (hcl_loader.py for `.tf`, json_syntax.py for `.tf.json`); `LoadError` (RL001) with a
  line and column for what cannot be read. The data shape is blocks.py's docstring;
  what each expression becomes is hcl_expressions.py's.
- `module.read_module(folder, limits, read_text)`: the folder's files -> a
  `TerraformModule`: its files (document, or error, or why skipped), its resources and
  data sources as `IacResource`s (locals folded), `origins` (address -> file) and
  `conflicts`. `read_text` is the caller's reader (the project's confined, size-bounded
  reading and decoding).
- `plan.is_terraform_plan(data)` / `plan.plan_resources(document)`: a plan already
  loaded by the JSON loader -> its `IacResource`s (paths into the plan document).

What is left for the integration:

- `Reference(target, attribute)` targets are Terraform addresses of the same module
  (`aws_iam_role.nodes`, `data.aws_iam_policy_document.x`); `file()` and
  `templatefile()` are `FileContent(PATH, template)` with PATH relative to the module
  folder (normalised, never absolute, never `..`), read through the project's
  confinement, then as a JSON policy (a `templatefile` as a template whose variables
  are unknown). Unresolved references are placeholders (SPEC §6.2).
- A policy may be a dict (`jsonencode`), a JSON string, a `Template` of JSON text with
  placeholders inside (a heredoc), a `Reference` (`…json`), a `FileContent`, a `Choice`
  (its position node has one child per branch) or a `Placeholder`.
- A `dynamic "statement"` is a `Placeholder` item of the `statement` list.
- Plan addresses keep their instance keys (`module.eks.aws_iam_role.nodes[0]`); a link
  `plan.json#module.eks.aws_iam_role.nodes` names every instance of that resource.

Nothing here is imported on the `check` path until a Terraform file is read: python-hcl2
and Lark cost ~70-150 ms to import; the parser loads from reglint's cache in the user's
cache folder in ~80 ms, or is built in ~1.5-4 s the first time (hcl_grammar.py).
"""
