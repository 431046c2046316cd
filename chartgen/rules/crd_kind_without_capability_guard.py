"""Custom resources a chart renders whether or not the cluster serves their API."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.manifests import ManifestObject
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet, lookup
from chartgen.validate.k8s import builtin_schema
from chartgen.validate.versions import newest_bundled

ID = "crd-kind-without-capability-guard"
SEVERITY = Severity.ERROR
SUMMARY = "Templates of CRD kinds must be guarded by .Capabilities.APIVersions.Has"
RATIONALE = (
    "ServiceMonitor, PodMonitor, PrometheusRule, ScaledObject and HTTPRoute exist only where their "
    "CRDs are installed. Rendered unconditionally (monitoring is usually on by default), `helm "
    "install` fails on the whole release with 'no matches for kind' on stock EKS, on GKE with "
    "managed Prometheus (which uses PodMonitoring) and on AKS managed Prometheus. `chartgen lint` "
    "renders charts with Helm's default capabilities, which list only built-in APIs (like `helm "
    "template` without --api-versions), and judges the chart's own values.yaml: a custom resource "
    "present in that render is not guarded (a guarded one renders only when its API version is "
    "advertised); values variants that assert an API on purpose are not judged. A chart that "
    "runs no built-in workload exists to create its custom resources (a RayCluster chart for the "
    "KubeRay operator): guarding them would install nothing without a word, so it is not judged."
)
REFERENCES = (
    "https://helm.sh/docs/chart_template_guide/builtin_objects/#capabilities",
    "prometheus-community/helm-charts#4094",
)
FIX = (
    'Wrap the template in `{{- if .Capabilities.APIVersions.Has "monitoring.coreos.com/v1/'
    'ServiceMonitor" }}` (and say in NOTES.txt when it is skipped), or ship the CRD in crds/.'
)
EXAMPLE = """\
{{- if and .Values.metrics.enabled (.Capabilities.APIVersions.Has "monitoring.coreos.com/v1/ServiceMonitor") }}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
{{- end }}
"""
TAGS = ("kubernetes", "helm", "portability", "correctness")
DEFAULTS: dict[str, object] = {}
SCOPE = "set"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    if not ctx.default_values or not any(_is_builtin(w.obj) for w in objects.workloads):
        return
    shipped = _kinds_defined_by(objects)
    for obj in objects.objects:
        if not obj.source_template or not obj.api_version or not obj.kind:
            continue  # plain manifests cannot be guarded
        if (obj.api_version.split("/")[0], obj.kind) in shipped or _is_builtin(obj):
            continue
        message = (
            f"{obj.kind} ({obj.api_version}) renders even where the cluster lacks its CRD: "
            "the whole install fails there"
        )
        yield Issue(ID, "/kind", message, obj=obj)


def _is_builtin(obj: ManifestObject) -> bool:
    return builtin_schema(newest_bundled(), False, obj.api_version, obj.kind) is not None


def _kinds_defined_by(objects: ObjectSet) -> set[tuple[str, str]]:
    """(group, kind) of the CustomResourceDefinitions the chart itself renders."""
    return {
        (str(lookup(crd.data, "/spec/group")), str(lookup(crd.data, "/spec/names/kind")))
        for crd in objects.of_kind("CustomResourceDefinition")
    }
