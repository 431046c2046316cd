"""Finding 11: `helm test` sends a real request (a completion and a streamed chat for
OpenAI-compatible runtimes, a prediction for TorchServe) and checks the shape of the answer; the
test pod fits restricted Pod Security and takes the UID OpenShift assigns."""

from __future__ import annotations

import json
import os
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.runtime.charts import new_chart, of_kind, old_chart, render

API_KEY = "sk-test-0123456789abcdefghij"


class Server(ThreadingHTTPServer):
    requests: list[tuple[str, str, dict[str, Any]]]
    broken: bool  # answer with the wrong shape
    api_key: str | None  # required on /v1 paths, as vLLM's AuthenticationMiddleware does
    models: list[str]  # what /v1/models lists


class Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def refused(self) -> bool:
        key = self.server.api_key
        if key is None or not self.path.startswith("/v1"):
            return False
        if self.headers.get("Authorization") == f"Bearer {key}":
            return False
        self.send_error(401)
        return True

    def do_GET(self) -> None:
        self.server.requests.append(("GET", self.path, {}))
        if self.refused():
            return
        listed = [{"id": name} for name in self.server.models]
        body = {"data": listed} if self.path == "/v1/models" else {"ok": True}
        self._json(body)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        raw = self.rfile.read(length)
        payload = json.loads(raw) if raw.startswith(b"{") else {"bytes": len(raw)}
        self.server.requests.append(("POST", self.path, payload))
        if self.refused():
            return
        if self.server.broken:
            self._json({"error": "model not loaded"})
        elif self.path == "/v1/completions":
            self._json({"choices": [{"index": 0, "text": " world"}]})
        elif self.path == "/v1/chat/completions" and payload.get("stream"):
            chunk = {"choices": [{"delta": {"content": "Hi"}}]}
            self._send(f"data: {json.dumps(chunk)}\n\ndata: [DONE]\n\n", "text/event-stream")
        elif self.path.startswith("/predictions/"):
            self._json({"tabby": 0.2, "tiger_cat": 0.1})
        else:
            self.send_error(404)

    def _json(self, body: dict[str, Any]) -> None:
        self._send(json.dumps(body), "application/json")

    def _send(self, text: str, kind: str) -> None:
        data = text.encode()
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@contextmanager
def model_server(
    broken: bool = False, api_key: str | None = None, models: tuple[str, ...] = ("llama-8b",)
) -> Iterator[Server]:
    server = Server(("127.0.0.1", 0), Handler)
    server.requests, server.broken, server.api_key = [], broken, api_key
    server.models = list(models)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def hook_pod(objs: list[dict[str, Any]]) -> dict[str, Any]:
    (pod,) = [
        o for o in of_kind(objs, "Pod") if o["metadata"]["annotations"]["helm.sh/hook"] == "test"
    ]
    return pod


def run_test_pod(
    objs: list[dict[str, Any]], server: Server, secrets: dict[tuple[str, str], str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The test container's command with its env, BASE_URL pointing at the loopback server;
    secretKeyRef variables take their value from `secrets` ((name, key) -> value)."""
    container = hook_pod(objs)["spec"]["containers"][0]
    env = {e["name"]: e["value"] for e in container["env"] if "value" in e}
    for item in container["env"]:
        if "valueFrom" in item:
            ref = item["valueFrom"]["secretKeyRef"]
            env[item["name"]] = (secrets or {})[(ref["name"], ref["key"])]
    env["BASE_URL"] = f"http://127.0.0.1:{server.server_address[1]}"
    env["PATH"] = os.environ["PATH"]
    return subprocess.run(
        container["command"], env=env, capture_output=True, text=True, timeout=60, check=False
    )


def assert_real_openai_requests(objs: list[dict[str, Any]]) -> None:
    with model_server() as server:
        done = run_test_pod(objs, server)
    assert done.returncode == 0, done.stderr
    posts = {path: body for method, path, body in server.requests if method == "POST"}
    assert posts.get("/v1/completions", {}).get("max_tokens") == 1, server.requests
    chat = posts.get("/v1/chat/completions", {})
    assert chat.get("stream") is True and chat["messages"][0]["role"] == "user", server.requests


def test_openai_runtime_sends_a_completion_and_a_streamed_chat(helm3: Path) -> None:
    assert_real_openai_requests(render(helm3, new_chart("llama-8b")))


def test_wrong_answer_shape_fails_the_test(helm3: Path) -> None:
    with model_server(broken=True) as server:
        done = run_test_pod(render(helm3, new_chart("llama-8b")), server)
    assert done.returncode != 0 and "completion without choices" in done.stderr


def test_old_helm_test_sent_no_request(helm3: Path, tmp_path: Path) -> None:
    with pytest.raises(AssertionError):
        assert_real_openai_requests(render(helm3, old_chart("llama-8b", tmp_path)))


def test_torchserve_sends_one_prediction(helm3: Path) -> None:
    with model_server() as server:
        done = run_test_pod(render(helm3, new_chart("resnet-cpu")), server)
    assert done.returncode == 0, done.stderr
    ((_, path, body),) = [r for r in server.requests if r[0] == "POST"]
    assert path.startswith("/predictions/") and 60 < body["bytes"] < 100  # a 1x1 PNG


def assert_restricted(pod: dict[str, Any]) -> None:
    """Pod Security restricted: non-root, seccomp, no escalation, every capability dropped."""
    context = pod["spec"]["securityContext"]
    assert context["runAsNonRoot"] is True and context["seccompProfile"]["type"] == "RuntimeDefault"
    for container in pod["spec"]["containers"]:
        security = container["securityContext"]
        assert security["allowPrivilegeEscalation"] is False
        assert security["capabilities"]["drop"] == ["ALL"]


def test_test_pod_is_restricted_and_takes_openshift_uid(helm3: Path, tmp_path: Path) -> None:
    generic = hook_pod(render(helm3, new_chart("llama-8b")))
    assert_restricted(generic)
    assert generic["spec"]["securityContext"]["runAsUser"] == 65534
    openshift = hook_pod(render(helm3, new_chart("bert-tfserving")))
    assert_restricted(openshift)
    assert "runAsUser" not in openshift["spec"]["securityContext"]  # the SCC assigns it


def test_notes_say_what_the_test_does() -> None:
    chart = new_chart("llama-8b")
    notes = (chart / "templates" / "NOTES.txt").read_text()
    assert "Check the release end to end: {{ .Values.tests.description }}" in notes
    values = yaml.safe_load((chart / "values.yaml").read_text())
    assert values["tests"]["description"].startswith("one completion (max_tokens 1)")


def test_api_key_is_sent_from_the_secret(helm3: Path) -> None:
    """With auth.apiKey the test pod reads the key from the Secret and sends it on every API
    request; the readiness path needs none (vLLM leaves /health open)."""
    objs = render(helm3, new_chart("llama-8b"), "--set", "auth.apiKey.secretName=llama-key")
    with model_server(api_key=API_KEY) as server:
        done = run_test_pod(objs, server, {("llama-key", "api-key"): API_KEY})
    assert done.returncode == 0, done.stderr
    assert {path for _, path, _ in server.requests} >= {"/health", "/v1/models", "/v1/completions"}
    assert API_KEY not in str(hook_pod(objs)["spec"]["containers"][0]["command"])


def test_a_wrong_key_fails_the_test(helm3: Path) -> None:
    objs = render(helm3, new_chart("llama-8b"), "--set", "auth.apiKey.secretName=llama-key")
    with model_server(api_key=API_KEY) as server:
        done = run_test_pod(objs, server, {("llama-key", "api-key"): "sk-wrong"})
    assert done.returncode != 0


def test_old_helm_test_sent_no_key(helm3: Path, tmp_path: Path) -> None:
    with model_server(api_key=API_KEY) as server:
        done = run_test_pod(render(helm3, old_chart("llama-8b", tmp_path)), server)
    assert done.returncode != 0 and "401" in done.stderr


GUARD_KEY = {("llama-guard-api-key", "api-key"): API_KEY}


def test_lora_adapters_must_be_listed(helm3: Path) -> None:
    """The LoRA example's test checks that vLLM lists each adapter under its name."""
    objs = render(helm3, new_chart("llama-guard"))
    served = ("llama-guard", "topic-control", "content-safety")
    with model_server(api_key=API_KEY, models=served) as server:
        done = run_test_pod(objs, server, GUARD_KEY)
    assert done.returncode == 0, done.stderr
    with model_server(api_key=API_KEY, models=served[:2]) as server:
        done = run_test_pod(objs, server, GUARD_KEY)
    assert done.returncode != 0 and "model content-safety not listed" in done.stderr
