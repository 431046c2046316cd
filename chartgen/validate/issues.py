"""What the schema backends report per object, before locations are attached."""

from __future__ import annotations

from chartgen.findings import Issue, Severity

__all__ = ["Issue", "Severity"]

RULE_SCHEMA_INVALID = "schema-invalid"
RULE_UNKNOWN_FIELD = "schema-unknown-field"
RULE_SCHEMA_MISSING = "schema-missing"
RULE_DUPLICATE_KEY = "duplicate-key"
RULE_API_DEPRECATED = "api-deprecated"
RULE_API_REMOVED = "api-removed"
RULE_OBJECT_INVALID = "object-invalid"
RULE_HELM_RENDER = "helm-render"
RULE_YAML_SYNTAX = "yaml-syntax"
RULE_VALIDATOR_ERROR = "validator-error"
RULE_INPUT_REFUSED = "input-refused"
RULE_HELM_RENDER_LIMIT = "helm-render-limit"
RULE_HELM_WARNING = "helm-warning"
RULE_DEPENDENCY_MISSING = "chart-dependency-missing"


def missing_schema(api_version: str, kind: str, version: str) -> Issue:
    return Issue(
        RULE_SCHEMA_MISSING,
        "",
        f"no schema for {kind} ({api_version}) in Kubernetes {version} or the known CRDs",
        remediation="pass the CustomResourceDefinition with --crd FILE|DIR, or fix apiVersion/kind",
    )


def unknown_field(pointer: str, field: str) -> Issue:
    return Issue(RULE_UNKNOWN_FIELD, f"{pointer}/{escape_token(field)}", f"unknown field {field!r}")


def escape_token(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")
