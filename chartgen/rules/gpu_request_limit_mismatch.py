"""GPU requested without an equal limit, or a fraction of a GPU."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.manifests import escape_pointer
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.gpus import gpu_entries
from chartgen.rules.support.objects import ObjectSet
from chartgen.rules.support.quantities import quantity

ID = "gpu-request-limit-mismatch"
SEVERITY = Severity.ERROR
SUMMARY = "GPU requests must equal GPU limits and be whole numbers"
RATIONALE = (
    "Extended resources such as GPUs cannot be overcommitted: Kubernetes accepts them only in "
    "limits, or in both requests and limits with equal values, and a container cannot ask for a "
    "fraction of a GPU. Only the API server rejects these manifests: helm lint and kubeconform pass "
    "them, so the error shows up at install time."
)
REFERENCES = ("https://kubernetes.io/docs/tasks/manage-gpus/scheduling-gpus/",)
FIX = "Set the GPU count in `resources.limits` (and, if you keep it in requests, the same whole number)."
EXAMPLE = """\
resources:
  limits:
    nvidia.com/gpu: 2
"""
TAGS = ("kubernetes", "gpu", "correctness")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload, container in objects.containers():
        requests = gpu_entries(container.resources.get("requests"))
        limits = gpu_entries(container.resources.get("limits"))
        base = f"{container.pointer}/resources"
        for name in sorted(set(requests) | set(limits)):
            pointer = f"{base}/{'limits' if name in limits else 'requests'}/{escape_pointer(name)}"
            problem = _problem(name, requests.get(name), limits.get(name))
            if problem:
                yield Issue(
                    ID, pointer, f"container {container.name!r}: {problem}", obj=workload.obj
                )


def _problem(name: str, requested: object, limited: object) -> str:
    amount = quantity(limited if limited is not None else requested)
    if amount is not None and amount != int(amount):
        return f"{name} is {amount:g}: a container cannot use a fraction of a GPU"
    if limited is None:
        return f"{name} is requested but has no limit"
    if requested is not None and quantity(requested) != amount:
        return f"{name} request {requested} differs from limit {limited}"
    return ""
