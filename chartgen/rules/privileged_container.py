"""Privileged container."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet
from chartgen.rules.support.violation import Violation

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


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Violation]:
    for workload, container in objects.containers():
        if container.security.get("privileged") is True:
            pointer = f"{container.pointer}/securityContext/privileged"
            yield Violation(workload.obj, pointer, f"container {container.name!r} runs privileged")
