"""Infrastructure code (CloudFormation, Terraform) as sources of IAM policies and ECR
repositories (SPEC §6.2)."""
