"""LLM or GPU workload autoscaled on CPU or memory only."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from chartgen.findings import Issue, Severity
from chartgen.manifests import ManifestObject
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet, Workload, mapping, sequence
from chartgen.rules.support.runtimes import runtime_of

ID = "cpu-autoscaling-for-llm"
SEVERITY = Severity.WARNING
SUMMARY = "Autoscale LLM and GPU servers on queue depth or load, not on CPU or memory"
RATIONALE = (
    "A GPU server's CPU and memory barely move with load: the GPU does the work and memory holds the "
    "weights from the start. An HPA on CPU (also the default when `metrics` is empty) never scales "
    "up, or scales on tokenizer noise; GPU utilisation (`DCGM_FI_DEV_GPU_UTIL`) saturates early "
    "(NVIDIA/dcgm-exporter#301). Queue depth (`vllm:num_requests_waiting`, `tgi_queue_size`), running "
    "requests or KV-cache usage follow the load."
)
REFERENCES = ("NVIDIA/dcgm-exporter#301", "vllm-project/production-stack#679")
FIX = "Scale on a Pods/External metric (queue depth, running requests) via prometheus-adapter or KEDA."
EXAMPLE = """\
metrics:
  - type: Pods
    pods:
      metric: {name: vllm:num_requests_waiting}
      target: {type: AverageValue, averageValue: "5"}
"""
TAGS = ("kubernetes", "ml", "gpu", "autoscaling")
DEFAULTS: dict[str, object] = {}
SCOPE = "set"
RESOURCE_METRICS = frozenset({"cpu", "memory"})


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for autoscaler in objects.of_kind("HorizontalPodAutoscaler", "ScaledObject"):
        target = objects.autoscaler_target(autoscaler)
        if target is None or not _accelerated(target, ctx):
            continue
        pointer = (
            "/spec/metrics" if autoscaler.kind == "HorizontalPodAutoscaler" else "/spec/triggers"
        )
        if _resource_only(autoscaler):
            message = f"{autoscaler.kind} scales {target.kind}/{target.obj.name} on CPU/memory only"
            yield Issue(ID, pointer, message, obj=autoscaler)


def _accelerated(workload: Workload, ctx: RuleContext) -> bool:
    runtimes = [runtime_of(workload, c, ctx) for c in workload.containers]
    return workload.gpus > 0 or any(r is not None and r.llm for r in runtimes)


def _resource_only(autoscaler: ManifestObject) -> bool:
    spec = mapping(autoscaler.data.get("spec"))
    if autoscaler.kind == "ScaledObject":
        kinds = [str(mapping(t).get("type")) for t in sequence(spec.get("triggers"))]
    else:
        kinds = [_hpa_metric(m) for m in sequence(spec.get("metrics"))] or [
            "cpu"
        ]  # HPA default: CPU 80%
    return all(kind in RESOURCE_METRICS for kind in kinds)


def _hpa_metric(metric: Any) -> str:
    item = mapping(metric)
    kind = str(item.get("type"))
    if kind in ("Resource", "ContainerResource"):
        section = mapping(item.get("resource") or item.get("containerResource"))
        return str(section.get("name"))
    return kind
