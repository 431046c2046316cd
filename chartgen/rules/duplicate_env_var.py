"""The same environment variable set twice in one container."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet

ID = "duplicate-env-var"
SEVERITY = Severity.WARNING
SUMMARY = "Each environment variable should be set once per container"
RATIONALE = (
    "When a name repeats, the last entry wins silently: a values override that appends `HF_HOME` "
    "or `NUM_SHARD` to a template that already sets it is ignored or overrides the chart's own "
    "setting. Schema validation accepts it (yannh/kubeconform#188). kube-linter `duplicate-env-var`."
)
REFERENCES = ("yannh/kubeconform#188",)
FIX = "Remove the duplicate entry; set the variable in one place."
EXAMPLE = """\
env:
  - {name: HF_HOME, value: /cache}
"""
TAGS = ("kubernetes", "correctness")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload, container in objects.containers():
        seen: set[str] = set()
        for index, item in container.env:
            name = str(item.get("name"))
            if name in seen:
                message = f"container {container.name!r} sets {name} more than once"
                yield Issue(ID, f"{container.pointer}/env/{index}", message, obj=workload.obj)
            seen.add(name)
