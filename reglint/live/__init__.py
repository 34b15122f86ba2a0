"""Live reads of an AWS account for `reglint aws verify` (SPEC §6.4): who pushes, what its
deployed policies say, and which ECR repositories already exist under a namespace.

The only package that imports boto3, and only when `aws verify` runs (`check`, `rules`
and `explain` never import it: SPEC §5). Every AWS failure becomes one `AwsFailure`
line (failures.py); nothing read here is ever printed but names, ARNs and versions.
"""
