"""Container that keeps the default Linux capabilities."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet, lookup, sequence

ID = "capabilities-not-dropped"
SEVERITY = Severity.WARNING
SUMMARY = "Containers should drop ALL capabilities"
RATIONALE = (
    "Container runtimes grant a default capability set (NET_RAW, CHOWN, SETUID, ...). Model servers "
    "need none of them; dropping ALL removes, for example, raw sockets for ARP spoofing. kube-linter "
    "`drop-net-raw-capability`, Polaris `insecureCapabilities`, Checkov CKV_K8S_28/37; required by the "
    "`restricted` Pod Security Standard."
)
REFERENCES = ("https://kubernetes.io/docs/concepts/security/pod-security-standards/",)
FIX = "Set `securityContext.capabilities.drop: [ALL]` and add back only what is needed."
EXAMPLE = """\
securityContext:
  capabilities:
    drop: [ALL]
"""
TAGS = ("kubernetes", "security")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload, container in objects.containers():
        dropped = {
            str(c).upper() for c in sequence(lookup(container.security, "/capabilities/drop"))
        }
        if "ALL" not in dropped:
            pointer = (
                f"{container.pointer}/securityContext" if container.security else container.pointer
            )
            yield Issue(
                ID,
                pointer,
                f"container {container.name!r} does not drop ALL capabilities",
                obj=workload.obj,
            )
