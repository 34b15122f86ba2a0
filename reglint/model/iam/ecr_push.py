"""The IAM actions an identity needs to push an image to ECR (SPEC's introduction): the
default of `required-ecr-actions`, and what RL201 asks every push policy to allow."""

from __future__ import annotations

ECR_PUSH_ACTIONS: tuple[str, ...] = (
    "ecr:CreateRepository",
    "ecr:GetAuthorizationToken",
    "ecr:BatchCheckLayerAvailability",
    "ecr:BatchGetImage",
    "ecr:CompleteLayerUpload",
    "ecr:GetDownloadUrlForLayer",
    "ecr:InitiateLayerUpload",
    "ecr:PutImage",
    "ecr:UploadLayerPart",
)
