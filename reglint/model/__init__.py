"""The domain: registry references and namespaces, ECR hosts and ARNs, IAM policies, quantities."""
