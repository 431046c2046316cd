"""The child process that runs Helm's Go SDK (`python -m chartgen.helm.worker`).

A chart's templates are code: `repeat 100000000` or a huge `range until` can make the Go
runtime allocate gigabytes, run for minutes or abort the whole process. So renders happen here,
under the address-space limit the parent sets, and the parent kills this process when a render
runs past its time limit. Requests and replies are length-prefixed JSON on stdin/stdout.
"""

from __future__ import annotations

import json
import os
import resource
import struct
import sys
from typing import Any, BinaryIO

_HEADER = struct.Struct(">I")
# Changes when a request or reply changes meaning: each worker says it in its hello, and
# chartgen/helm/sandbox.py refuses another (render-worker/main.go `protocol` is the Go side's).
PROTOCOL = 1
SHARED_BYTES = 64 * 1024  # smaller outputs are sent again: hashing them would cost more
# A lint renders a chart's variants one after another; a monorepo's thousand charts must not all
# stay loaded. Both workers get these from sandbox.py's environment (settings()).
KEPT_CHARTS = 8


def send(stream: BinaryIO, message: dict[str, Any]) -> None:
    payload = json.dumps(message, ensure_ascii=False).encode("utf-8", "surrogatepass")
    stream.write(_HEADER.pack(len(payload)) + payload)
    stream.flush()


def receive(stream: BinaryIO) -> dict[str, Any] | None:
    header = _read_exactly(stream, _HEADER.size)
    if header is None:
        return None
    (size,) = _HEADER.unpack(header)
    payload = _read_exactly(stream, size)
    if payload is None:
        return None
    message: dict[str, Any] = json.loads(payload.decode("utf-8", "surrogatepass"))
    return message


def _read_exactly(stream: BinaryIO, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = stream.read(left)
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


class Worker:
    def __init__(self, max_output: int, shared_bytes: int, kept_charts: int) -> None:
        import helm_python

        helm_python.disable_logging()
        self.helm = helm_python
        self.max_output = max_output
        self.shared_bytes, self.kept_charts = shared_bytes, kept_charts
        self.generation = ""
        self.charts: dict[str, Any] = {}
        self.sent: set[str] = set()  # digests of the large outputs sent to this generation

    def _shared(self, files: dict[str, str]) -> dict[str, Any]:
        """A large output sent to this engine before (a values variant renders an operator's CRDs
        as the last did) goes as its digest: the engine holds the text. Each digest names the
        text of every template whose output it is."""
        import hashlib

        same: dict[str, str] = {}
        sent: dict[str, str] = {}
        for name, text in files.items():
            if len(text) < self.shared_bytes:
                continue
            digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
            (same if digest in self.sent else sent)[name] = digest
            self.sent.add(digest)
        kept = {name: text for name, text in files.items() if name not in same}
        return {"ok": kept, "sent": sent, "same": same}

    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        if request.get("generation") != self.generation:  # a new engine: charts may have changed
            self.generation = str(request.get("generation"))
            for chart in self.charts.values():
                chart.close()
            self.charts.clear()
            self.sent.clear()
        try:
            files = self.render(request)
            return self._shared(files) if request.get("share") else {"ok": files}
        except self.helm.HelmChartLoadError as exc:
            return {"error": "load", "message": str(exc)}
        except self.helm.HelmError as exc:
            return {"error": "render", "message": str(exc)}
        except OutputTooLarge as exc:
            return {"error": "limit", "message": str(exc)}

    def render(self, request: dict[str, Any]) -> dict[str, str]:
        path = request["chart"]
        chart = self.charts.get(path)
        if chart is None:
            chart = self.helm.Chart.load(path)
            # The SDK's render processes dependencies in the loaded chart itself (a disabled
            # subchart is removed from it): reused, one values file would disable a subchart
            # for the variants after it. A chart with dependencies is loaded for each render.
            if not chart.metadata.get("dependencies"):
                self._keep(path, chart)
        try:
            files = self._render(chart, request)
        finally:
            if self.charts.get(path) is not chart:
                chart.close()
        total = _bytes_past(files, self.max_output)
        if total is not None:
            raise OutputTooLarge(
                f"render exceeded the output limit: {total} bytes (at most {self.max_output})"
            )
        return files

    def _keep(self, path: str, chart: Any) -> None:
        if len(self.charts) == self.kept_charts:
            self.charts.pop(next(iter(self.charts))).close()
        self.charts[path] = chart

    def _render(self, chart: Any, request: dict[str, Any]) -> dict[str, str]:
        """Chart.render of the SDK, plus the `kube_version` option its native render accepts
        but the Python wrapper does not pass on (`.Capabilities.KubeVersion` in templates)."""
        options = {"name": request["release"], "namespace": request["namespace"]}
        if not request.get("kube_version"):
            files: dict[str, str] = chart.render(request["values"], **options)
            return files
        options["kube_version"] = request["kube_version"]
        from helm_python import _native

        rendered = _native.call_string(
            "helm_render", chart._raw(), json.dumps(request["values"]), json.dumps(options)
        )
        result: dict[str, str] = json.loads(rendered)
        return result


class OutputTooLarge(Exception):
    pass


def _bytes_past(files: dict[str, str], limit: int) -> int | None:
    """The outputs' size in UTF-8 bytes, as chartgen-render counts it, when it passes `limit`;
    None when it does not (a character is 1 to 4 bytes: most renders need no encoding)."""
    characters = sum(len(text) for text in files.values())
    if characters * 4 <= limit:
        return None
    size = sum(len(text.encode("utf-8", "surrogatepass")) for text in files.values())
    return size if size > limit else None


def _limit_memory() -> None:
    """An address-space limit of what the idle process maps (Python, the Go runtime's
    reservations: about 1.8 GiB, nearly all of it untouched) plus the render budget: an
    allocation past it fails and the Go runtime aborts this process, not the parent."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    mib = int(os.environ["CHARTGEN_RENDER_MEMORY_MIB"])
    if mib:
        limit = _mapped_bytes() + mib * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _mapped_bytes() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def main() -> None:
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but replies on the reply channel
    environ = os.environ
    worker = Worker(
        int(environ["CHARTGEN_RENDER_OUTPUT_BYTES"]),
        int(environ["CHARTGEN_RENDER_SHARED_BYTES"]),
        int(environ["CHARTGEN_RENDER_KEPT_CHARTS"]),
    )
    _limit_memory()
    send(replies, {"ready": True, "protocol": PROTOCOL})
    while True:
        request = receive(requests)
        if request is None:
            return
        send(replies, worker.handle(request))


if __name__ == "__main__":
    main()


def settings(output_bytes: int, memory_mib: int) -> dict[str, str]:
    """The environment a worker of either kind is started with: its bounds and what it keeps."""
    return {
        "CHARTGEN_RENDER_OUTPUT_BYTES": str(output_bytes),
        "CHARTGEN_RENDER_MEMORY_MIB": str(memory_mib),
        "CHARTGEN_RENDER_SHARED_BYTES": str(SHARED_BYTES),
        "CHARTGEN_RENDER_KEPT_CHARTS": str(KEPT_CHARTS),
    }
