"""Workload that sets replicas while an autoscaler owns them."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet, mapping

ID = "replicas-with-autoscaler"
SEVERITY = Severity.WARNING
SUMMARY = "Do not render spec.replicas when an HPA or ScaledObject manages the workload"
RATIONALE = (
    "Every `helm upgrade` re-applies the rendered replica count and overrides the autoscaler: warm "
    "GPU replicas are killed and must load the model again when the HPA scales back up "
    "(helm/helm#7090). kube-score `deployment-targeted-by-hpa-does-not-have-replicas-configured`."
)
REFERENCES = ("helm/helm#7090",)
FIX = "Leave `spec.replicas` out of the template when autoscaling is enabled (`{{- if not .Values.autoscaling.enabled }}`)."
EXAMPLE = """\
spec:
  {{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
"""
TAGS = ("kubernetes", "autoscaling", "helm")
DEFAULTS: dict[str, object] = {}
SCOPE = "set"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload in objects.serving_workloads:
        autoscalers = objects.autoscalers_for(workload)
        if autoscalers and "replicas" in mapping(workload.obj.data.get("spec")):
            owner = f"{autoscalers[0].kind}/{autoscalers[0].name}"
            yield Issue(
                ID,
                "/spec/replicas",
                f"{workload.kind} sets replicas but {owner} manages them",
                obj=workload.obj,
            )
