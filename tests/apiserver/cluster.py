"""A real control plane for tests: etcd + kube-apiserver on loopback, built by tools/k8s/build.sh.

No kubelet and no controllers: objects are validated, defaulted, admitted and stored, but no
Pods run (so no `helm --wait`, and namespaces never finish terminating). See docs/apiserver.md.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .pki import Pki, make_pki

REPO = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = REPO / "tools" / "k8s" / "build.sh"
CRD_DIR = REPO / "schemas" / "crds"
K8S_VERSION = "v1.34.4"
READY_TIMEOUT = 180.0
CRD_TIMEOUT = 60.0


class ApiError(Exception):
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(f"HTTP {status}: {body.get('message', body)}")
        self.status = status
        self.body = body


@dataclass
class KubeCluster:
    """A running test control plane and helpers to use it (Helm, raw API)."""

    server: str
    token: str
    ca_file: Path
    kubeconfig: Path
    data_dir: Path
    pki: Pki
    version: str = ""
    crds: list[str] = field(default_factory=list)  # names of CRDs installed from schemas/crds
    _resources: dict[tuple[str, str], tuple[str, bool]] = field(default_factory=dict)

    # --- raw API ---------------------------------------------------------------------------

    def request(
        self, method: str, path: str, body: Any = None, content_type: str = "application/json"
    ) -> tuple[int, dict[str, Any]]:
        """(status, JSON body) of one API call with the admin token; never raises on 4xx/5xx."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.server + path, data=data, method=method)
        request.add_header("Authorization", f"Bearer {self.token}")
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", content_type)
        context = ssl.create_default_context(cafile=str(self.ca_file))
        try:
            with urllib.request.urlopen(request, context=context, timeout=30) as response:
                return response.status, _json(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, _json(exc.read())

    def call(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        """Like request, but raises ApiError unless the call succeeded."""
        status, reply = self.request(method, path, body)
        if not 200 <= status < 300:
            raise ApiError(status, reply)
        return reply

    def resource_path(self, api_version: str, kind: str, namespace: str = "") -> str:
        """The collection URL path of a kind (discovery, cached)."""
        root = "/api/v1" if api_version == "v1" else f"/apis/{api_version}"
        if (api_version, kind) not in self._resources:
            for item in self.call("GET", root).get("resources", []):
                if "/" not in item["name"]:  # not a subresource such as deployments/status
                    self._resources[(api_version, item["kind"])] = (
                        item["name"],
                        item["namespaced"],
                    )
        plural, namespaced = self._resources[(api_version, kind)]
        return f"{root}/namespaces/{namespace}/{plural}" if namespaced else f"{root}/{plural}"

    def get_object(
        self, api_version: str, kind: str, namespace: str, name: str
    ) -> dict[str, Any] | None:
        """The stored object as the server returns it (with defaults), or None when absent."""
        status, body = self.request(
            "GET", f"{self.resource_path(api_version, kind, namespace)}/{name}"
        )
        if status == 404:
            return None
        if status != 200:
            raise ApiError(status, body)
        return body

    def create_namespace(self, name: str, labels: Mapping[str, str] | None = None) -> None:
        meta = {"name": name, "labels": dict(labels or {})}
        self.call(
            "POST",
            "/api/v1/namespaces",
            {"apiVersion": "v1", "kind": "Namespace", "metadata": meta},
        )

    # --- Helm ------------------------------------------------------------------------------

    def helm(self, helm: Path, *args: str) -> subprocess.CompletedProcess[str]:
        """Run a real Helm CLI against this cluster, with Helm's home dirs inside data_dir."""
        home = self.data_dir / "helm" / helm.parent.name
        env = {k: v for k, v in os.environ.items() if not k.startswith(("HELM_", "KUBE"))}
        env.update(
            HELM_CACHE_HOME=str(home / "cache"),
            HELM_CONFIG_HOME=str(home / "config"),
            HELM_DATA_HOME=str(home / "data"),
        )
        argv = [str(helm), *args, "--kubeconfig", str(self.kubeconfig)]
        return subprocess.run(
            argv, env=env, capture_output=True, text=True, timeout=300, check=False
        )

    def install_chart(
        self,
        helm: Path,
        chart_dir: Path,
        release: str,
        namespace: str,
        values_files: Sequence[Path] = (),
        set_values: Mapping[str, str] | None = None,
        *,
        upgrade: bool = False,
        extra_args: Sequence[str] = (),
    ) -> subprocess.CompletedProcess[str]:
        """`helm install` (or `helm upgrade`) without --wait: no controllers run Pods here."""
        args = ["upgrade" if upgrade else "install", release, str(chart_dir), "-n", namespace]
        args += [] if upgrade else ["--create-namespace"]
        for values in values_files:
            args += ["-f", str(values)]
        for key, value in (set_values or {}).items():
            args += ["--set", f"{key}={value}"]
        return self.helm(helm, *args, *extra_args)

    def uninstall_chart(
        self, helm: Path, release: str, namespace: str
    ) -> subprocess.CompletedProcess[str]:
        return self.helm(helm, "uninstall", release, "-n", namespace)


def _json(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except ValueError:
        return {"message": raw.decode("utf-8", "replace")}
    return data if isinstance(data, dict) else {"items": data}


# --- build ------------------------------------------------------------------------------------


def build_binaries() -> Path:
    """Run tools/k8s/build.sh (reuses cached binaries); the bin dir it prints last."""
    done = subprocess.run([str(BUILD_SCRIPT)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"tools/k8s/build.sh failed:\n{done.stderr[-4000:]}")
    return Path(done.stdout.strip().splitlines()[-1])


# --- processes --------------------------------------------------------------------------------


def free_ports(count: int) -> list[int]:
    """Distinct free loopback ports (held together while choosing, then released)."""
    with ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]


def start(argv: Sequence[str], log: Path) -> subprocess.Popen[bytes]:
    """Start a process in its own process group, output to `log`."""
    with log.open("wb") as out:
        return subprocess.Popen(
            list(argv), stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process group, SIGKILL it after 20 s."""
    if process.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 20.0), (signal.SIGKILL, 10.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def wait_until(
    what: str, check: Any, timeout: float, process: subprocess.Popen[bytes], log: Path
) -> None:
    """Poll `check()` until true; fail with the log's tail on timeout or early exit."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}:\n{_tail(log)}")
        try:
            if check():
                return
        except (OSError, urllib.error.URLError, ssl.SSLError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{what} not ready after {timeout:.0f}s:\n{_tail(log)}")


def _tail(log: Path, lines: int = 40) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def _http_ok(url: str, token: str = "", cafile: Path | None = None) -> bool:
    if cafile is not None and not cafile.exists():
        return False
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    context = ssl.create_default_context(cafile=str(cafile)) if cafile else None
    try:
        with urllib.request.urlopen(request, context=context, timeout=5) as response:
            return bool(response.status == 200)
    except urllib.error.HTTPError:
        return False


# --- the control plane ------------------------------------------------------------------------


def etcd_argv(binary: Path, data: Path, client: int, peer: int) -> list[str]:
    peer_url, client_url = f"http://127.0.0.1:{peer}", f"http://127.0.0.1:{client}"
    return [
        str(binary), "--name=t", f"--data-dir={data}",
        f"--listen-client-urls={client_url}", f"--advertise-client-urls={client_url}",
        f"--listen-peer-urls={peer_url}", f"--initial-advertise-peer-urls={peer_url}",
        f"--initial-cluster=t={peer_url}", "--unsafe-no-fsync", "--log-level=warn",
    ]  # fmt: skip


def apiserver_argv(binary: Path, data: Path, etcd: int, port: int, pki: Pki) -> list[str]:
    return [
        str(binary), f"--etcd-servers=http://127.0.0.1:{etcd}",
        "--bind-address=127.0.0.1", f"--secure-port={port}", f"--cert-dir={data / 'certs'}",
        "--advertise-address=127.0.0.1", "--endpoint-reconciler-type=none",
        "--service-cluster-ip-range=10.0.0.0/24",
        "--service-account-issuer=https://kubernetes.default.svc",
        f"--service-account-key-file={pki.sa_key}",
        f"--service-account-signing-key-file={pki.sa_key}",
        f"--token-auth-file={data / 'tokens.csv'}", f"--client-ca-file={pki.client_ca}",
        "--authorization-mode=RBAC", "--disable-admission-plugins=ServiceAccount",
        "--allow-privileged=true",
    ]  # fmt: skip


def write_kubeconfig(path: Path, server: str, ca_file: Path, token: str) -> None:
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [
            {"name": "local", "cluster": {"server": server, "certificate-authority": str(ca_file)}}
        ],
        "users": [{"name": "admin", "user": {"token": token}}],
        "contexts": [
            {
                "name": "local",
                "context": {"cluster": "local", "user": "admin", "namespace": "default"},
            }
        ],
        "current-context": "local",
    }
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    path.chmod(0o600)


@contextmanager
def control_plane(bin_dir: Path, data: Path) -> Iterator[KubeCluster]:
    """etcd + kube-apiserver on free loopback ports with a fresh data dir; both process
    groups are stopped on exit, also when startup fails."""
    etcd_port, peer_port, api_port = free_ports(3)
    pki = make_pki(data / "pki")
    token = secrets.token_hex(24)
    (data / "tokens.csv").write_text(f"{token},admin,admin,system:masters\n", encoding="utf-8")
    processes: list[subprocess.Popen[bytes]] = []
    try:
        etcd_log = data / "etcd.log"
        processes.append(
            start(etcd_argv(bin_dir / "etcd", data / "etcd", etcd_port, peer_port), etcd_log)
        )
        etcd_health = f"http://127.0.0.1:{etcd_port}/health"
        wait_until("etcd", lambda: _http_ok(etcd_health), 60.0, processes[0], etcd_log)
        api_log = data / "kube-apiserver.log"
        argv = apiserver_argv(bin_dir / "kube-apiserver", data, etcd_port, api_port, pki)
        processes.append(start(argv, api_log))
        server, ca_file = f"https://127.0.0.1:{api_port}", data / "certs" / "apiserver.crt"
        ready = lambda: _http_ok(f"{server}/readyz", token, ca_file)  # noqa: E731
        wait_until("kube-apiserver", ready, READY_TIMEOUT, processes[1], api_log)
        write_kubeconfig(data / "kubeconfig", server, ca_file, token)
        cluster = KubeCluster(server, token, ca_file, data / "kubeconfig", data, pki)
        cluster.version = str(cluster.call("GET", "/version")["gitVersion"])
        cluster.crds = install_crds(cluster, sorted(CRD_DIR.glob("**/*.yaml")))
        yield cluster
    finally:
        for process in reversed(processes):
            stop(process)


# --- CRDs -------------------------------------------------------------------------------------

CRD_PATH = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"


def install_crds(cluster: KubeCluster, files: Sequence[Path]) -> list[str]:
    """Create every CustomResourceDefinition in `files` and wait until each is Established."""
    names: list[str] = []
    for path in files:
        for doc in crd_documents(path):
            if isinstance(doc, dict) and doc.get("kind") == "CustomResourceDefinition":
                names.append(install_crd(cluster, doc))
    for name in names:
        wait_established(cluster, name)
    return names


def crd_documents(path: Path) -> list[Any]:
    """The documents of a bundled CRD file; the trimmed ones (tools/crds/sync.py) are JSON lines
    under a comment, which a pure-Python YAML parse takes seconds each to read."""
    text = path.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    if lines and all(line.startswith("{") or line == "---" for line in lines):
        return [json.loads(line) for line in lines if line != "---"]
    return list(yaml.safe_load_all(text))


def install_crd(cluster: KubeCluster, crd: dict[str, Any]) -> str:
    status, body = cluster.request("POST", CRD_PATH, crd)
    if status not in (201, 409):
        raise ApiError(status, body)
    return str(crd["metadata"]["name"])


def wait_established(cluster: KubeCluster, name: str, timeout: float = CRD_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = cluster.call("GET", f"{CRD_PATH}/{name}").get("status") or {}
        conditions = status.get("conditions") or []  # null until the controller runs
        if any(c["type"] == "Established" and c["status"] == "True" for c in conditions):
            return
        time.sleep(0.2)
    raise RuntimeError(f"CRD {name} not Established after {timeout:.0f}s")
