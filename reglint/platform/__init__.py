"""Platform sources (SPEC §6.3): Kubernetes registry Secrets and MLRun settings.

The registry a platform builds into is rarely written in a reglint manifest: it is a
`kubernetes.io/dockerconfigjson` Secret plus the ML platform's own settings. This package
reads them from parsed YAML/JSON documents into plain records, with the data path of
every value, and leaves findings to the checks:

- `sniff.mentions_platform_source(raw)`: may this file hold either? (bytes only)
- `secrets.read_secrets(data)`: Secrets, their registry credentials and AWS credentials
  files, and the Secret names a project declares.
- `mlrun_settings.read_mlrun_settings(data)`: MLRun's registry settings from Helm values,
  workloads' `env`, ConfigMaps and compose `environment`.
- `mlrun_service.builder_service(settings)`: the `mlrun-builder` service that all the
  settings of one system make (URL, on-cluster or external, namespace, secrets,
  conflicts); `mlrun_ecr_host_problem(host)` for MLRun's ECR hosts.
- `secret_uses.secret_use_problems(service, secrets)`: the secrets a service names,
  against the project's Secrets.

No record ever holds a decoded secret value.
"""
