"""A Grafana dashboard for the runtime's own metrics, generated from the catalog's metric names."""

from __future__ import annotations

import json
from typing import Any

from chartgen.model.plan import ServingPlan

SCOPE = 'namespace="$namespace",service="$service"'


def render_dashboard(plan: ServingPlan) -> str:
    names = plan.monitoring.metric_names
    queries = [
        ("Queued requests", names.queue, "sum({m}{{{s}}})"),
        ("Running requests", names.running, "sum({m}{{{s}}})"),
        (
            "p95 latency (s)",
            names.latency,
            "histogram_quantile(0.95, sum by (le) (rate({m}_bucket{{{s}}}[5m])))",
        ),
        ("KV cache usage", names.cache_usage, "max({m}{{{s}}})"),
    ]
    panels = [
        _panel(i, title, expr.format(m=metric, s=SCOPE))
        for i, (title, metric, expr) in enumerate(queries)
        if metric
    ]
    panels.append(
        _panel(
            len(panels),
            "Container restarts",
            'sum(increase(kube_pod_container_status_restarts_total{namespace="$namespace",pod=~"$service-.*"}[1h]))',
        )
    )
    dashboard = {
        "title": f"{plan.name} ({plan.runtime.title})",
        "uid": f"chartgen-{plan.name}"[:40],
        "schemaVersion": 39,
        "tags": ["chartgen", "model-serving", plan.runtime.name],
        "time": {"from": "now-6h", "to": "now"},
        "templating": {
            "list": [
                {"name": "datasource", "type": "datasource", "query": "prometheus"},
                _variable("namespace", "label_values(kube_pod_info, namespace)"),
                _variable("service", 'label_values(up{namespace="$namespace"}, service)'),
            ]
        },
        "panels": panels,
    }
    return json.dumps(dashboard, indent=2) + "\n"


def _panel(index: int, title: str, expr: str) -> dict[str, Any]:
    return {
        "id": index + 1,
        "type": "timeseries",
        "title": title,
        "gridPos": {"h": 8, "w": 12, "x": (index % 2) * 12, "y": (index // 2) * 8},
        "datasource": {"type": "prometheus", "uid": "${datasource}"},
        "targets": [{"expr": expr, "refId": "A"}],
    }


def _variable(name: str, query: str) -> dict[str, Any]:
    return {
        "name": name,
        "type": "query",
        "query": query,
        "datasource": {"type": "prometheus", "uid": "${datasource}"},
    }
