"""The other files of a platform monorepo: what reglint walks past, sniffs and skips.

Kubernetes manifests (often several documents per file), Helm values and templates
(`{{ }}` is not YAML), package.json and lock files, OpenAPI specs, docker-compose files,
CloudFormation templates with `!Ref` tags (not loadable by a safe loader, and they
mention `Statement`), app configs, and source files reglint never opens.
"""

from __future__ import annotations

import json
import random
from typing import Any

from gen_vocabulary import WORDS


class RepoFiller:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def word(self) -> str:
        return self.rng.choice(WORDS)

    def k8s(self, service: str) -> str:
        r = self.rng
        image = f"ghcr.io/acme/{service}:{r.randrange(1, 40)}.{r.randrange(20)}.{r.randrange(10)}"
        deployment = f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {service}
  labels: {{app: {service}, team: {self.word()}}}
spec:
  replicas: {r.randrange(1, 6)}
  selector:
    matchLabels: {{app: {service}}}
  template:
    metadata:
      labels: {{app: {service}}}
    spec:
      containers:
        - name: {service}
          image: {image}
          ports: [{{containerPort: {r.choice((8080, 8000, 3000, 9090))}}}]
          env:
            - {{name: LOG_LEVEL, value: info}}
            - {{name: DATABASE_URL, valueFrom: {{secretKeyRef: {{name: {service}-db, key: url}}}}}}
          resources:
            requests: {{cpu: 100m, memory: 128Mi}}
            limits: {{cpu: 500m, memory: 512Mi}}
"""
        if r.random() < 0.5:
            deployment += f"""---
apiVersion: v1
kind: Service
metadata:
  name: {service}
spec:
  selector: {{app: {service}}}
  ports:
    - port: 80
      targetPort: 8080
"""
        return deployment

    def configmap(self, service: str) -> str:
        entries = "\n".join(
            f'  {self.word().upper()}_{i}: "{self.word()}"'
            for i in range(self.rng.randrange(3, 15))
        )
        return f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {service}-config\ndata:\n{entries}\n"

    def hpa(self, service: str) -> str:
        return f"""apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {service}
spec:
  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: {service}}}
  minReplicas: 2
  maxReplicas: {self.rng.randrange(4, 30)}
  metrics:
    - type: Resource
      resource: {{name: cpu, target: {{type: Utilization, averageUtilization: 70}}}}
"""

    def helm_values(self, service: str) -> str:
        return f"""# Default values for {service}.
replicaCount: {self.rng.randrange(1, 4)}
image:
  repository: ghcr.io/acme/{service}
  pullPolicy: IfNotPresent
  tag: ""
serviceAccount:
  create: true
  annotations: {{}}
ingress:
  enabled: {str(self.rng.random() < 0.5).lower()}
  hosts:
    - host: {service}.example.com
      paths: [{{path: /, pathType: Prefix}}]
resources: {{}}
nodeSelector: {{}}
tolerations: []
"""

    def helm_template(self, service: str) -> str:
        return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{{{ include "{service}.fullname" . }}}}
  labels:
    {{{{- include "{service}.labels" . | nindent 4 }}}}
spec:
  replicas: {{{{ .Values.replicaCount }}}}
  template:
    spec:
      containers:
        - name: {{{{ .Chart.Name }}}}
          image: "{{{{ .Values.image.repository }}}}:{{{{ .Values.image.tag | default .Chart.AppVersion }}}}"
"""

    def package_json(self, service: str) -> str:
        r = self.rng
        deps = {
            f"@acme/{self.word()}": f"^{r.randrange(1, 9)}.{r.randrange(10)}.0"
            for _ in range(r.randrange(3, 12))
        }
        data = {
            "name": f"@acme/{service}",
            "version": f"{r.randrange(4)}.{r.randrange(20)}.{r.randrange(10)}",
            "private": True,
            "scripts": {"build": "tsc -p .", "test": "vitest run", "lint": "eslint ."},
            "dependencies": deps,
            "devDependencies": {"typescript": "^5.4.0", "vitest": "^1.6.0"},
        }
        return json.dumps(data, indent=2) + "\n"

    def lock_json(self, service: str, packages: int) -> str:
        r = self.rng
        entries = {
            f"node_modules/{self.word()}-{i}": {
                "version": f"{r.randrange(1, 9)}.{r.randrange(20)}.{r.randrange(20)}",
                "resolved": f"https://registry.npmjs.org/pkg-{i}/-/pkg-{i}-1.0.0.tgz",
                "integrity": f"sha512-{r.getrandbits(256):064x}",
                "dev": r.random() < 0.5,
            }
            for i in range(packages)
        }
        return (
            json.dumps(
                {"name": service, "lockfileVersion": 3, "requires": True, "packages": entries},
                indent=2,
            )
            + "\n"
        )

    def tsconfig(self) -> str:
        return (
            json.dumps(
                {
                    "compilerOptions": {
                        "target": "ES2022",
                        "module": "NodeNext",
                        "strict": True,
                        "outDir": "dist",
                        "rootDir": "src",
                    },
                    "include": ["src"],
                },
                indent=2,
            )
            + "\n"
        )

    def openapi(self, service: str) -> str:
        r = self.rng
        paths: dict[str, Any] = {}
        for _ in range(r.randrange(5, 40)):
            resource = self.word()
            paths[f"/v1/{resource}/{{id}}"] = {
                method: {
                    "operationId": f"{method}{resource.capitalize()}",
                    "summary": f"{method} a {resource}",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {
                        "200": {
                            "description": "OK",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "$ref": f"#/components/schemas/{resource.capitalize()}"
                                    }
                                }
                            },
                        }
                    },
                }
                for method in r.sample(("get", "put", "delete", "patch"), r.randrange(1, 4))
            }
        return (
            json.dumps(
                {"openapi": "3.0.3", "info": {"title": service, "version": "1.0"}, "paths": paths},
                indent=2,
            )
            + "\n"
        )

    def compose(self, service: str) -> str:
        return f"""services:
  {service}:
    build: .
    ports: ["8080:8080"]
    environment:
      - LOG_LEVEL=debug
    depends_on: [db]
  db:
    image: postgres:16
    environment: {{POSTGRES_PASSWORD: example}}
"""

    def app_config(self) -> str:
        r = self.rng
        return (
            "\n".join(
                f"{self.word()}_{i}:\n  enabled: {str(r.random() < 0.5).lower()}\n  timeout: {r.randrange(1, 60)}s"
                for i in range(r.randrange(2, 8))
            )
            + "\n"
        )

    def cloudformation(self, service: str) -> str:
        """A CloudFormation template with an inline IAM policy: `!Sub` is a custom tag."""
        return f"""AWSTemplateFormatVersion: "2010-09-09"
Description: Task role of {service}
Resources:
  TaskRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {{Service: ecs-tasks.amazonaws.com}}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: {service}-data
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: [s3:GetObject, s3:PutObject]
                Resource: !Sub "arn:${{AWS::Partition}}:s3:::{service}-${{AWS::AccountId}}/*"
"""

    def source(self, service: str, suffix: str) -> str:
        if suffix == ".md":
            return f"# {service}\n\nOwned by the {self.word()} team. See docs/ for runbooks.\n"
        lines = [
            f"// {service}: {self.word()} handler"
            if suffix == ".ts"
            else f'"""{service}: {self.word()} handler."""'
        ]
        lines += [
            f"{'export const' if suffix == '.ts' else ''} {self.word()}_{i} = {i}"
            for i in range(self.rng.randrange(5, 40))
        ]
        return "\n".join(lines) + "\n"
