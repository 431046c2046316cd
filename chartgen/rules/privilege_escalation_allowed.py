"""Container that does not forbid privilege escalation."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet

ID = "privilege-escalation-allowed"
SEVERITY = Severity.WARNING
SUMMARY = "Containers should set allowPrivilegeEscalation: false"
RATIONALE = (
    "Unless `allowPrivilegeEscalation` is false, setuid binaries in the image can gain privileges "
    "(no_new_privs is off). GPU serving needs no escalation: the device plugin injects the devices. "
    "kube-linter `privilege-escalation-container`, Polaris `privilegeEscalationAllowed`, Checkov "
    "CKV_K8S_20; the `restricted` Pod Security Standard requires it."
)
REFERENCES = ("https://kubernetes.io/docs/concepts/security/pod-security-standards/",)
FIX = "Set `securityContext.allowPrivilegeEscalation: false` on every container."
EXAMPLE = """\
securityContext:
  allowPrivilegeEscalation: false
"""
TAGS = ("kubernetes", "security")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload, container in objects.containers():
        if container.security.get("allowPrivilegeEscalation") is not False:
            field = "allowPrivilegeEscalation"
            pointer = f"{container.pointer}/securityContext" + (
                f"/{field}" if field in container.security else ""
            )
            yield Issue(
                ID,
                pointer,
                f"container {container.name!r} allows privilege escalation",
                obj=workload.obj,
            )
