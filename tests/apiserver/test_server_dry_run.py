"""`server_dry_run` against the real API server: rejections, acceptance, kubeconfig handling."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
import yaml

from chartgen.errors import Location, UserError
from chartgen.findings import Finding, ObjectRef, Severity
from chartgen.manifests import ManifestObject, parse_documents
from chartgen.validate.server import server_dry_run

from .cluster import KubeCluster, free_ports, install_crd, wait_established

pytestmark = pytest.mark.apiserver

VALID = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: chartgen-dry-run-reader
  namespace: ignored-for-cluster-scoped
rules:
  - apiGroups: [""]
    resources: [pods]
    verbs: [get]
"""

BAD_PORT = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
    - name: http
      port: 70000
      targetPort: 8080
"""

BAD_LABEL = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
        tier: "not a valid label!"
    spec:
      containers:
        - name: web
          image: nginx:1.27
"""


def objects(text: str) -> list[ManifestObject]:
    return list(parse_documents(text, "manifest.yaml"))


def dry_run(cluster: KubeCluster, text: str, namespace: str) -> list[Finding]:
    return server_dry_run(objects(text), cluster.kubeconfig, None, namespace)


def test_accepts_valid_objects_without_persisting(
    kube_cluster: KubeCluster, namespace: str
) -> None:
    assert dry_run(kube_cluster, VALID, namespace) == []
    assert kube_cluster.get_object("v1", "ConfigMap", namespace, "settings") is None
    assert kube_cluster.get_object("apps/v1", "Deployment", namespace, "web") is None
    assert (
        kube_cluster.get_object(
            "rbac.authorization.k8s.io/v1", "ClusterRole", "", "chartgen-dry-run-reader"
        )
        is None
    )


def test_reports_invalid_service_port_with_server_message(
    kube_cluster: KubeCluster, namespace: str
) -> None:
    findings = dry_run(kube_cluster, BAD_PORT, namespace)
    port = [f for f in findings if f.json_path == "/spec/ports/0/port"]
    assert len(port) == 1, findings
    finding = port[0]
    assert finding.rule_id == "server-rejected"
    assert finding.severity is Severity.ERROR
    assert finding.message == (
        'Service "web" is invalid: spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive'
    )
    assert finding.location == Location("manifest.yaml", 8)  # the `port: 70000` line
    assert finding.obj == ObjectRef("Service", "web", "", "v1")


def test_reports_bad_label_value(kube_cluster: KubeCluster, namespace: str) -> None:
    (finding,) = dry_run(kube_cluster, BAD_LABEL, namespace)
    assert finding.rule_id == "server-rejected"
    assert finding.json_path == "/spec/template/metadata/labels"  # server: spec.template.labels
    assert 'Invalid value: "not a valid label!"' in finding.message
    assert (
        "a valid label must be an empty string or consist of alphanumeric characters"
        in finding.message
    )
    assert finding.location == Location("manifest.yaml", 11)


def test_reports_unknown_field_strictly(kube_cluster: KubeCluster, namespace: str) -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata: {}\nbinaryDatta: {}\n"
    (finding,) = dry_run(kube_cluster, text, namespace)
    assert finding.rule_id == "server-rejected"
    assert ".binaryDatta: field not declared in schema" in finding.message
    assert finding.json_path == "/binaryDatta"
    assert finding.location.line == 6


def test_reports_pod_security_admission_denial(kube_cluster: KubeCluster) -> None:
    kube_cluster.create_namespace(
        "dry-run-restricted", {"pod-security.kubernetes.io/enforce": "restricted"}
    )
    pod = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: root\nspec:\n  containers:\n    - name: c\n"
        "      image: busybox:1.36\n      securityContext:\n        privileged: true\n        runAsUser: 0\n"
    )
    (finding,) = dry_run(kube_cluster, pod, "dry-run-restricted")
    assert finding.rule_id == "server-rejected"
    assert 'violates PodSecurity "restricted:latest": privileged' in finding.message
    assert finding.location == Location("manifest.yaml", 1)


def test_checks_objects_that_already_exist(kube_cluster: KubeCluster, namespace: str) -> None:
    """Apply with force: an installed object owned by another manager (Helm) is no obstacle."""
    configmap = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "settings"},
        "data": {"a": "1"},
    }
    kube_cluster.call(
        "POST", f"/api/v1/namespaces/{namespace}/configmaps?fieldManager=helm", configmap
    )
    changed = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: '2'\n"
    assert dry_run(kube_cluster, changed, namespace) == []
    stored = kube_cluster.get_object("v1", "ConfigMap", namespace, "settings")
    assert stored is not None and stored["data"] == {"a": "1"}
    findings = dry_run(
        kube_cluster,
        changed.replace("name: settings", "name: settings\n  labels: {x: -bad-}"),
        namespace,
    )
    (finding,) = findings  # an update repeats each cause: reported once
    assert finding.json_path == "/metadata/labels"


def test_generate_name_objects_are_dry_run_created(
    kube_cluster: KubeCluster, namespace: str
) -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  generateName: tmp-\ndata:\n  a: b\n"
    assert dry_run(kube_cluster, text, namespace) == []
    bad = text.replace("generateName: tmp-", "generateName: Tmp_")
    findings = dry_run(kube_cluster, bad, namespace)
    assert {f.json_path for f in findings} == {"/metadata/generateName", "/metadata/name"}
    assert all(f.location.line in (3, 4) for f in findings)


def test_custom_resources_are_validated_by_their_crd_schema(
    kube_cluster: KubeCluster, namespace: str
) -> None:
    install_crd(kube_cluster, WIDGET_CRD)
    wait_established(kube_cluster, "widgets.chartgen.test")
    widget = "apiVersion: chartgen.test/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: 0\n"
    (finding,) = dry_run(kube_cluster, widget, namespace)
    assert finding.json_path == "/spec/size"
    assert "should be greater than or equal to 1" in finding.message
    assert finding.location.line == 6
    assert dry_run(kube_cluster, widget.replace("size: 0", "size: 2"), namespace) == []


def test_unknown_kinds_are_reported_unless_the_batch_defines_them(
    kube_cluster: KubeCluster, namespace: str
) -> None:
    gadget = "apiVersion: chartgen.test/v1\nkind: Gadget\nmetadata:\n  name: g\n"
    (finding,) = dry_run(kube_cluster, gadget, namespace)
    assert finding.rule_id == "server-rejected"
    assert 'the server has no kind "Gadget" in version "chartgen.test/v1"' in finding.message
    assert finding.json_path == "/kind"
    crd = yaml.safe_dump(_crd("gadgets", "Gadget"))
    assert dry_run(kube_cluster, crd + "---\n" + gadget, namespace) == []
    assert (
        kube_cluster.get_object(
            "apiextensions.k8s.io/v1", "CustomResourceDefinition", "", "gadgets.chartgen.test"
        )
        is None
    )


def test_deprecated_apis_are_reported_as_warnings(
    kube_cluster: KubeCluster, namespace: str
) -> None:
    endpoints = "apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: legacy\n"
    (finding,) = dry_run(kube_cluster, endpoints, namespace)
    assert finding.rule_id == "server-warning"
    assert finding.severity is Severity.WARNING
    assert "v1 Endpoints is deprecated" in finding.message


def test_missing_namespace_is_one_warning(kube_cluster: KubeCluster) -> None:
    findings = dry_run(kube_cluster, VALID, "no-such-namespace")
    assert [(f.rule_id, f.obj.kind) for f in findings] == [("server-warning", "ConfigMap")]
    assert (
        'namespace "no-such-namespace" does not exist on the server, so 3 object(s)'
        in findings[0].message
    )


# --- kubeconfig handling ----------------------------------------------------------------------


def write_kubeconfig(
    path: Path, cluster: dict[str, Any], user: dict[str, Any], current: str = "test"
) -> Path:
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": "c", "cluster": cluster}],
        "users": [{"name": "u", "user": user}],
        "contexts": [{"name": "test", "context": {"cluster": "c", "user": "u"}}],
        "current-context": current,
    }
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def b64(path: Path) -> str:
    return base64.b64encode(path.read_bytes()).decode()


def kubeconfig_variants(kube: KubeCluster, tmp_path: Path) -> dict[str, Path]:
    token_file = tmp_path / "token"
    token_file.write_text(kube.token + "\n", encoding="utf-8")
    credential = tmp_path / "credential.json"
    credential.write_text(
        '{"apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential",'
        f' "status": {{"token": "{kube.token}"}}}}',
        encoding="utf-8",
    )
    ca_file = {"server": kube.server, "certificate-authority": str(kube.ca_file)}
    ca_data = {"server": kube.server, "certificate-authority-data": b64(kube.ca_file)}
    pki = kube.pki
    users: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
        "insecure-token-file": (
            {"server": kube.server, "insecure-skip-tls-verify": True},
            {"tokenFile": "token"},
        ),
        "ca-data-client-cert-files": (
            ca_data,
            {"client-certificate": str(pki.client_cert), "client-key": str(pki.client_key)},
        ),
        "ca-file-client-cert-data": (
            ca_file,
            {
                "client-certificate-data": b64(pki.client_cert),
                "client-key-data": b64(pki.client_key),
            },
        ),
        "exec-plugin": (
            ca_file,
            {
                "exec": {
                    "apiVersion": "client.authentication.k8s.io/v1",
                    "command": "cat",
                    "args": [str(credential)],
                }
            },
        ),
    }
    return {
        name: write_kubeconfig(tmp_path / f"{name}.yaml", c, u) for name, (c, u) in users.items()
    }


def test_kubeconfig_credential_and_tls_variants(
    kube_cluster: KubeCluster, namespace: str, tmp_path: Path
) -> None:
    for name, kubeconfig in kubeconfig_variants(kube_cluster, tmp_path).items():
        found = server_dry_run(objects(VALID), kubeconfig, None, namespace)
        assert found == [], name
        bad = server_dry_run(objects(BAD_PORT), kubeconfig, None, namespace)
        assert "spec.ports[0].port" in bad[0].message, name


def test_kubeconfig_from_environment_and_context(
    kube_cluster: KubeCluster, namespace: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = yaml.safe_load(kube_cluster.kubeconfig.read_text(encoding="utf-8"))
    config["contexts"].append(
        {"name": "elsewhere", "context": {"cluster": "nowhere", "user": "admin"}}
    )
    (port,) = free_ports(1)
    config["clusters"].append(
        {"name": "nowhere", "cluster": {"server": f"https://127.0.0.1:{port}"}}
    )
    config["current-context"] = "elsewhere"
    kubeconfig = tmp_path / "config"
    kubeconfig.write_text(yaml.safe_dump(config), encoding="utf-8")
    monkeypatch.setenv("KUBECONFIG", f"{tmp_path / 'absent'}:{kubeconfig}")
    assert server_dry_run(objects(VALID), None, "local", namespace) == []
    with pytest.raises(
        UserError,
        match=rf"cannot reach the Kubernetes API server https://127.0.0.1:{port} \(context 'elsewhere'",
    ):
        server_dry_run(objects(VALID), None, None, namespace)
    with pytest.raises(
        UserError, match=r"kubeconfig has no context 'nope' \(known: elsewhere, local\)"
    ):
        server_dry_run(objects(VALID), kubeconfig, "nope", namespace)


def test_bad_credentials_and_untrusted_server_are_user_errors(
    kube_cluster: KubeCluster, tmp_path: Path
) -> None:
    ca_file = {"server": kube_cluster.server, "certificate-authority": str(kube_cluster.ca_file)}
    wrong_token = write_kubeconfig(tmp_path / "token.yaml", ca_file, {"token": "not-the-token"})
    with pytest.raises(UserError, match=r"rejected the credentials .* \(401 Unauthorized\)"):
        server_dry_run(objects(VALID), wrong_token, None, "default")
    wrong_ca = {
        "server": kube_cluster.server,
        "certificate-authority": str(kube_cluster.pki.client_ca),
    }
    untrusted = write_kubeconfig(tmp_path / "ca.yaml", wrong_ca, {"token": kube_cluster.token})
    with pytest.raises(UserError, match="certificate verify failed"):
        server_dry_run(objects(VALID), untrusted, None, "default")
    with pytest.raises(UserError, match="does not exist"):
        server_dry_run(objects(VALID), tmp_path / "missing.yaml", None, "default")


def _crd(plural: str, kind: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    open_schema = {"type": "object", "x-kubernetes-preserve-unknown-fields": True}
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": f"{plural}.chartgen.test"},
        "spec": {
            "group": "chartgen.test",
            "scope": "Namespaced",
            "names": {
                "plural": plural,
                "singular": kind.lower(),
                "kind": kind,
                "listKind": f"{kind}List",
            },
            "versions": [
                {
                    "name": "v1",
                    "served": True,
                    "storage": True,
                    "schema": {"openAPIV3Schema": schema or open_schema},
                }
            ],
        },
    }


WIDGET_CRD = _crd(
    "widgets",
    "Widget",
    {
        "type": "object",
        "properties": {
            "spec": {"type": "object", "properties": {"size": {"type": "integer", "minimum": 1}}}
        },
    },
)
