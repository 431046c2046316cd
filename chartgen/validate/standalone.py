"""Self-contained schemas: inline the `$defs` a schema needs and point its refs at them.

Both backends validate against the same standalone documents: the built-in validator compiles
them, the kubeconform export writes them to disk. Kubernetes kinds reference the shared
`/api/_definitions.json#/$defs/...`; definitions reference each other as `#/$defs/...`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

DEFINITIONS_URI = "/api/_definitions.json"
_REF_RE = re.compile(r"^(?:/api/_definitions\.json)?#/\$defs/(.+)$")


def standalone(schema: dict[str, Any], definitions: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of `schema` with every definition it (transitively) uses inlined under `$defs`."""
    needed: dict[str, Any] = {}
    root: dict[str, Any] = _localise(schema, definitions, needed)
    root.pop("$id", None)
    if needed:
        root["$defs"] = needed
    return root


def _localise(node: Any, definitions: Mapping[str, Any], needed: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        copy: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                copy[key] = _local_ref(value, definitions, needed)
            else:
                copy[key] = _localise(value, definitions, needed)
        return copy
    if isinstance(node, list):
        return [_localise(item, definitions, needed) for item in node]
    return node


def _local_ref(ref: str, definitions: Mapping[str, Any], needed: dict[str, Any]) -> str:
    match = _REF_RE.match(ref)
    if not match:
        return ref
    _collect(match.group(1), definitions, needed)
    return f"#/$defs/{match.group(1)}"


def _collect(name: str, definitions: Mapping[str, Any], needed: dict[str, Any]) -> None:
    """Add `name` and its dependencies; definitions already use local refs, so share them."""
    pending = [name]
    while pending:
        current = pending.pop()
        if current in needed or current not in definitions:
            continue
        needed[current] = definitions[current]
        pending.extend(_refs_in(definitions[current]))


def _refs_in(node: Any) -> list[str]:
    found: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            match = _REF_RE.match(ref) if isinstance(ref, str) else None
            if match:
                found.append(match.group(1))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found
