"""The InferencePool-routed example on a real kube-apiserver with the bundled InferencePool CRD:
the pool, the route to it and the endpoint picker are stored, and the picker's pod passes
restricted Pod Security."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.apiserver.cluster import KubeCluster
from tests.apiserver.test_example_charts import (
    pod_from_template,
    release_manifest,
    restricted_namespace,
)
from tests.chart.helpers import GENERATED

pytestmark = pytest.mark.apiserver
CHART = GENERATED / "qwen-routed"
POOL_API = "inference.networking.k8s.io/v1"


def test_pool_route_and_picker_install(kube_cluster: KubeCluster, helm3: Path) -> None:
    namespace = restricted_namespace(kube_cluster, "qwen-routed-pool")
    done = kube_cluster.install_chart(helm3, CHART, "rel", namespace)
    assert done.returncode == 0, done.stderr
    assert "would violate PodSecurity" not in done.stderr
    objs = release_manifest(kube_cluster, helm3, "rel", namespace)
    pool = kube_cluster.get_object(POOL_API, "InferencePool", namespace, "rel-qwen-routed")
    assert pool is not None  # the cluster serves the CRD, so the chart rendered the pool
    assert pool["spec"]["endpointPickerRef"]["name"] == "rel-qwen-routed-epp"
    route = kube_cluster.get_object(
        "gateway.networking.k8s.io/v1", "HTTPRoute", namespace, "rel-qwen-routed"
    )
    assert route is not None
    assert route["spec"]["rules"][0]["backendRefs"][0]["kind"] == "InferencePool"
    picker = next(
        o for o in objs if o["kind"] == "Deployment" and o["metadata"]["name"].endswith("-epp")
    )
    pod = pod_from_template(picker, "epp-probe-pod")
    assert kube_cluster.call("POST", f"/api/v1/namespaces/{namespace}/pods", pod)["metadata"]["uid"]
    done = kube_cluster.uninstall_chart(helm3, "rel", namespace)
    assert done.returncode == 0, done.stderr
    assert kube_cluster.get_object(POOL_API, "InferencePool", namespace, "rel-qwen-routed") is None
