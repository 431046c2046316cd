"""chartgen lint never needs the network: run it where there is none."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.lint.conftest import CORPUS, FIXTURES, Cli

REPO = Path(__file__).resolve().parents[2]
_RUN_LINT = (
    "import sys\n"
    "from chartgen.commands import _COMMANDS\n"
    "_COMMANDS.setdefault('lint', ('chartgen.commands.lint_cmd', 'lint'))\n"
    "from chartgen.cli import main\n"
    "main(sys.argv[1:])\n"
)


def _network_namespace_available() -> bool:
    unshare = shutil.which("unshare")
    if not unshare:
        return False
    return subprocess.run([unshare, "-n", "true"], capture_output=True, check=False).returncode == 0


@pytest.mark.skipif(not _network_namespace_available(), reason="needs unshare -n (root)")
def test_lint_in_a_network_namespace_without_network(tmp_path: Path, kubeconform: Path) -> None:
    env = {**os.environ, "CHARTGEN_CACHE_DIR": str(tmp_path / "cache")}
    inputs = [
        FIXTURES / "charts" / "model-server",
        CORPUS / "valid",
        FIXTURES / "manifests" / "widget-valid.yaml",
    ]
    for validator in ("builtin", "kubeconform"):
        args = ["lint", "--validator", validator, "--kubeconform", str(kubeconform)]
        args += ["--crd", str(FIXTURES / "crds"), "--schema-only", *map(str, inputs)]
        done = subprocess.run(
            ["unshare", "-n", sys.executable, "-c", _RUN_LINT, *args],
            capture_output=True,
            text=True,
            check=False,
            cwd=REPO,
            env=env,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert "0 errors" in done.stdout


def test_lint_with_sockets_blocked(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, kubeconform: Path
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    for validator in ("builtin", "kubeconform"):
        run = cli(
            "lint",
            "--schema-only",
            "--validator",
            validator,
            "--kubeconform",
            kubeconform,
            FIXTURES / "charts" / "model-server",
            CORPUS / "invalid" / "servicemonitor-port-number.yaml",
        )
        assert run.code == 1, run.err
        assert "[schema-invalid] ServiceMonitor/web /spec/endpoints/0/port" in run.out
