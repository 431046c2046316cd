"""The test control plane is a real Kubernetes v1.34 API: version, admission, CRDs, defaults."""

from __future__ import annotations

import pytest

from .cluster import CRD_DIR, K8S_VERSION, KubeCluster, crd_documents

pytestmark = pytest.mark.apiserver

ROOT_PRIVILEGED_POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "root"},
    "spec": {
        "containers": [
            {
                "name": "c",
                "image": "busybox:1.36",
                "securityContext": {"privileged": True, "runAsUser": 0},
            }
        ]
    },
}


def test_server_reports_pinned_version(kube_cluster: KubeCluster) -> None:
    info = kube_cluster.call("GET", "/version")
    assert info["gitVersion"] == K8S_VERSION == kube_cluster.version
    assert (info["major"], info["minor"]) == ("1", "34")
    assert info["gitTreeState"] == "clean"


def test_pod_security_admission_denies_privileged_root_pod(kube_cluster: KubeCluster) -> None:
    kube_cluster.create_namespace(
        "psa-restricted", {"pod-security.kubernetes.io/enforce": "restricted"}
    )
    kube_cluster.create_namespace("psa-privileged")

    status, body = kube_cluster.request(
        "POST", "/api/v1/namespaces/psa-restricted/pods", ROOT_PRIVILEGED_POD
    )
    assert status == 403, body
    assert body["reason"] == "Forbidden"
    assert 'violates PodSecurity "restricted:latest"' in body["message"]
    assert "privileged" in body["message"]
    assert kube_cluster.get_object("v1", "Pod", "psa-restricted", "root") is None

    status, body = kube_cluster.request(
        "POST", "/api/v1/namespaces/psa-privileged/pods", ROOT_PRIVILEGED_POD
    )
    assert status == 201, body  # the same pod is fine where PSA does not enforce


def test_stored_objects_carry_server_defaults(kube_cluster: KubeCluster, namespace: str) -> None:
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web"},
        "spec": {
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]},
            },
        },
    }
    kube_cluster.call("POST", f"/apis/apps/v1/namespaces/{namespace}/deployments", deployment)
    stored = kube_cluster.get_object("apps/v1", "Deployment", namespace, "web")
    assert stored is not None
    assert stored["spec"]["replicas"] == 1
    assert stored["spec"]["revisionHistoryLimit"] == 10
    assert stored["spec"]["strategy"]["type"] == "RollingUpdate"
    container = stored["spec"]["template"]["spec"]["containers"][0]
    assert container["imagePullPolicy"] == "IfNotPresent"
    assert container["terminationMessagePath"] == "/dev/termination-log"


def test_crds_from_schemas_are_established_and_served(kube_cluster: KubeCluster) -> None:
    expected = [
        doc
        for path in sorted(CRD_DIR.glob("**/*.yaml"))
        for doc in crd_documents(path)
        if isinstance(doc, dict) and doc.get("kind") == "CustomResourceDefinition"
    ]
    assert sorted(kube_cluster.crds) == sorted(doc["metadata"]["name"] for doc in expected)
    for crd in expected:
        spec = crd["spec"]
        for version in (v["name"] for v in spec["versions"] if v.get("served", True)):
            kinds = [
                r["kind"]
                for r in kube_cluster.call("GET", f"/apis/{spec['group']}/{version}")["resources"]
            ]
            assert spec["names"]["kind"] in kinds
