"""`chartgen lint` opens no socket and reads no file outside its inputs, whatever the chart says:
a values.schema.json whose $ref/$schema point at a loopback HTTP server or at file:// URLs, a
symbolic link out of the chart, the same inside a packed subchart. Proven twice: the real CLI
under `strace -f` (every process and thread, Helm's worker included) with a loopback server
that records every request, and an in-process audit hook on the linting process."""

from __future__ import annotations

import http.server
import os
import re
import shutil
import subprocess
import sys
import tarfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from chartgen.cli import _run
from tests.hostile.charts import make_chart

REPO = Path(__file__).resolve().parents[2]


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Recorder.hits.append(self.path)
        body = b'{"type": "string"}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    _Recorder.hits = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _secret(tmp_path: Path) -> Path:
    secret = tmp_path / "outside" / "secret.json"
    secret.parent.mkdir()
    secret.write_text('{"type": "string"}', encoding="utf-8")
    return secret


def _hostile_chart(root: Path, url: str, secret: Path) -> Path:
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "properties": {
            "a": {"$ref": f"{url}/schema.json"},
            "b": {"$ref": f"file://{secret}"},
            "c": {"$ref": str(secret)},
            "d": {"$schema": f"{url}/meta.json", "type": "string"},
        },
    }
    chart = make_chart(root, "hostile", schema=schema)
    (chart / "templates" / "leak.yaml").symlink_to(secret)
    (chart / "templates" / "dns.yaml").write_text(  # Sprig's DNS lookup: Helm keeps it offline
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dns\n"
        'data:\n  a: {{ getHostByName "example.com" | quote }}\n',
        encoding="utf-8",
    )
    (chart / "files").mkdir()
    (chart / "files" / "passwd").symlink_to("/etc/passwd")
    sub = make_chart(
        root / "sub-src", "sub", schema={"properties": {"a": {"$ref": f"{url}/sub.json"}}}
    )
    (chart / "charts").mkdir()
    with tarfile.open(chart / "charts" / "sub-0.1.0.tgz", "w:gz") as bundle:
        bundle.add(sub, arcname="sub")
    return chart


def _strace() -> str:
    found = shutil.which("strace")
    if found is None:
        if os.environ.get("CI"):
            raise RuntimeError("strace missing: tools/install-tools.sh installs it")
        pytest.skip("strace not installed")
    return found


_EVENT = re.compile(r"^(\d+)\s+(\w+)\((.*)$")
_RESULT = re.compile(r"= (-?\d+)")


def _outside_opens(trace: str, allowed: list[str]) -> tuple[list[str], list[str]]:
    """(files opened outside `allowed`, network calls) after each process started chartgen
    (what the interpreter does at start-up, before chartgen runs, is not chartgen's)."""
    armed: dict[str, bool] = {}
    outside, network = [], []
    for line in trace.splitlines():
        match = _EVENT.match(line)
        if not match:
            continue
        tid, call, rest = match.groups()
        result = _RESULT.search(rest)
        if call in ("clone", "clone3", "fork", "vfork") and result and int(result.group(1)) > 0:
            armed[result.group(1)] = armed.get(tid, False)
        elif call == "execve":
            armed[tid] = False
        elif call == "openat":
            path = _opened_path(rest)
            if "/chartgen/" in path:
                armed[tid] = True
            elif armed.get(tid) and "ENOENT" not in rest and not path.startswith(tuple(allowed)):
                outside.append(path)
        elif (
            call in ("connect", "sendto", "sendmsg", "bind")
            and "AF_UNIX" not in rest
            and "AF_NETLINK" not in rest
        ):
            network.append(line)
    return sorted(set(outside)), network


_DIRFD = re.compile(r"^\d+<(?P<dir>[^>]*)>, \"(?P<name>[^\"]*)\"")


def _opened_path(arguments: str) -> str:
    """openat's path, made absolute: strace -y prints the directory of a dirfd."""
    relative = _DIRFD.match(arguments)
    if relative:
        return os.path.join(relative.group("dir"), relative.group("name"))
    path = arguments.split('"')[1] if '"' in arguments else ""
    return path if os.path.isabs(path) else os.path.join(os.getcwd(), path)


def _allowed(chart: Path, scratch: Path) -> list[str]:
    import helm_python

    return [
        str(chart),
        str(scratch),
        str(REPO / "chartgen"),
        sys.prefix,
        sys.base_prefix,
        str(Path(helm_python.__file__).parent),
        "/proc/",
        "/sys/",
        "/dev/null",
        "/dev/urandom",
        "/lib",
        "/usr/lib",
        "/etc/ld.so.cache",
        "/etc/localtime",
        "/usr/share/zoneinfo",
    ]


def test_strace_lint_makes_no_connection_and_reads_nothing_outside(
    tmp_path: Path, server: str
) -> None:
    strace = _strace()
    secret = _secret(tmp_path)
    chart = _hostile_chart(tmp_path / "in", server, secret)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    trace = tmp_path / "trace.txt"
    env = {**os.environ, "TMPDIR": str(scratch), "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [
            strace,
            "-f",
            "-qq",
            "-y",
            "-e",
            "trace=network,openat,execve,clone,clone3,fork,vfork",
            "-o",
            str(trace),
            sys.executable,
            "-m",
            "chartgen",
            "lint",
            str(chart),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    outside, network = _outside_opens(trace.read_text(encoding="utf-8"), _allowed(chart, scratch))
    report = (
        f"strace -f -e trace=network,openat: lint exit {done.returncode}, "
        f"{len(network)} network calls, {len(outside)} files opened outside the chart, "
        f"{len(_Recorder.hits)} requests to the loopback server"
    )
    print(report)
    (tmp_path / "proof.txt").write_text(report + "\n", encoding="utf-8")
    assert done.returncode == 1, done.stderr  # refusals are findings
    assert "input-refused" in done.stdout and "templates/leak.yaml" in done.stdout
    assert "charts/sub-0.1.0.tgz!/sub/values.schema.json" in done.stdout
    assert _Recorder.hits == []
    assert network == []
    assert outside == [], outside


def test_secret_and_etc_passwd_are_never_opened(tmp_path: Path, server: str) -> None:
    strace = _strace()
    secret = _secret(tmp_path)
    chart = _hostile_chart(tmp_path / "in", server, secret)
    trace = tmp_path / "trace.txt"
    subprocess.run(
        [
            strace,
            "-f",
            "-qq",
            "-e",
            "trace=openat,open,stat,newfstatat,readlink",
            "-o",
            str(trace),
            sys.executable,
            "-m",
            "chartgen",
            "lint",
            str(chart),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=300,
        check=False,
    )
    opened = [
        ln
        for ln in trace.read_text(encoding="utf-8").splitlines()
        if "openat(" in ln and "ENOENT" not in ln
    ]
    assert not [ln for ln in opened if f'"{secret}"' in ln]
    assert not [ln for ln in opened if '"/etc/passwd"' in ln]


def test_audit_hook_sees_no_socket_and_no_outside_open(
    tmp_path: Path, server: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = _secret(tmp_path)
    chart = _hostile_chart(tmp_path / "in", server, secret)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    allowed = tuple(_allowed(chart, scratch))
    events: list[tuple[str, str]] = []
    armed = [True]

    def hook(event: str, args: tuple[object, ...]) -> None:
        if not armed[0]:
            return
        if event.startswith("socket."):
            events.append((event, repr(args)[:120]))
        elif event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
            path = os.fsdecode(args[0])
            if os.path.isabs(path) and not path.startswith(allowed):
                events.append((event, path))

    sys.addaudithook(hook)  # hooks cannot be removed: it disarms itself after the run
    try:
        code = _run(["lint", str(chart)])
    finally:
        armed[0] = False
    capsys.readouterr()
    assert code == 1
    assert _Recorder.hits == []
    assert events == [], events


def test_clean_schema_still_validates_values(tmp_path: Path) -> None:
    """A self-contained schema (local #/ refs, known $schema) is still Helm's to check."""
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "definitions": {"s": {"type": "integer"}},
        "properties": {"a": {"$ref": "#/definitions/s"}},
    }
    chart = make_chart(tmp_path, schema=schema)
    done = subprocess.run(
        [sys.executable, "-m", "chartgen", "lint", str(chart)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=300,
        check=False,
    )
    assert (
        done.returncode == 1 and "helm-render" in done.stdout and "input-refused" not in done.stdout
    )
