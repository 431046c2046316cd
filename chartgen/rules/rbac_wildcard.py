"""Roles granting `*` verbs, resources or API groups."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet, mapping, sequence

ID = "rbac-wildcard"
SEVERITY = Severity.WARNING
SUMMARY = "Roles and ClusterRoles should name their verbs, resources and API groups, not `*`"
RATIONALE = (
    "A `*` grants everything that exists now and everything added later: `verbs: ['*']` includes "
    "escalate, bind, impersonate and delete; `resources: ['*']` includes secrets; a wildcard on "
    "pods/exec is a shell in every pod of the namespace. The Kubernetes RBAC good practices ask to "
    "avoid wildcards ('Avoid providing wildcard permissions when possible, especially to all "
    "resources'). kube-linter `wildcard-in-rules`. All verbs of subresources only (pods/exec "
    "serves create and get) grant nothing more than naming them: not reported."
)
REFERENCES = (
    "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege",
    "https://docs.kubelinter.io/#/generated/checks?id=wildcard-in-rules",
)
FIX = "List the verbs, resources and API groups the controller uses (`kubectl auth can-i --list`)."
EXAMPLE = """\
rules:
  - apiGroups: [""]
    resources: [pods]
    verbs: [get, list, watch]
"""
TAGS = ("kubernetes", "security", "rbac")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"
FIELDS = ("verbs", "resources", "apiGroups")


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for role in objects.of_kind("Role", "ClusterRole"):
        for index, rule in enumerate(sequence(role.data.get("rules"))):
            for field in FIELDS:
                values = sequence(mapping(rule).get(field))
                if "*" in values and not (field == "verbs" and _subresources_only(rule)):
                    pointer = f"/rules/{index}/{field}/{values.index('*')}"
                    message = f"{role.kind} {role.name!r} rule {index} grants {field} '*'"
                    yield Issue(ID, pointer, message, obj=role)


def _subresources_only(rule: object) -> bool:
    resources = sequence(mapping(rule).get("resources"))
    return bool(resources) and all("/" in str(r) and "*" not in str(r) for r in resources)
