"""What object-scoped rules (SCOPE "object") reported about each object, kept across the renders of
one chart: its values variants mostly render the same documents, which lint parses once into the
same objects (identity), so those objects are rule-checked once."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from chartgen.findings import Issue
from chartgen.manifests import ManifestObject
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet
from chartgen.rules.support.rule import Rule

ObjectIssues = list[tuple[Rule, Issue]]


@dataclass
class _Entry:
    obj: ManifestObject  # held, so its id() is not reused while the entry lives
    context: RuleContext
    issues: ObjectIssues


@dataclass
class RuleMemo:
    """Shared by the variant renders of one chart (threads may fill it at once: a race only
    checks an object twice, with the same result)."""

    _entries: dict[int, _Entry] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def issues(
        self, objects: Sequence[ManifestObject], context: RuleContext, rules: Sequence[Rule]
    ) -> ObjectIssues:
        """The rules' issues about `objects`, checking only objects not seen before."""
        key = dataclasses.replace(context, default_values=True)  # object rules do not read it
        known: dict[int, ObjectIssues] = {}
        for obj in objects:
            entry = self._entries.get(id(obj))
            if entry is not None and entry.obj is obj and entry.context == key:
                known[id(obj)] = entry.issues
        fresh = [obj for obj in objects if id(obj) not in known]
        if fresh:
            known.update(self._check(fresh, objects, context, key, rules))
        return [pair for obj in objects for pair in known[id(obj)]]

    def _check(
        self,
        fresh: list[ManifestObject],
        objects: Sequence[ManifestObject],
        context: RuleContext,
        key: RuleContext,
        rules: Sequence[Rule],
    ) -> dict[int, ObjectIssues]:
        view = ObjectSet(fresh, among=objects)
        found: dict[int, ObjectIssues] = {id(obj): [] for obj in fresh}
        for rule in rules:
            for issue in rule.check(view, context):
                reported = found.get(id(issue.obj))
                if reported is None:
                    raise ValueError(f"object-scoped rule {rule.ID} reported on another object")
                reported.append((rule, issue))
        with self._lock:
            for obj in fresh:
                if not view.reads_others(obj):
                    self._entries[id(obj)] = _Entry(obj, key, found[id(obj)])
        return found
