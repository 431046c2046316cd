"""PyTorch servers run under a UID without a passwd entry and without USER set."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen import catalog
from chartgen.catalog.nodes import node_pool
from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.env import names
from chartgen.rules.support.objects import Container, ObjectSet, Workload, mapping
from chartgen.rules.support.quantities import integer
from chartgen.rules.support.runtimes import runtime_of

ID = "pytorch-runtime-without-user"
SEVERITY = Severity.ERROR
SUMMARY = "PyTorch runtimes need USER (or LOGNAME) when the UID has no passwd entry in the image"
RATIONALE = (
    "torch._inductor names its cache directory after getpass.getuser(), which falls back to "
    "pwd.getpwuid() when USER, LOGNAME, LNAME and USERNAME are unset, and raises KeyError for a "
    "UID the image's /etc/passwd does not list. That happens at import: the server crash-loops "
    "before it logs anything useful. OpenShift's restricted-v2 SCC assigns such a UID to every pod "
    "(no runAsUser), and a forced runAsUser the image does not define does the same. Without "
    "runAsUser on a platform that does not assign UIDs the image's own USER runs, which its "
    "passwd lists: not judged there. Which images import torch, which UID they define, and which "
    "platforms assign UIDs (`fixed_uid_allowed`) is catalog data."
)
REFERENCES = ("pytorch/pytorch#140765", "llm-d/llm-d-benchmark#1573", "vllm-project/vllm#44548")
FIX = "Set `USER` (and `LOGNAME`) in the container env, e.g. `USER: model-server`; keep HOME writable."
EXAMPLE = """\
env:
  - name: HOME
    value: /tmp
  - name: USER
    value: model-server
"""
TAGS = ("kubernetes", "ml", "security", "openshift", "correctness")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"
USER_VARIABLES = frozenset({"USER", "LOGNAME", "LNAME", "USERNAME"})  # getpass.getuser() order


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload in objects.serving_workloads:
        for container in workload.containers:
            runtime = runtime_of(workload, container, ctx)
            if runtime is None or not runtime.pytorch or names(container) & USER_VARIABLES:
                continue
            uid = _uid(workload, container)
            if uid == 0 or (uid is not None and uid == runtime.image_uid):
                continue
            if uid is None and not _assigns_uid(ctx):
                continue  # the image's own USER runs
            who = f"an arbitrary UID ({ctx.platform} assigns one)" if uid is None else f"UID {uid}"
            message = (
                f"container {container.name!r} ({runtime.name}) runs as {who} with no passwd "
                "entry in the image and no USER: getpass.getuser() raises at torch import"
            )
            pointer = f"{container.pointer}/env" if container.env else container.pointer
            yield Issue(ID, pointer, message, obj=workload.obj)


def _assigns_uid(ctx: RuleContext) -> bool:
    """The target platform's admission gives pods without runAsUser an arbitrary UID."""
    return (
        ctx.platform in catalog.platform_names()
        and not node_pool(ctx.platform, ctx.node_pool).fixed_uid_allowed
    )


def _uid(workload: Workload, container: Container) -> int | None:
    own = integer(container.security.get("runAsUser"))
    return (
        own
        if own is not None
        else integer(mapping(workload.pod.get("securityContext")).get("runAsUser"))
    )
