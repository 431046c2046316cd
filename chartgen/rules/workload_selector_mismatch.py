"""Workload selector that does not match its own pod template labels."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet, lookup
from chartgen.rules.support.selectors import label_selector_matches

ID = "workload-selector-mismatch"
SEVERITY = Severity.ERROR
SUMMARY = "A workload's spec.selector must match its pod template labels"
RATIONALE = (
    "The API server rejects a Deployment, StatefulSet or DaemonSet whose selector does not match its "
    "template (`selector does not match template labels`); helm lint and kubeconform accept it. "
    "A missing selector is left to schema validation. kube-linter `mismatching-selector`, kube-score `*-pod-selector-labels-match-template-metadata-labels`."
)
REFERENCES = ("https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#selector",)
FIX = "Use the same selector labels in `spec.selector.matchLabels` and `spec.template.metadata.labels`."
EXAMPLE = """\
selector:
  matchLabels: {app.kubernetes.io/name: llm}
template:
  metadata:
    labels: {app.kubernetes.io/name: llm}
"""
TAGS = ("kubernetes", "correctness")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"
SELECTING_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet")


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload in objects.of_kind_workloads(*SELECTING_KINDS):
        selector = lookup(workload.obj.data, "/spec/selector")
        if selector is not None and not label_selector_matches(selector, workload.labels):
            yield Issue(
                ID,
                "/spec/selector",
                f"{workload.kind} selector does not match its pod template labels",
                obj=workload.obj,
            )
