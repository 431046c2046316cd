"""Effective security settings: the container's securityContext over the pod's."""

from __future__ import annotations

from typing import Any

from chartgen.rules.support.objects import Container, Workload, mapping

# Fields a pod-level securityContext sets for every container (Polaris FP history: #146, #192, #874).
POD_LEVEL_FIELDS = frozenset(
    {"runAsNonRoot", "runAsUser", "runAsGroup", "seccompProfile", "seLinuxOptions"}
)


def effective(workload: Workload, container: Container, field: str) -> tuple[str, Any]:
    """(pointer, value) of a security field as the kubelet applies it; value None when unset."""
    own = container.security
    if field in own:
        return f"{container.pointer}/securityContext/{field}", own[field]
    pod = mapping(workload.pod.get("securityContext"))
    if field in POD_LEVEL_FIELDS and field in pod:
        return f"{workload.pod_pointer}/securityContext/{field}", pod[field]
    return f"{container.pointer}/securityContext" if own else container.pointer, None
