"""A control plane that schedules and runs pods, for tests: the etcd + kube-apiserver of
tests/apiserver/cluster.py plus the real kube-controller-manager and kube-scheduler (built by
tools/k8s/build.sh) and KWOK (tools/install-tools.sh), which plays the kubelet of fake nodes.

Nodes are created from data (tests/cluster/nodes.py); KWOK marks them Ready, marks every pod
bound to one Running and Ready, and moves pods owned by a Job to Succeeded (the vendored stage
configs in tests/cluster/kwok-stages). Everything runs on loopback, each component in its own
process group, stopped on exit also when startup fails.
"""

from __future__ import annotations

import ssl
import subprocess
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from tests.apiserver.cluster import (
    KubeCluster,
    control_plane,
    free_ports,
    start,
    stop,
    wait_until,
)

STAGES = Path(__file__).resolve().parent / "kwok-stages"
READY_TIMEOUT = 120.0

# Controllers the tests need: workloads, Jobs, static volume binding, Service endpoints,
# namespace and garbage collection (uninstall, namespace cleanup), pods of deleted nodes, and
# node lifecycle (it lifts the node.kubernetes.io/not-ready taint the TaintNodesByCondition
# admission plugin puts on every new node, once KWOK reports the node Ready).
# No service-account token controller (no pod mounts a token), no HPA controller (no metrics
# API here: the tests check an autoscaler's target exists, not that it scales).
CONTROLLERS = (
    "deployment-controller",
    "replicaset-controller",
    "statefulset-controller",
    "job-controller",
    "persistentvolume-binder-controller",
    "endpointslice-controller",
    "namespace-controller",
    "garbage-collector-controller",
    "pod-garbage-collector-controller",
    "node-lifecycle-controller",
)


def controller_manager_argv(binary: Path, kubeconfig: Path, port: int, certs: Path) -> list[str]:
    return [
        str(binary), f"--kubeconfig={kubeconfig}", f"--controllers={','.join(CONTROLLERS)}",
        "--leader-elect=false", "--bind-address=127.0.0.1", f"--secure-port={port}",
        f"--cert-dir={certs}",
        "--use-service-account-credentials=false", "--v=1",
        # A namespace deletion and the collector both wait on discovery: refresh it quickly.
        "--concurrent-namespace-syncs=4", "--concurrent-gc-syncs=10",
        # KWOK's heartbeat stage renews a node every 20-45 s: never call a live node unreachable.
        "--node-monitor-grace-period=120s", "--node-monitor-period=1s",
        # Claims bind on their events; the periodic resync only catches what was missed.
        "--pvclaimbinder-sync-period=2s",
    ]  # fmt: skip


def scheduler_argv(binary: Path, kubeconfig: Path, port: int, certs: Path) -> list[str]:
    return [
        str(binary), f"--kubeconfig={kubeconfig}", "--leader-elect=false",
        "--bind-address=127.0.0.1", f"--secure-port={port}", f"--cert-dir={certs}", "--v=1",
    ]  # fmt: skip


def kwok_argv(binary: Path, kubeconfig: Path, stages: Sequence[Path]) -> list[str]:
    return [
        str(binary), f"--kubeconfig={kubeconfig}", "--manage-all-nodes=true",
        "--cidr=10.64.0.1/12", "--node-ip=10.63.0.1",
        *(f"--config={stage}" for stage in stages),
    ]  # fmt: skip


def _healthz(port: int) -> bool:
    # /healthz is in the components' default --authorization-always-allow-paths; their serving
    # certificate is self-signed, generated at start.
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with urllib.request.urlopen(f"https://127.0.0.1:{port}/healthz", context=context, timeout=5):
        return True


def _nodes_listable(cluster: KubeCluster) -> bool:
    return cluster.request("GET", "/api/v1/nodes")[0] == 200


@contextmanager
def scheduling_plane(bin_dir: Path, kwok: Path, data: Path) -> Iterator[KubeCluster]:
    """etcd, kube-apiserver (with the CRDs of schemas/crds), kube-controller-manager,
    kube-scheduler and KWOK, all on loopback; every process group stopped on exit."""
    cm_port, sched_port = free_ports(2)
    processes: list[subprocess.Popen[bytes]] = []
    with control_plane(bin_dir, data) as cluster:
        try:
            log = data / "kube-controller-manager.log"
            argv = controller_manager_argv(
                bin_dir / "kube-controller-manager", cluster.kubeconfig, cm_port, data / "cm-certs"
            )
            processes.append(start(argv, log))
            wait_until(
                "kube-controller-manager",
                lambda: _healthz(cm_port),
                READY_TIMEOUT,
                processes[-1],
                log,
            )
            log = data / "kube-scheduler.log"
            argv = scheduler_argv(
                bin_dir / "kube-scheduler", cluster.kubeconfig, sched_port, data / "sched-certs"
            )
            processes.append(start(argv, log))
            wait_until(
                "kube-scheduler", lambda: _healthz(sched_port), READY_TIMEOUT, processes[-1], log
            )
            log = data / "kwok.log"
            processes.append(
                start(kwok_argv(kwok, cluster.kubeconfig, sorted(STAGES.glob("*.yaml"))), log)
            )
            wait_until("kwok", lambda: _nodes_listable(cluster), READY_TIMEOUT, processes[-1], log)
            yield cluster
        finally:
            for process in reversed(processes):
                stop(process)
