"""Helpers and sample inputs shared by the tests (importable: `from helpers import …`)."""

from __future__ import annotations

from pathlib import Path

MANIFEST = """\
apiVersion: reglint/v1
kind: RegistryService
metadata:
  name: docker-registry
  system: ml-prod
  environment: production
spec:
  type: external
  role: user
  url: 123456789012.dkr.ecr.us-east-2.amazonaws.com/ml-prod
  auth:
    method: iam-role
  iamPolicies:
    - iam/push.json
  resources:
    requests: {cpu: 250m, memory: 256Mi}
    limits: {cpu: "1", memory: 1Gi}
"""

# Grants the nine ECR push actions for MANIFEST's namespace.
POLICY = """\
{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Token", "Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
    {
      "Sid": "Push",
      "Effect": "Allow",
      "Action": [
        "ecr:CreateRepository", "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage",
        "ecr:CompleteLayerUpload", "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload",
        "ecr:PutImage", "ecr:UploadLayerPart"
      ],
      "Resource": "arn:aws:ecr:us-east-2:123456789012:repository/ml-prod/*"
    }
  ]
}
"""


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Create files (and their folders) under `root`; returns `root`."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root
