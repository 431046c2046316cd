"""Suppressing findings on one object: `chartgen.dev/ignore` plus a mandatory reason.

    metadata:
      annotations:
        chartgen.dev/ignore: "cpu-autoscaling-for-llm,topology-spread-missing"
        chartgen.dev/ignore-reason: "batch service, CPU-bound tokenizer; one zone only"

Workloads may carry them on the object or on the pod template (charts often expose only
`podAnnotations`). A suppressed finding is kept, with `suppressed_by` set, so reports can show it.
"""

from __future__ import annotations

from chartgen.manifests import ManifestObject
from chartgen.rules.support.objects import lookup, mapping, template_annotation_pointers
from chartgen.rules.support.selectors import string_map

IGNORE_ANNOTATION = "chartgen.dev/ignore"
REASON_ANNOTATION = "chartgen.dev/ignore-reason"
ALL_RULES = "*"


def annotation_sources(obj: ManifestObject) -> list[tuple[str, dict[str, str]]]:
    """(annotations pointer, annotations) of the object and of its pod template, if any."""
    sources = [
        ("/metadata/annotations", string_map(mapping(obj.data.get("metadata")).get("annotations")))
    ]
    for pointer in template_annotation_pointers(obj):
        sources.append((pointer, string_map(lookup(obj.data, pointer))))
    return sources


def ignored_ids(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def suppression(obj: ManifestObject, rule_id: str) -> str:
    """Why `rule_id` is suppressed on `obj`; "" when it is not (or the reason is missing)."""
    for _, notes in annotation_sources(obj):
        ids = ignored_ids(notes.get(IGNORE_ANNOTATION, ""))
        reason = notes.get(REASON_ANNOTATION, "").strip()
        if reason and (rule_id in ids or ALL_RULES in ids):
            return f"{IGNORE_ANNOTATION}: {reason}"
    return ""
