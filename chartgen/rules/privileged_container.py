"""Privileged container."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet

ID = "privileged-container"
SEVERITY = Severity.ERROR
SUMMARY = "Containers must not run privileged (GPUs do not need it)"
RATIONALE = (
    "A privileged container has every device and capability of the node. It is a common shortcut to "
    "'make the GPU work', but with the device plugin (or DRA) the allocated GPUs are injected into an "
    "unprivileged container, and privileged mode exposes every GPU of the node to the pod. "
    "kube-linter `privileged-container`, Polaris `runAsPrivileged`, Checkov CKV_K8S_16."
)
REFERENCES = (
    "https://kubernetes.io/docs/tasks/manage-gpus/scheduling-gpus/",
    "NVIDIA/k8s-device-plugin#61",
)
FIX = "Remove `privileged: true` and request GPUs through `resources.limits`."
EXAMPLE = """\
securityContext:
  privileged: false
"""
TAGS = ("kubernetes", "security", "gpu")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload, container in objects.containers():
        if container.security.get("privileged") is True:
            pointer = f"{container.pointer}/securityContext/privileged"
            yield Issue(
                ID, pointer, f"container {container.name!r} runs privileged", obj=workload.obj
            )
