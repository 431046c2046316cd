"""The rules of the schema stage of `chartgen lint`: what each one reports and how to fix it."""

from __future__ import annotations

from chartgen.findings import SPEC_WARNING, RuleInfo, Severity
from chartgen.validate import issues as ids

_TAGS = ("kubernetes", "schema")


SCHEMA_RULES: dict[str, RuleInfo] = {
    rule.id: rule
    for rule in (
        RuleInfo(
            SPEC_WARNING,
            Severity.WARNING,
            "The spec's fields disagree with each other",
            "A cross-field check of the chartgen spec (parallelism vs GPUs, memory vs model size, "
            "replicas vs a ReadWriteOnce cache, ...) found a combination that will misbehave.",
            "Change the spec field at the reported line.",
            tags=("chartgen", "spec"),
        ),
        RuleInfo(
            ids.RULE_SCHEMA_INVALID,
            Severity.ERROR,
            "Object does not match its Kubernetes schema",
            "A field has the wrong type, a value outside its enum, or a required field is missing; "
            "the API server would reject the object.",
            "Fix the field at the reported JSON path.",
            tags=_TAGS,
        ),
        RuleInfo(
            ids.RULE_UNKNOWN_FIELD,
            Severity.ERROR,
            "Unknown field (strict schema)",
            "The field is not in the schema: usually a typo or wrong nesting. The API server "
            "drops or rejects it (kubectl --validate=strict).",
            "Fix the spelling or indentation, or lint with --no-strict.",
            tags=_TAGS,
        ),
        RuleInfo(
            ids.RULE_SCHEMA_MISSING,
            Severity.ERROR,
            "No schema for this apiVersion/kind",
            "Neither the Kubernetes version's built-in kinds nor a known CRD define this kind, "
            "so it cannot be validated; it is never silently accepted.",
            "Pass its CustomResourceDefinition with --crd FILE|DIR, or fix apiVersion/kind.",
            tags=_TAGS,
        ),
        RuleInfo(
            ids.RULE_DUPLICATE_KEY,
            Severity.ERROR,
            "Duplicate key in a mapping",
            "YAML parsers keep the last value silently; kubectl and kubeconform -strict reject it.",
            "Remove one of the keys.",
            tags=("kubernetes", "yaml"),
        ),
        RuleInfo(
            ids.RULE_API_DEPRECATED,
            Severity.WARNING,
            "Deprecated apiVersion",
            "The apiVersion still works in the target Kubernetes version but is scheduled for "
            "removal.",
            "Migrate to the replacement apiVersion named in the message.",
            ("https://kubernetes.io/docs/reference/using-api/deprecation-guide/",),
            ("kubernetes", "deprecation"),
        ),
        RuleInfo(
            ids.RULE_API_REMOVED,
            Severity.ERROR,
            "Removed apiVersion",
            "The target Kubernetes version no longer serves this apiVersion: installs fail.",
            "Migrate to the replacement apiVersion named in the message.",
            ("https://kubernetes.io/docs/reference/using-api/deprecation-guide/",),
            ("kubernetes", "deprecation"),
        ),
        RuleInfo(
            ids.RULE_OBJECT_INVALID,
            Severity.ERROR,
            "Not a Kubernetes object",
            "A document is not a mapping, or lacks a string apiVersion or kind.",
            "Give every document apiVersion and kind, or remove it.",
            tags=_TAGS,
        ),
        RuleInfo(
            ids.RULE_HELM_RENDER,
            Severity.ERROR,
            "Chart fails to render",
            "Helm could not render the chart with these values (template error, `required`, "
            "`fail`, or values.schema.json).",
            "Fix the template or values at the reported line.",
            tags=("helm",),
        ),
        RuleInfo(
            ids.RULE_YAML_SYNTAX,
            Severity.ERROR,
            "Invalid YAML",
            "A manifest, or a document a template rendered, is not valid YAML.",
            "Fix the YAML (often indentation of an included block).",
            tags=("yaml",),
        ),
        RuleInfo(
            ids.RULE_VALIDATOR_ERROR,
            Severity.ERROR,
            "The validator could not process the object",
            "kubeconform reported an error that is not a schema violation.",
            "Read the message; rerun with --validator builtin to compare.",
            tags=_TAGS,
        ),
        RuleInfo(
            ids.RULE_INPUT_REFUSED,
            Severity.ERROR,
            "Chart would make lint read outside its inputs",
            "A values.schema.json refers outside itself ($ref or $schema to an http(s) or file "
            "URL, which Helm would fetch) or a symbolic link leaves the chart. chartgen lint "
            "reads no network and no file outside its inputs: Helm gets the chart without it.",
            "Inline the referenced schema (definitions/$defs with #/ references); replace the "
            "link with the file.",
            tags=("helm", "security"),
        ),
        RuleInfo(
            ids.RULE_HELM_RENDER_LIMIT,
            Severity.ERROR,
            "Chart render exceeds its bounds",
            "Rendering the chart ran past the time or memory limit of one render "
            "(--render-timeout, --render-memory) or produced more output than a manifest may "
            "hold: a template loops or allocates without end.",
            "Fix the template (repeat, until, a range over a huge list), or raise the limit.",
            tags=("helm",),
        ),
        RuleInfo(
            ids.RULE_HELM_WARNING,
            Severity.WARNING,
            "Helm warned while rendering",
            "Helm printed a warning while rendering the chart with these values, most often a "
            "value of the wrong shape that it skipped ('cannot overwrite table with non table', "
            "'skipped value ... Not a table'): the template then renders the chart's default, "
            "not what the values file says. Reported here instead of on stderr.",
            "Give the value the shape the chart's values.yaml has (a map for a map).",
            ("https://github.com/helm/helm/blob/v3.17.0/pkg/chartutil/coalesce.go",),
            ("helm",),
        ),
        RuleInfo(
            ids.RULE_DEPENDENCY_MISSING,
            Severity.WARNING,
            "Enabled chart dependency missing from charts/",
            "Chart.yaml declares a dependency that the values enable (its condition or tags), "
            "but charts/ does not hold it. `helm lint` warns 'chart directory is missing these "
            "dependencies', `helm install`/`template` refuse the chart ('found in Chart.yaml, "
            "but missing in charts/ directory'); its objects are not linted.",
            "Run `helm dependency build` before linting, or disable the dependency "
            "(e.g. --set NAME.enabled=false when its condition is NAME.enabled).",
            (
                "https://github.com/helm/helm/blob/v3.17.0/pkg/lint/rules/dependencies.go",
                "https://github.com/helm/helm/blob/v3.17.0/pkg/action/dependency.go",
            ),
            ("helm",),
        ),
    )
}
