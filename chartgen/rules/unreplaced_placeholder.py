"""Placeholders of a values file or a README rendered into a container as if they were values."""

from __future__ import annotations

import re
from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import Container, ObjectSet

ID = "unreplaced-placeholder"
SEVERITY = Severity.ERROR
SUMMARY = "Container images, env values and arguments must not hold unreplaced placeholders"
RATIONALE = (
    "Example values files mark what the user must fill in: `< Replace with your token >`, "
    "`<YOUR HF TOKEN>`, `YOUR_API_KEY`, `changeme`, `TODO`. Left in place they render into a "
    "manifest that installs cleanly and then fails at run time: an image that cannot be pulled, "
    "a token the hub rejects (401 on the gated model), a model path that does not exist. No "
    "schema can tell; the patterns are narrow on purpose (angle brackets around an instruction, "
    "YOUR_ in capitals, change-me, or a value that starts with TODO/FIXME/TBD) so ordinary text "
    "such as a shell comment is not taken for one."
)
REFERENCES = ("https://helm.sh/docs/chart_best_practices/values/",)
FIX = "Set the value (e.g. --set or a values file of your own), or leave it empty and unset."
EXAMPLE = """\
env:
  - name: HF_TOKEN
    valueFrom:
      secretKeyRef: {name: hf-token, key: token}
"""
TAGS = ("kubernetes", "correctness")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"
PLACEHOLDERS = (
    re.compile(r"<\s*(replace|your|insert|enter|put|fill|add|set)\b[^<>]*>", re.IGNORECASE),
    re.compile(r"\bYOUR_[A-Z0-9_]+\b"),
    re.compile(r"\bchange[_-]?me\b", re.IGNORECASE),
    re.compile(r"^\s*(TODO|FIXME|TBD)\b"),
)


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload, container in objects.containers():
        for pointer, what, text in _fields(container):
            found = placeholder(text)
            if found:
                message = (
                    f"container {container.name!r} {what} holds the placeholder {found!r}: "
                    "it was never replaced with a real value"
                )
                yield Issue(ID, pointer, message, obj=workload.obj)


def placeholder(text: str) -> str | None:
    for pattern in PLACEHOLDERS:
        match = pattern.search(text)
        if match:
            return match.group(0).strip()
    return None


def _fields(container: Container) -> Iterator[tuple[str, str, str]]:
    yield f"{container.pointer}/image", "image", container.image
    for index, item in container.env:
        value = item.get("value")
        if isinstance(value, str):
            name = item.get("name")
            yield f"{container.pointer}/env/{index}/value", f"env {name}", value
    for pointer, word in container.argv:
        yield pointer, "command line", word
