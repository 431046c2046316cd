"""Scale to zero on a metric only the (absent) pods can report."""

from __future__ import annotations

import re
from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.manifests import ManifestObject
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet, mapping, sequence
from chartgen.rules.support.quantities import integer

ID = "scale-to-zero-without-activation"
SEVERITY = Severity.ERROR
SUMMARY = "Scaling to zero needs an activation metric that exists while no pod runs"
RATIONALE = (
    "With zero replicas no engine exports `vllm:num_requests_waiting` or `tgi_queue_size`, so a "
    "ScaledObject whose every trigger queries the served pods' own metrics (or CPU/memory, which "
    "cannot scale from zero at all) never wakes the service (vllm-project/production-stack PR #679). "
    "An activation trigger on a metric from the gateway, router or queue in front is needed."
)
REFERENCES = (
    "vllm-project/production-stack#679",
    "https://keda.sh/docs/latest/concepts/scaling-deployments/#activating-and-scaling-thresholds",
)
FIX = "Add a trigger on a metric the gateway/router reports (requests arriving), or keep minReplicaCount >= 1."
EXAMPLE = """\
minReplicaCount: 0
triggers:
  - type: prometheus
    metadata:
      query: sum(rate(gateway_requests_total{service="llm"}[1m]))
      threshold: "1"
      activationThreshold: "0"
"""
TAGS = ("kubernetes", "ml", "autoscaling")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"
# Metrics exported by the serving pods themselves (they vanish at zero replicas).
POD_METRIC = re.compile(r"\b(vllm:|sglang:|tgi_|nv_inference_|nv_gpu_|num_requests_|DCGM_FI_)")


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for scaled_object in objects.of_kind("ScaledObject"):
        spec = mapping(scaled_object.data.get("spec"))
        minimum = integer(spec.get("minReplicaCount"))
        if (0 if minimum is None else minimum) == 0 and not _can_activate(scaled_object):
            pointer = "/spec/minReplicaCount" if "minReplicaCount" in spec else "/spec"
            yield Issue(
                ID,
                pointer,
                "scales to zero but no trigger can see demand while no pod runs",
                obj=scaled_object,
            )


def _can_activate(scaled_object: ManifestObject) -> bool:
    for trigger in sequence(mapping(scaled_object.data.get("spec")).get("triggers")):
        item = mapping(trigger)
        kind = str(item.get("type"))
        query = str(mapping(item.get("metadata")).get("query") or "")
        if kind in ("cpu", "memory"):
            continue
        if kind != "prometheus" or not POD_METRIC.search(query):
            return True
    return False
