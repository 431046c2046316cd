"""What a semantic check yields, and the small readers every check shares.

Defaults assumed by the checks are the ones chartgen/model applies (e.g. autoscaling engine keda
with scaleToZero); catalog facts (MIG profiles, runtime flags) come from chartgen.catalog.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from chartgen.findings import SPEC_ERROR, SPEC_WARNING, Issue, Severity

ERROR, WARNING = Severity.ERROR, Severity.WARNING
STATEFULSET_NAME_LIMIT = 52  # the controller-revision-hash label adds 11 characters to a 63 limit


def issue(severity: Severity, path: str, message: str) -> Issue:
    """A spec check's finding at a JSON path (`$.spec.replicas`); the loader places it."""
    return Issue(
        SPEC_ERROR if severity is Severity.ERROR else SPEC_WARNING, path, message, severity
    )


Check = Callable[[dict[str, Any]], Iterator[Issue]]


def get(document: dict[str, Any], dotted: str, default: Any = None) -> Any:
    """`get(doc, "spec.resources.gpu.count", 0)`: the value, or default when any part is missing."""
    node: Any = document
    for key in dotted.split("."):
        if not isinstance(node, dict) or key not in node:
            return default
        node = node[key]
    return node


def max_replicas(document: dict[str, Any]) -> int:
    """Most pods that can run at once (before a rollout adds one), as chartgen/model decides it."""
    if get(document, "spec.autoscaling.enabled", False):
        floor = int(get(document, "spec.autoscaling.minReplicas", 1))
        return int(get(document, "spec.autoscaling.maxReplicas", max(2, floor)))
    return int(get(document, "spec.replicas", 1))


def gib(quantity: Any) -> float | None:
    from chartgen.quantity import gib as to_gib

    try:
        return to_gib(quantity)
    except ValueError:
        return None
