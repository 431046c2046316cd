"""Assemble every file of a generated chart, in memory, in a fixed order (no I/O here)."""

from __future__ import annotations

import functools
import hashlib
import json
from importlib import resources
from typing import Any

from chartgen._version import __version__
from chartgen.chart.chart_yaml import render_chart_yaml
from chartgen.chart.dashboard import render_dashboard
from chartgen.chart.readme import render_readme
from chartgen.chart.values import values_for
from chartgen.chart.values_yaml import render_values_schema, render_values_yaml
from chartgen.model.plan import ServingPlan

CHART_NAME_TOKEN = "<CHARTNAME>"
GENERATOR = f"chartgen {__version__}"
CRD_KINDS = (
    "monitoring.coreos.com/v1/ServiceMonitor",
    "monitoring.coreos.com/v1/PodMonitor",
    "monitoring.googleapis.com/v1/PodMonitoring",
    "monitoring.coreos.com/v1/PrometheusRule",
    "keda.sh/v1alpha1/ScaledObject",
    "gateway.networking.k8s.io/v1/HTTPRoute",
    "route.openshift.io/v1/Route",
    "networking.gke.io/v1/GCPBackendPolicy",
    "networking.gke.io/v1/HealthCheckPolicy",
    "leaderworkerset.x-k8s.io/v1/LeaderWorkerSet",
    "inference.networking.k8s.io/v1/InferencePool",
)
CI_VALUES = {
    "ci/default-values.yaml": "# chart-testing: the chart's own defaults.\n{}\n",
    "ci/crds-values.yaml": (
        "# chart-testing: a cluster serving the Prometheus operator, Google managed Prometheus, KEDA,"
        " Gateway API (with GKE's policies), InferencePool, OpenShift"
        " Route and LeaderWorkerSet APIs.\n"
        "apiVersions:\n" + "".join(f"  - {kind}\n" for kind in CRD_KINDS)
    ),
    "ci/no-monitoring-values.yaml": (
        "# chart-testing: a cluster without the Prometheus operator (no monitoring CRDs).\n"
        "metrics:\n  serviceMonitor:\n    enabled: false\n  podMonitor:\n    enabled: false\n"
        "  podMonitoring:\n    enabled: false\n"
        "  alerts:\n    enabled: false\n  dashboard:\n    enabled: false\n"
    ),
}


def spec_digest(document: dict[str, Any]) -> str:
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


def chart_files(plan: ServingPlan, document: dict[str, Any], spec_path: str) -> dict[str, str]:
    """Relative path -> file content for the whole chart."""
    values = values_for(plan)
    values_yaml = render_values_yaml(values, version=__version__, spec=spec_path)
    files = {
        "Chart.yaml": render_chart_yaml(
            plan, generator=GENERATOR, spec_digest=spec_digest(document), spec_path=spec_path
        ),
        "values.yaml": values_yaml,
        "values.schema.json": render_values_schema(values),
        **render_readme(plan, values, values_yaml, rendered_objects(plan)),
        ".helmignore": _template_text("helmignore", plan.name),
        "dashboards/model-serving.json": render_dashboard(plan),
        **CI_VALUES,
    }
    for name in _template_names():
        files[f"templates/{name}"] = _template_text(name, plan.name)
    return dict(sorted(files.items()))


def rendered_objects(plan: ServingPlan) -> list[str]:
    """The objects a default install creates, for the README."""
    autoscaling = plan.scaling.autoscaling
    candidates = [
        (True, f"{plan.workload_kind} running {plan.runtime.title}" + _group(plan)),
        (
            True,
            "Service" + (" (+ headless Service)" if plan.workload_kind == "StatefulSet" else ""),
        ),
        (plan.service_account.create, "ServiceAccount (no API token mounted)"),
        (
            plan.cache.type == "pvc" and not plan.cache.existing_claim,
            "PersistentVolumeClaim for the model cache",
        ),
        (plan.download.enabled, "Job pre-downloading the model"),
        (bool(plan.runtime.config_files), "ConfigMap with the runtime's configuration files"),
        (
            autoscaling.enabled,
            "KEDA ScaledObject" if autoscaling.engine == "keda" else "HorizontalPodAutoscaler",
        ),
        (plan.scaling.pdb.enabled, "PodDisruptionBudget"),
        (plan.network_policy.enabled, "NetworkPolicy"),
        (plan.ingress.enabled, "Ingress"),
        (plan.http_route.enabled, "HTTPRoute (Gateway API)"),
        (
            plan.inference_pool is not None,
            "InferencePool with its endpoint picker (Deployment, Service, RBAC, ConfigMap)",
        ),
        (plan.monitoring.service_monitor, "ServiceMonitor"),
        (plan.monitoring.pod_monitor, "PodMonitor"),
        (plan.monitoring.alerts, "PrometheusRule alerts"),
        (plan.monitoring.dashboard, "Grafana dashboard ConfigMap"),
        (True, "`helm test` pod sending a real request"),
    ]
    return [text for wanted, text in candidates if wanted]


def _group(plan: ServingPlan) -> str:
    group = plan.multinode
    if group is None:
        return ""
    return (
        f" (groups of {group.size} pods, one per node: {group.gpus_per_node} GPUs each,"
        f" tensor parallel {group.tensor_parallel} x pipeline parallel {group.pipeline_parallel})"
    )


@functools.cache
def _template_names() -> list[str]:
    root = resources.files("chartgen.chart").joinpath("templates")
    names = [
        entry.name for entry in root.iterdir() if entry.is_file() and entry.name != "helmignore"
    ]
    names += [
        f"tests/{entry.name}" for entry in root.joinpath("tests").iterdir() if entry.is_file()
    ]
    return sorted(n for n in names if not n.endswith((".pyc", "__init__.py")))


def _template_text(name: str, chart_name: str) -> str:
    text = (
        resources.files("chartgen.chart")
        .joinpath("templates", *name.split("/"))
        .read_text(encoding="utf-8")
    )
    return text.replace(CHART_NAME_TOKEN, chart_name)
