"""Pod sharing the node's network, PID or IPC namespace."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet

ID = "host-namespace-shared"
SEVERITY = Severity.ERROR
SUMMARY = "Pods must not use hostNetwork, hostPID or hostIPC"
RATIONALE = (
    "Host namespaces let the pod see and reach the node's processes, IPC segments and interfaces. "
    "`hostIPC: true` is the Docker-era `--ipc=host` shortcut for NCCL's shared memory; on Kubernetes "
    "a memory-backed /dev/shm emptyDir does the same job safely (NVIDIA/nccl#525). kube-linter "
    "`host-network`/`host-pid`/`host-ipc`, Polaris `hostNetworkSet`/`hostPIDSet`/`hostIPCSet`."
)
REFERENCES = (
    "NVIDIA/nccl#525",
    "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
)
FIX = "Remove the host namespace; for NCCL use an `emptyDir: {medium: Memory}` at /dev/shm instead of hostIPC."
EXAMPLE = """\
volumes:
  - name: shm
    emptyDir: {medium: Memory, sizeLimit: 16Gi}
"""
TAGS = ("kubernetes", "security")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"
HOST_FIELDS = ("hostNetwork", "hostPID", "hostIPC")


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload in objects.workloads:
        for field in HOST_FIELDS:
            if workload.pod.get(field) is True:
                pointer = f"{workload.pod_pointer}/{field}"
                yield Issue(ID, pointer, f"{workload.kind} sets {field}: true", obj=workload.obj)
