variable "region" {
  description = "The region of the serving platform's registry"
  type        = string
}

variable "organization_id" {
  description = "The AWS Organizations ID whose accounts may use the model-server images"
  type        = string
}

variable "oidc_provider_arn" {
  description = "The serving cluster's IAM OIDC provider (IAM roles for service accounts)"
  type        = string
}

variable "oidc_issuer" {
  description = "The cluster's OIDC issuer, without https://"
  type        = string
}
