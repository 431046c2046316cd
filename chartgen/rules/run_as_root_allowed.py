"""Container allowed to run as root."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet
from chartgen.rules.support.quantities import integer
from chartgen.rules.support.security_context import effective

ID = "run-as-root-allowed"
SEVERITY = Severity.WARNING
SUMMARY = "Containers should set runAsNonRoot (pod or container level) or a non-zero runAsUser"
RATIONALE = (
    "Many CUDA and LLM images still default to root. A compromised model server (they often run "
    "without authentication and load remote code) is then root inside the container and one kernel "
    "bug away from the node. Most serving images run fine as a non-root UID with HOME on a writable "
    "path (vLLM: UID 2000, vllm-project/vllm#40275). kube-linter `run-as-non-root`, Polaris "
    "`runAsRootAllowed`; pod-level settings count (FairwindsOps/polaris#146)."
)
REFERENCES = ("vllm-project/vllm#40275", "FairwindsOps/polaris#146")
FIX = "Set `securityContext.runAsNonRoot: true` (pod level covers every container) and a non-root runAsUser."
EXAMPLE = """\
securityContext:
  runAsNonRoot: true
  runAsUser: 2000
"""
TAGS = ("kubernetes", "security")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload, container in objects.containers():
        pointer, non_root = effective(workload, container, "runAsNonRoot")
        user_pointer, user = effective(workload, container, "runAsUser")
        uid = integer(user)
        if uid == 0:
            yield Issue(
                ID, user_pointer, f"container {container.name!r} runs as UID 0", obj=workload.obj
            )
        elif non_root is not True and uid is None:
            yield Issue(
                ID,
                pointer,
                f"container {container.name!r} may run as root: no runAsNonRoot or runAsUser",
                obj=workload.obj,
            )
