"""Label selectors: Service-style maps and LabelSelector objects (matchLabels + matchExpressions)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

_OPERATORS: dict[str, Callable[[Mapping[str, str], str, list[str]], bool]] = {
    "In": lambda labels, key, values: key in labels and labels[key] in values,
    "NotIn": lambda labels, key, values: key not in labels or labels[key] not in values,
    "Exists": lambda labels, key, values: key in labels,
    "DoesNotExist": lambda labels, key, values: key not in labels,
}


def string_map(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        return {}
    return {str(k): str(v) for k, v in value.items()}


def map_matches(selector: Mapping[str, str], labels: Mapping[str, str]) -> bool:
    """A Service selector: every pair present. An empty selector selects nothing here."""
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def label_selector_matches(selector: Any, labels: Mapping[str, str]) -> bool:
    """A LabelSelector; an empty one selects every pod (PDB, NetworkPolicy semantics)."""
    if not isinstance(selector, Mapping):
        return False
    wanted = string_map(selector.get("matchLabels"))
    if any(labels.get(k) != v for k, v in wanted.items()):
        return False
    expressions = selector.get("matchExpressions") or []
    return all(
        _expression_matches(expr, labels) for expr in expressions if isinstance(expr, Mapping)
    )


def _expression_matches(expression: Mapping[str, Any], labels: Mapping[str, str]) -> bool:
    check = _OPERATORS.get(str(expression.get("operator")))
    values = [str(v) for v in expression.get("values") or []]
    return check is not None and check(labels, str(expression.get("key")), values)
