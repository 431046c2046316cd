"""Container without CPU request, memory request or memory limit."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet, mapping

ID = "container-resources-missing"
SEVERITY = Severity.WARNING
SUMMARY = "Containers need a CPU request, a memory request and a memory limit"
RATIONALE = (
    "Without requests the scheduler packs pods blindly and the container is first to be evicted; "
    "GPU servers still need real CPU for tokenisation and scheduling. Without a memory limit an "
    "unbounded loader can wedge the node (defilantech/LLMKube#1724). CPU limits are left out on "
    "purpose: they throttle latency-sensitive servers (zegl/kube-score#30). Matches kube-linter "
    "`unset-cpu-requirements`/`unset-memory-requirements`, Polaris `*RequestsMissing`, kube-score "
    "`container-resources`. A request left out where the limit is set is not missing: Kubernetes "
    "copies the limit into the request (kubernetes.io, Resource Management for Pods and "
    "Containers: 'If you specify a limit for a resource, but do not specify any request ... "
    "Kubernetes copies the limit you specified and uses it as the requested value')."
)
REFERENCES = (
    "defilantech/LLMKube#1724",
    "zegl/kube-score#30",
    "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#requests-and-limits",
)
FIX = "Set `resources.requests.cpu`, `resources.requests.memory` and `resources.limits.memory`."
EXAMPLE = """\
resources:
  requests: {cpu: "4", memory: 40Gi}
  limits: {memory: 40Gi}
"""
TAGS = ("kubernetes", "resources", "reliability")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"
REQUIRED = (("requests", "cpu"), ("requests", "memory"), ("limits", "memory"))


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload, container in objects.containers():
        resources = container.resources
        limits = mapping(resources.get("limits"))
        missing = [
            f"{section}.{name}"
            for section, name in REQUIRED
            if name not in mapping(resources.get(section))
            and not (section == "requests" and name in limits)  # the request defaults to it
        ]
        if missing:
            pointer = (
                f"{container.pointer}/resources"
                if "resources" in container.data
                else container.pointer
            )
            message = f"container {container.name!r} sets no {', '.join(missing)}"
            yield Issue(ID, pointer, message, obj=workload.obj)
