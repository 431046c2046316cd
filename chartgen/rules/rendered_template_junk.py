"""Go template artefacts (`<no value>`, `<nil>`, `%!s(...)`, `map[...]`) in rendered values."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from chartgen.findings import Issue, Severity
from chartgen.manifests import escape_pointer
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet

ID = "rendered-template-junk"
SEVERITY = Severity.ERROR
SUMMARY = "Rendered manifests must not contain `<no value>`, `<nil>`, `%!verb(` or `map[` artefacts"
RATIONALE = (
    "A template that prints a missing value renders `<no value>` (or `<nil>` through toString), a "
    "printf with a wrong type renders `%!s(int=3)`, and a map printed as a string renders "
    "`map[key:value]`. The result is valid YAML, so `helm lint --strict` and kubeconform pass it; "
    "a `<nil>` rendered into a Secret broke every authenticated image push "
    "(wso2/agent-manager PR #1476)."
)
REFERENCES = ("wso2/agent-manager#1476",)
FIX = "Set the missing value or guard the template with `required`/`default`; print maps with `toYaml`."
EXAMPLE = """\
image: {{ required "image.repository is required" .Values.image.repository }}
"""
TAGS = ("helm", "correctness")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"
JUNK = re.compile(r"<no value>|<nil>|%!\w?\(|\bmap\[[^\]\s]*:")
MARKERS = ("<no value>", "<nil>", "%!", "map[")  # what every JUNK match contains


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for obj in objects.objects:
        dumped = json.dumps(obj.data)
        if not any(marker in dumped for marker in MARKERS) or not JUNK.search(dumped):
            continue  # C-speed substring scans first; walk only suspects
        for pointer, text in _strings(obj.data, ""):
            found = JUNK.search(text)
            if found:
                yield Issue(
                    ID,
                    pointer,
                    f"rendered value contains {found.group(0)!r}: a template printed a missing or wrong value",
                    obj=obj,
                )


def _strings(data: Any, pointer: str) -> Iterator[tuple[str, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            child = f"{pointer}/{escape_pointer(str(key))}"
            yield child, str(key)
            yield from _strings(value, child)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, f"{pointer}/{index}")
    elif isinstance(data, str):
        yield pointer, data
