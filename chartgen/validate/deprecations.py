"""Deprecated and removed apiVersions, from the Kubernetes deprecated API migration guide.

Data, not logic: one row per (apiVersion, kind) with the release that deprecated it, the release
that stopped serving it (None: still served) and what to use instead (None: nothing).
Source: https://kubernetes.io/docs/reference/using-api/deprecation-guide/ (cross-checked with
Pluto's versions.yaml).
"""

from __future__ import annotations

from dataclasses import dataclass

from chartgen.findings import Severity
from chartgen.validate.issues import RULE_API_DEPRECATED, RULE_API_REMOVED, Issue
from chartgen.validate.versions import KubeVersion

GUIDE_URL = "https://kubernetes.io/docs/reference/using-api/deprecation-guide/"


@dataclass(frozen=True)
class Deprecation:
    api_version: str
    kinds: tuple[str, ...]
    deprecated_in: str
    removed_in: str | None
    replacement: str | None  # apiVersion (or apiVersion/Kind when the kind changes)


DEPRECATIONS: tuple[Deprecation, ...] = (
    Deprecation(
        "extensions/v1beta1", ("Deployment", "DaemonSet", "ReplicaSet"), "1.9", "1.16", "apps/v1"
    ),
    Deprecation("extensions/v1beta1", ("NetworkPolicy",), "1.9", "1.16", "networking.k8s.io/v1"),
    Deprecation("extensions/v1beta1", ("PodSecurityPolicy",), "1.10", "1.16", "policy/v1beta1"),
    Deprecation("extensions/v1beta1", ("Ingress",), "1.14", "1.22", "networking.k8s.io/v1"),
    Deprecation(
        "apps/v1beta1", ("Deployment", "StatefulSet", "ReplicaSet"), "1.9", "1.16", "apps/v1"
    ),
    Deprecation(
        "apps/v1beta2",
        ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"),
        "1.9",
        "1.16",
        "apps/v1",
    ),
    Deprecation(
        "admissionregistration.k8s.io/v1beta1",
        ("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"),
        "1.16",
        "1.22",
        "admissionregistration.k8s.io/v1",
    ),
    Deprecation(
        "apiextensions.k8s.io/v1beta1",
        ("CustomResourceDefinition",),
        "1.16",
        "1.22",
        "apiextensions.k8s.io/v1",
    ),
    Deprecation(
        "apiregistration.k8s.io/v1beta1",
        ("APIService",),
        "1.19",
        "1.22",
        "apiregistration.k8s.io/v1",
    ),
    Deprecation(
        "authentication.k8s.io/v1beta1",
        ("TokenReview",),
        "1.19",
        "1.22",
        "authentication.k8s.io/v1",
    ),
    Deprecation(
        "authorization.k8s.io/v1beta1",
        (
            "SubjectAccessReview",
            "LocalSubjectAccessReview",
            "SelfSubjectAccessReview",
            "SelfSubjectRulesReview",
        ),
        "1.19",
        "1.22",
        "authorization.k8s.io/v1",
    ),
    Deprecation(
        "certificates.k8s.io/v1beta1",
        ("CertificateSigningRequest",),
        "1.19",
        "1.22",
        "certificates.k8s.io/v1",
    ),
    Deprecation(
        "coordination.k8s.io/v1beta1", ("Lease",), "1.19", "1.22", "coordination.k8s.io/v1"
    ),
    Deprecation(
        "networking.k8s.io/v1beta1",
        ("Ingress", "IngressClass"),
        "1.19",
        "1.22",
        "networking.k8s.io/v1",
    ),
    Deprecation(
        "rbac.authorization.k8s.io/v1beta1",
        ("ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"),
        "1.17",
        "1.22",
        "rbac.authorization.k8s.io/v1",
    ),
    Deprecation(
        "scheduling.k8s.io/v1beta1", ("PriorityClass",), "1.14", "1.22", "scheduling.k8s.io/v1"
    ),
    Deprecation(
        "storage.k8s.io/v1beta1",
        ("CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"),
        "1.19",
        "1.22",
        "storage.k8s.io/v1",
    ),
    Deprecation("batch/v1beta1", ("CronJob",), "1.21", "1.25", "batch/v1"),
    Deprecation(
        "discovery.k8s.io/v1beta1", ("EndpointSlice",), "1.21", "1.25", "discovery.k8s.io/v1"
    ),
    Deprecation("events.k8s.io/v1beta1", ("Event",), "1.19", "1.25", "events.k8s.io/v1"),
    Deprecation(
        "autoscaling/v2beta1", ("HorizontalPodAutoscaler",), "1.22", "1.25", "autoscaling/v2"
    ),
    Deprecation("policy/v1beta1", ("PodDisruptionBudget",), "1.21", "1.25", "policy/v1"),
    Deprecation("policy/v1beta1", ("PodSecurityPolicy",), "1.21", "1.25", None),
    Deprecation("node.k8s.io/v1beta1", ("RuntimeClass",), "1.20", "1.25", "node.k8s.io/v1"),
    Deprecation(
        "autoscaling/v2beta2", ("HorizontalPodAutoscaler",), "1.23", "1.26", "autoscaling/v2"
    ),
    Deprecation(
        "flowcontrol.apiserver.k8s.io/v1beta1",
        ("FlowSchema", "PriorityLevelConfiguration"),
        "1.23",
        "1.26",
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    Deprecation(
        "storage.k8s.io/v1beta1", ("CSIStorageCapacity",), "1.24", "1.27", "storage.k8s.io/v1"
    ),
    Deprecation(
        "flowcontrol.apiserver.k8s.io/v1beta2",
        ("FlowSchema", "PriorityLevelConfiguration"),
        "1.26",
        "1.29",
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    Deprecation(
        "flowcontrol.apiserver.k8s.io/v1beta3",
        ("FlowSchema", "PriorityLevelConfiguration"),
        "1.29",
        "1.32",
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    Deprecation("v1", ("Endpoints",), "1.33", None, "discovery.k8s.io/v1 EndpointSlice"),
)

_INDEX: dict[tuple[str, str], Deprecation] = {
    (row.api_version, kind): row for row in DEPRECATIONS for kind in row.kinds
}


def find_deprecation(api_version: str, kind: str) -> Deprecation | None:
    return _INDEX.get((api_version, kind))


def check_api_version(api_version: str, kind: str, target: KubeVersion) -> Issue | None:
    """A finding when `kind` in `api_version` is deprecated or gone in the target version."""
    row = find_deprecation(api_version, kind)
    if row is None or not target.at_least(row.deprecated_in):
        return None
    instead = f"use {row.replacement}" if row.replacement else "there is no replacement"
    if row.removed_in and target.at_least(row.removed_in):
        message = f"{kind} {api_version} was removed in Kubernetes {row.removed_in}: {instead}"
        return Issue(RULE_API_REMOVED, "/apiVersion", message, Severity.ERROR, _remedy(row))
    until = f", removal in {row.removed_in}" if row.removed_in else ""
    message = (
        f"{kind} {api_version} is deprecated since Kubernetes {row.deprecated_in}{until}: {instead}"
    )
    return Issue(RULE_API_DEPRECATED, "/apiVersion", message, Severity.WARNING, _remedy(row))


def _remedy(row: Deprecation) -> str:
    if not row.replacement:
        return f"remove the object; see {GUIDE_URL}"
    return f"migrate to {row.replacement}; see {GUIDE_URL}"
