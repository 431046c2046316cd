"""Monitors that scrape pods directly: the Prometheus Operator's PodMonitor and Google Cloud
Managed Service for Prometheus's PodMonitoring (GoogleCloudPlatform/prometheus-engine), whose
endpoint lists sit under different fields."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from chartgen.manifests import ManifestObject
from chartgen.rules.support.objects import ObjectSet

# kind -> (API group, field holding the scrape endpoints)
POD_MONITOR_KINDS: dict[str, tuple[str, str]] = {
    "PodMonitor": ("monitoring.coreos.com", "podMetricsEndpoints"),
    "PodMonitoring": ("monitoring.googleapis.com", "endpoints"),
}


@dataclass(frozen=True)
class PodMonitor:
    obj: ManifestObject
    endpoints_field: str


def pod_monitors(objects: ObjectSet) -> Iterator[PodMonitor]:
    for kind, (group, field) in POD_MONITOR_KINDS.items():
        for monitor in objects.of_kind(kind):
            if str(monitor.api_version).split("/")[0] == group:
                yield PodMonitor(monitor, field)
