"""`chartgen.dev/ignore` without a reason, or naming an unknown rule."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.manifests import escape_pointer
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet
from chartgen.rules.support.suppressions import (
    ALL_RULES,
    IGNORE_ANNOTATION,
    REASON_ANNOTATION,
    annotation_sources,
    ignored_ids,
)

ID = "invalid-suppression"
SEVERITY = Severity.ERROR
SUMMARY = "Suppressions need a `chartgen.dev/ignore-reason` and must name existing rules"
RATIONALE = (
    "A suppression without a reason cannot be reviewed, and one naming a misspelt rule suppresses "
    "nothing while looking as if it did (stackrox/kube-linter#423). A suppression without a reason "
    "is not applied. This rule itself cannot be suppressed."
)
REFERENCES = ("stackrox/kube-linter#423", "stackrox/kube-linter#487")
FIX = "Add `chartgen.dev/ignore-reason: <why>` next to `chartgen.dev/ignore`, and use ids from `chartgen rules`."
EXAMPLE = """\
metadata:
  annotations:
    chartgen.dev/ignore: topology-spread-missing
    chartgen.dev/ignore-reason: single-zone GPU pool
"""
TAGS = ("chartgen",)
DEFAULTS: dict[str, object] = {}
SCOPE = "object"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    from chartgen.rules.support.registry import RULE_IDS  # the registry imports this module

    for obj in objects.objects:
        for pointer, notes in annotation_sources(obj):
            if IGNORE_ANNOTATION not in notes:
                continue
            at = f"{pointer}/{escape_pointer(IGNORE_ANNOTATION)}"
            if not notes.get(REASON_ANNOTATION, "").strip():
                yield Issue(
                    ID,
                    at,
                    f"{IGNORE_ANNOTATION} has no {REASON_ANNOTATION}: the suppression is not applied",
                    obj=obj,
                )
            for rule_id in ignored_ids(notes[IGNORE_ANNOTATION]):
                if rule_id != ALL_RULES and rule_id not in RULE_IDS:
                    yield Issue(
                        ID, at, f"{IGNORE_ANNOTATION} names unknown rule {rule_id!r}", obj=obj
                    )
