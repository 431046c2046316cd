"""Container that adds a dangerous Linux capability."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet, lookup, sequence

ID = "dangerous-capability-added"
SEVERITY = Severity.ERROR
SUMMARY = "Containers must not add SYS_ADMIN, NET_ADMIN, ALL or similar capabilities"
RATIONALE = (
    "These capabilities amount to root on the node (SYS_ADMIN, SYS_MODULE, SYS_PTRACE, NET_ADMIN, "
    "BPF, ALL). IPC_LOCK is allowed by default because RDMA/GPUDirect needs to pin memory. Polaris "
    "`dangerousCapabilities`, Checkov CKV_K8S_39, kubescape C-0046."
)
REFERENCES = ("https://kubernetes.io/docs/concepts/security/pod-security-standards/",)
FIX = "Remove the capability from `capabilities.add`; grant only what the workload demonstrably needs."
EXAMPLE = """\
securityContext:
  capabilities:
    drop: [ALL]
    add: [IPC_LOCK]   # RDMA only
"""
TAGS = ("kubernetes", "security")
DEFAULTS: dict[str, object] = {
    "forbidden": [
        "ALL",
        "SYS_ADMIN",
        "SYS_MODULE",
        "SYS_PTRACE",
        "SYS_RAWIO",
        "NET_ADMIN",
        "BPF",
        "PERFMON",
        "DAC_READ_SEARCH",
    ]
}
SCOPE = "object"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    forbidden = {str(c).upper() for c in ctx.options(ID, DEFAULTS)["forbidden"]}
    for workload, container in objects.containers():
        for index, capability in enumerate(
            sequence(lookup(container.security, "/capabilities/add"))
        ):
            name = str(capability).upper().removeprefix("CAP_")
            if name in forbidden:
                pointer = f"{container.pointer}/securityContext/capabilities/add/{index}"
                yield Issue(
                    ID,
                    pointer,
                    f"container {container.name!r} adds capability {name}",
                    obj=workload.obj,
                )
