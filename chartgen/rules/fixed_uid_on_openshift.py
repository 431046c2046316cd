"""Pods that fix their UID on a platform whose admission assigns UIDs."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen import catalog
from chartgen.catalog.nodes import node_pool
from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet, mapping

ID = "fixed-uid-on-openshift"
SEVERITY = Severity.ERROR
SUMMARY = "Pods must not set runAsUser where the platform assigns the UID (OpenShift restricted-v2)"
RATIONALE = (
    "OpenShift's default restricted-v2 SecurityContextConstraint admits only UIDs from the "
    "namespace's range (openshift.io/sa.scc.uid-range) and assigns one itself. A pod - often the "
    "helm test pod - that sets `runAsUser: 65534` or `1000` is rejected at creation: the release "
    "or its test fails. Whether a platform assigns UIDs is catalog data (`fixed_uid_allowed`)."
)
REFERENCES = (
    "https://docs.openshift.com/container-platform/latest/authentication/managing-security-context-constraints.html",
)
FIX = "Leave runAsUser (and runAsGroup, fsGroup) unset on that platform; keep runAsNonRoot: true."
EXAMPLE = """\
securityContext:
  runAsNonRoot: true
  seccompProfile: {type: RuntimeDefault}
"""
TAGS = ("kubernetes", "security", "openshift", "portability")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    if (
        ctx.platform not in catalog.platform_names()
        or node_pool(ctx.platform, ctx.node_pool).fixed_uid_allowed
    ):
        return
    for workload in objects.workloads:
        pod_uid = mapping(workload.pod.get("securityContext")).get("runAsUser")
        if pod_uid is not None:
            pointer = f"{workload.pod_pointer}/securityContext/runAsUser"
            yield Issue(
                ID, pointer, _message(workload.kind, pod_uid, ctx.platform), obj=workload.obj
            )
        for container in workload.all_containers:
            uid = container.security.get("runAsUser")
            if uid is not None:
                pointer = f"{container.pointer}/securityContext/runAsUser"
                yield Issue(
                    ID, pointer, _message(workload.kind, uid, ctx.platform), obj=workload.obj
                )


def _message(kind: str, uid: object, platform: str) -> str:
    return f"{kind} fixes runAsUser {uid}; {platform} assigns the UID and rejects this one"
