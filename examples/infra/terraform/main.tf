# The container registry of the serving platform, as Terraform deploys it: the
# repository of the model-server images, its policy, and the role the image builder (a
# Kubernetes service account, through IAM roles for service accounts) pushes with.
# systems/serving/user-registry.yaml links the role, through the plan (plan.json).
#
# The mistake (RL209): the repository policy was meant for the organisation's accounts,
# but StringEqualsIfExists is true when the caller has no aws:PrincipalOrgID - any AWS
# account outside an organisation - so anyone can push over the model servers.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

resource "aws_ecr_repository" "model_servers" {
  name                 = "serving/model-servers"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }
}

resource "aws_ecr_repository_policy" "model_servers" {
  repository = aws_ecr_repository.model_servers.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "OrganisationAccounts"
        Effect    = "Allow"
        Principal = "*"
        Action = [
          "ecr:BatchCheckLayerAvailability",
          "ecr:BatchGetImage",
          "ecr:CompleteLayerUpload",
          "ecr:GetDownloadUrlForLayer",
          "ecr:InitiateLayerUpload",
          "ecr:PutImage",
          "ecr:UploadLayerPart",
        ]
        Condition = {
          StringEqualsIfExists = { "aws:PrincipalOrgID" = var.organization_id }
        }
      },
    ]
  })
}

data "aws_iam_policy_document" "image_builder_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${var.oidc_issuer}:sub"
      values   = ["system:serviceaccount:serving:image-builder"]
    }
  }
}

resource "aws_iam_role" "image_builder" {
  name               = "serving-image-builder"
  assume_role_policy = data.aws_iam_policy_document.image_builder_trust.json
}

data "aws_iam_policy_document" "push" {
  statement {
    sid       = "Login"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid = "PushModelServers"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:CreateRepository",
      "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    resources = [
      "arn:${data.aws_partition.current.partition}:ecr:${var.region}:${data.aws_caller_identity.current.account_id}:repository/serving/*",
    ]
  }
}

resource "aws_iam_role_policy" "push" {
  name   = "push-model-servers"
  role   = aws_iam_role.image_builder.name
  policy = data.aws_iam_policy_document.push.json
}
