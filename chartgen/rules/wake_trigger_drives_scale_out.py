"""A KEDA wake-from-zero trigger that also drives scale-out."""

from __future__ import annotations

import re
from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet, mapping, sequence
from chartgen.rules.support.quantities import quantity

ID = "wake-trigger-drives-scale-out"
SEVERITY = Severity.WARNING
SUMMARY = "A scale-from-zero trigger must be bounded so it only wakes the service"
RATIONALE = (
    "KEDA scales to the largest replica count any trigger asks for: value / threshold. A trigger "
    "added to wake a service from zero (request rate with threshold 1, say) keeps voting after "
    "the wake-up: 3 requests/s asks for 3 GPU replicas whatever the queue-depth trigger says. "
    "Bound the wake trigger's query to 0/1 (`max(... > bool 1)`, `clamp_max(..., 1)`) so it never "
    "asks for more than one replica."
)
REFERENCES = (
    "https://keda.sh/docs/latest/concepts/scaling-deployments/#activating-and-scaling-thresholds",
    "https://keda.sh/docs/latest/scalers/prometheus/",
)
FIX = "Bound the wake trigger's query to 0 or 1, or drop it and scale on one signal."
EXAMPLE = """\
triggers:
  - type: prometheus
    metadata:
      query: sum(vllm:num_requests_waiting)
      threshold: "5"
  - type: prometheus
    metadata:
      query: max((sum(rate(envoy_cluster_upstream_rq_total[2m]))) > bool 1)
      threshold: "1"
      activationThreshold: "0"
"""
TAGS = ("kubernetes", "ml", "autoscaling", "cost")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"
BOUNDED = re.compile(r">\s*bool\b|<\s*bool\b|==\s*bool\b|clamp_max\s*\(|\bclamp\s*\(")


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for scaled in objects.of_kind("ScaledObject"):
        spec = mapping(scaled.data.get("spec"))
        triggers = sequence(spec.get("triggers"))
        if quantity(spec.get("minReplicaCount")) != 0 or len(triggers) < 2:
            continue
        for index, trigger in enumerate(triggers):
            meta = mapping(mapping(trigger).get("metadata"))
            if "activationThreshold" not in meta or BOUNDED.search(str(meta.get("query", ""))):
                continue
            message = (
                f"ScaledObject {scaled.name!r} trigger {index} wakes from zero but its unbounded "
                f"query / threshold {meta.get('threshold')} also sets the replica count"
            )
            yield Issue(ID, f"/spec/triggers/{index}/metadata/query", message, obj=scaled)
