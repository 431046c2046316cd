"""Finding 6: runtime custom serves probes and metrics where the spec declares them.
Finding 7: gs:// credentials reach Google's client library as a key file, which is what
GOOGLE_APPLICATION_CREDENTIALS names (TensorFlow's GCS filesystem reads it the same way)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.runtime.charts import new_chart, of_kind, old_chart, render, server_container


def assert_declared_endpoints(objs: list[dict[str, Any]]) -> None:
    """examples/custom-embeddings.yaml declares startup/readiness /ready, liveness /healthz and
    metrics on port 9090."""
    container = server_container(objs)
    assert container["startupProbe"]["httpGet"]["path"] == "/ready"
    assert container["readinessProbe"]["httpGet"]["path"] == "/ready"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    (monitor,) = of_kind(objs, "PodMonitor")
    (endpoint,) = monitor["spec"]["podMetricsEndpoints"]
    assert ports[endpoint["port"]] == 9090, (endpoint, ports)


def test_custom_runtime_uses_declared_probes_and_metrics_port(helm3: Path) -> None:
    assert_declared_endpoints(render(helm3, new_chart("embeddings")))


def test_custom_runtime_ignored_them_before(helm3: Path, tmp_path: Path) -> None:
    with pytest.raises(AssertionError):
        assert_declared_endpoints(render(helm3, old_chart("embeddings", tmp_path)))


def service_account_key() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    info = {
        "type": "service_account",
        "project_id": "ml-models",
        "private_key_id": "0" * 40,
        "private_key": pem,
        "client_email": "reader@ml-models.iam.gserviceaccount.com",
        "client_id": "1",
        "token_uri": "https://oauth2.googleapis.com/token",
    }
    return json.dumps(info).encode()


def pod_environment(
    objs: list[dict[str, Any]], secret: dict[str, bytes], root: Path
) -> dict[str, str]:
    """The env the kubelet gives the server: literal values, envFrom Secrets (keys that are valid
    variable names), and Secret volumes written under `root` (paths in values mapped there)."""
    workload = next(o for o in objs if o["kind"] in ("Deployment", "StatefulSet"))
    volumes = {v["name"]: v for v in workload["spec"]["template"]["spec"]["volumes"]}
    container = server_container(objs)
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        if "secretRef" in source:
            env.update({k: v.decode() for k, v in secret.items() if k.isidentifier()})
    mounts = {}
    for mount in container.get("volumeMounts", []):
        if "secret" in volumes.get(mount["name"], {}):
            target = root / mount["mountPath"].lstrip("/")
            target.mkdir(parents=True)
            for name, data in secret.items():
                (target / name).write_bytes(data)
            mounts[mount["mountPath"]] = str(target)
    for item in container.get("env", []):
        value = item.get("value", "")
        for path, target in mounts.items():
            value = value.replace(path, target)
        env[item["name"]] = value
    return env


def gcs_credentials(
    objs: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Any:
    import google.auth

    secret = {"key.json": service_account_key()}
    for name in ("GOOGLE_APPLICATION_CREDENTIALS", "GCE_METADATA_HOST"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_GCE_CHECK", "True")  # never ask a metadata server
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(tmp_path / "no-gcloud"))
    for name, value in pod_environment(objs, secret, tmp_path / "pod").items():
        monkeypatch.setenv(name, value)
    credentials, project = google.auth.default()
    return credentials, project


def test_gcs_key_file_is_read_by_google_auth(
    helm3: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    credentials, project = gcs_credentials(
        render(helm3, new_chart("bert-tfserving")), tmp_path, monkeypatch
    )
    assert project == "ml-models"
    assert credentials.service_account_email == "reader@ml-models.iam.gserviceaccount.com"


def test_gcs_credentials_as_env_were_unreadable(
    helm3: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import google.auth.exceptions

    old = render(helm3, old_chart("bert-tfserving", tmp_path / "old"))
    with pytest.raises(google.auth.exceptions.DefaultCredentialsError):
        gcs_credentials(old, tmp_path, monkeypatch)
