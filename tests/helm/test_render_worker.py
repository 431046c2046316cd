"""chartgen-render (render-worker/, Helm's Go packages) and the SDK worker (chartgen/helm/worker.py)
give the same replies to the same requests: outputs, Helm's errors and warnings, large outputs
named by digest. The Go worker is built from these sources, with the SDK's Helm, and its one
change to Helm's engine is a file of its own."""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import helm_python
import pytest
import yaml

from chartgen.errors import ToolError
from chartgen.helm import sandbox
from chartgen.helm.embedded import EmbeddedEngine
from chartgen.helm.engine import RenderOptions
from chartgen.helm.sandbox import POOL, Limits, _Process
from chartgen.helm.worker import KEPT_CHARTS, PROTOCOL, settings
from tests.conftest import REPO
from tests.hostile.conftest import chartgen

WORKER_SOURCES = REPO / "render-worker"
_LOG_DATE = re.compile(r"^\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2} ", re.MULTILINE)


def _start(command: str, monkeypatch: pytest.MonkeyPatch) -> _Process:
    monkeypatch.setenv(sandbox.WORKER_VARIABLE, command)
    process = _Process(Limits())
    process.wait_ready()
    return process


def _replies(command: str, requests: list[dict[str, Any]], mp: pytest.MonkeyPatch) -> list[Any]:
    process = _start(command, mp)
    try:
        replies = [process.call(request) for request in requests]
    finally:
        process.kill()
    for reply in replies:  # Go's log prefixes each line with the time it was written
        reply["log"] = _LOG_DATE.sub("", reply["log"])
    return replies


def _assert_same_replies(requests: list[dict[str, Any]], mp: pytest.MonkeyPatch) -> None:
    sdk = _replies("sdk", requests, mp)
    go = _replies(str(sandbox.GO_WORKER), requests, mp)
    for request, by_sdk, by_go in zip(requests, sdk, go, strict=True):
        assert by_go == by_sdk, (request["chart"], request["values"], request["kube_version"])


def _request(chart: Path, values: dict[str, Any], kube: str | None = None) -> dict[str, Any]:
    return {
        "op": "render",
        "chart": str(chart),
        "generation": "g",
        "share": True,
        "values": values,
        "release": "rel",
        "namespace": "team",
        "kube_version": kube,
    }


def _variants(chart: Path) -> list[dict[str, Any]]:
    files = sorted((chart / "ci").glob("*.yaml")) if (chart / "ci").is_dir() else []
    return [{}] + [yaml.safe_load(path.read_text(encoding="utf-8")) or {} for path in files]


def _charts_in(root: Path) -> list[Path]:
    return sorted(
        path.parent
        for path in root.rglob("Chart.yaml")
        if "charts" not in path.relative_to(root).parts[:-2]
    )


def test_same_replies_on_the_generated_charts_and_the_corpus(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every generated chart and every chart the tests hold (third-party corpus included), each
    values variant, with and without --kube-version: byte-identical replies."""
    charts = _charts_in(REPO / "generated-charts") + _charts_in(REPO / "tests")
    assert len(charts) > 30
    requests = [
        _request(chart, values, kube)
        for chart in charts
        for values in _variants(chart)
        for kube in (None, "v1.30.2")
    ]
    _assert_same_replies(requests, monkeypatch)


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def _chart(root: Path, name: str, templates: dict[str, str], **files: str) -> Path:
    chart = root / name
    members = {"Chart.yaml": f"apiVersion: v2\nname: {name}\nversion: 0.1.0\n", **files}
    members.update({f"templates/{file}": text for file, text in templates.items()})
    return _write(chart, members)


SCHEMA = json.dumps(
    {
        "type": "object",
        "$defs": {"port": {"type": "integer", "minimum": 1}},
        "properties": {"port": {"$ref": "#/$defs/port"}, "u": {"$ref": "urn:unknown:thing"}},
    }
)
DEPENDENCIES = """dependencies:
  - {name: sub, version: 0.1.0, condition: sub.enabled}
  - {name: sub, version: 0.1.0, alias: other, condition: other.enabled}
  - {name: lib, version: 0.1.0}
"""


@pytest.fixture
def edge_charts(tmp_path: Path) -> list[dict[str, Any]]:
    """Charts for each kind of reply: Helm's errors, warnings, capabilities, subcharts."""
    plain = _chart(
        tmp_path,
        "plain",
        {
            # All but HelmVersion.GoVersion: the Go each binary was built with.
            "caps.yaml": "{{ toYaml .Capabilities.KubeVersion }}\n"
            "{{ toYaml .Capabilities.APIVersions }}\n"
            "{{ .Capabilities.HelmVersion.Version }} {{ .Capabilities.HelmVersion.GitCommit }} "
            "{{ .Capabilities.HelmVersion.KubeClientVersion }}\n",
            "ctx.yaml": "t: {{ .Template.Name }} {{ .Template.BasePath }} {{ .Release.Namespace }}\n"
            'f: {{ .Files.Get "files/a.txt" }} {{ range $p, $_ := .Files.Glob "files/*" }}{{ $p }}{{ end }}\n'
            'u: {{ "h\\u00e9llo \\xff" }}\n'
            "tpl: {{ tpl .Values.tpl . }}\n"
            'inc: {{ include "plain.name" . }}\n',
            "_helpers.tpl": '{{- define "plain.name" -}}{{ .Chart.Name }}-{{ .Values.port }}{{- end -}}',
            "NOTES.txt": "notes {{ .Values.port }}\n",
        },
        **{
            "values.yaml": "port: 80\ntpl: '{{ .Values.port }}'\nmap:\n  a:\n    b: 1\n",
            "values.schema.json": SCHEMA,
            "files/a.txt": "file a\n",
        },
    )
    parse_error = _chart(tmp_path, "parse", {"a.yaml": "a: {{ .Values.x \n"})
    failing = _chart(
        tmp_path,
        "failing",
        {
            "a.yaml": '{{ if .Values.fail }}{{ fail "asked to fail" }}{{ end }}'
            '{{ if .Values.req }}{{ required "x is required" .Values.x }}{{ end }}'
            '{{ if .Values.loop }}{{ include "loop" . }}{{ end }}'
            "{{ if .Values.bad }}{{ .Values.bad.deep.er }}{{ end }}\n",
            "_l.tpl": '{{ define "loop" }}{{ include "loop" . }}{{ end }}',
        },
    )
    parent = _chart(
        tmp_path,
        "parent",
        {"p.yaml": 'p: {{ .Values.imported | default "none" }}\n'},
        **{
            "Chart.yaml": f"apiVersion: v2\nname: parent\nversion: 0.1.0\n{DEPENDENCIES}",
            "values.yaml": "sub:\n  enabled: true\nother:\n  enabled: 'yes'\n",
        },
    )
    _chart(
        parent / "charts",
        "sub",
        {"s.yaml": "s: {{ .Values.size }} {{ .Chart.Name }} {{ .Template.BasePath }}\n"},
        **{
            "values.yaml": "size: 1\nenabled: true\n",
            "values.schema.json": '{"properties": {"size": {"type": "integer"}}}',
        },
    )
    _chart(
        parent / "charts",
        "lib",
        {"_lib.tpl": '{{ define "lib.x" }}x{{ end }}'},
        **{"Chart.yaml": "apiVersion: v2\nname: lib\nversion: 0.1.0\ntype: library\n"},
    )
    return [
        _request(plain, {}),
        _request(plain, {"port": 8080}, "v1.29.0"),
        _request(plain, {"port": 0}),  # schema: minimum
        _request(plain, {"port": "80"}),  # schema: type
        _request(plain, {"map": {"a": 5}}),  # Helm's warning: a scalar for the chart's map
        _request(plain, {}, "not-a-version"),
        _request(parse_error, {}),
        _request(failing, {"fail": True}),
        _request(failing, {"req": True}),
        _request(failing, {"loop": True}),
        _request(failing, {"bad": 3}),
        _request(parent, {}),  # `other.enabled: 'yes'` is not a bool: Helm's slog warning
        _request(parent, {"sub": {"enabled": False}}),
        _request(parent, {"sub": {"size": "big"}}),  # the subchart's schema
        _request(parent, {"sub": 7}),  # not a map for the subchart
        _request(parent, {"other": {"enabled": True, "size": 3}}),
        _request(tmp_path / "missing", {}),
        _request(plain / "values.yaml", {}),
    ]


def test_same_replies_for_errors_warnings_and_subcharts(
    edge_charts: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    replies = _replies(str(sandbox.GO_WORKER), edge_charts, monkeypatch)
    kinds = [reply.get("error", "ok") for reply in replies]
    assert (
        kinds
        == ["ok", "ok"]
        + ["render"] * 2
        + ["ok"]
        + ["render"] * 6
        + ["ok"] * 2
        + ["render"] * 2
        + ["ok"]
        + ["load"] * 2
    ), kinds
    logged = "".join(reply["log"] for reply in replies)
    assert "cannot overwrite table with non table" in logged
    assert "returned non-bool value" in logged
    _assert_same_replies(edge_charts, monkeypatch)


@pytest.mark.parametrize("worker", ["go", "sdk"])
def test_a_variant_disabling_a_subchart_leaves_it_to_the_next(
    tmp_path: Path, worker: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Helm processes a chart's dependencies in the chart it renders: the SDK worker reused the
    loaded chart, so after a values file that disabled a subchart, later variants lost it."""
    if worker == "sdk":
        monkeypatch.setenv(sandbox.WORKER_VARIABLE, "sdk")
    POOL.close()
    chart = _chart(
        tmp_path,
        "parent",
        {"p.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: p\n"},
        **{
            "Chart.yaml": "apiVersion: v2\nname: parent\nversion: 0.1.0\n"
            "dependencies:\n  - {name: sub, version: 0.1.0, condition: sub.enabled}\n",
            "values.yaml": "sub:\n  enabled: true\n",
            "off.yaml": "sub:\n  enabled: false\n",
            "on.yaml": "sub:\n  enabled: true\n",
        },
    )
    _chart(
        chart / "charts",
        "sub",
        {"s.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\n"},
    )
    engine = EmbeddedEngine(reuse=True)
    try:
        sources = [
            sorted(doc.source for doc in engine.render(chart, RenderOptions(value_files=files)))
            for files in ([], [chart / "off.yaml"], [chart / "on.yaml"])
        ]
    finally:
        POOL.close()
    assert sources == [
        ["parent/charts/sub/templates/s.yaml", "parent/templates/p.yaml"],
        ["parent/templates/p.yaml"],
        ["parent/charts/sub/templates/s.yaml", "parent/templates/p.yaml"],
    ]


@pytest.mark.parametrize("worker", ["go", "sdk"])
def test_a_worker_keeps_the_last_eight_charts_loaded(
    tmp_path: Path, worker: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Within one engine's renders a chart is loaded once, but only the last KEPT_CHARTS stay:
    a monorepo's charts do not pile up in the worker (an edit shows which were reloaded)."""
    charts = [_chart(tmp_path, f"c{i}", {"a.yaml": "a: old\n"}) for i in range(KEPT_CHARTS + 1)]
    command = "sdk" if worker == "sdk" else str(sandbox.GO_WORKER)
    process = _start(command, monkeypatch)
    try:
        for chart in charts:
            assert process.call(_request(chart, {}))["ok"] == {
                f"{chart.name}/templates/a.yaml": "a: old\n"
            }
        for chart in (charts[0], charts[-1]):
            (chart / "templates" / "a.yaml").write_text("a: new\n", encoding="utf-8")
        first, last = (process.call(_request(chart, {}))["ok"] for chart in (charts[0], charts[-1]))
    finally:
        process.kill()
    assert first == {"c0/templates/a.yaml": "a: new\n"}  # let go of, loaded again
    assert last == {f"c{KEPT_CHARTS}/templates/a.yaml": "a: old\n"}  # still kept


class _Recorder(http.server.BaseHTTPRequestHandler):
    paths: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.paths.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'{"type": "string"}')

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def schema_server() -> Iterator[str]:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def test_a_schema_reference_out_of_the_chart_is_never_followed(
    tmp_path: Path, schema_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Helm's validator fetches http(s) and file references; chartgen-render has no loader for
    them (lint also hands Helm a copy without such a schema: chartgen/helm/guard.py)."""
    _Recorder.paths.clear()
    secret = tmp_path / "secret.json"
    secret.write_text('{"type": "string"}', encoding="utf-8")
    charts = [
        _chart(
            tmp_path,
            f"refers{i}",
            {"a.yaml": "a: 1\n"},
            **{"values.schema.json": json.dumps({"properties": {"a": {"$ref": target}}})},
        )
        for i, target in enumerate([f"{schema_server}/s.json", secret.as_uri()])
    ]
    replies = _replies(
        str(sandbox.GO_WORKER), [_request(chart, {"a": 1}) for chart in charts], monkeypatch
    )
    for reply in replies:
        assert reply["error"] == "render", reply
        assert "chartgen does not load" in reply["message"], reply
    assert _Recorder.paths == []


def _sources_digest() -> str:
    """tools/build-render-worker.sh's digest: sha256sum's lines over the sorted sources."""
    files = sorted(
        path.relative_to(REPO).as_posix()
        for path in WORKER_SOURCES.rglob("*")
        if path.is_file() and (path.suffix == ".go" or path.name in ("go.mod", "go.sum"))
    )
    lines = "".join(
        f"{hashlib.sha256((REPO / name).read_bytes()).hexdigest()}  {name}\n" for name in files
    )
    return hashlib.sha256(lines.encode()).hexdigest()


def _helm_module() -> str:
    found = re.search(r"^\s*helm\.sh/helm/v4 (v\S+)", (WORKER_SOURCES / "go.mod").read_text(), re.M)
    assert found, "render-worker/go.mod requires helm.sh/helm/v4"
    return found.group(1)


def test_the_worker_is_built_from_these_sources_with_the_sdks_helm() -> None:
    hello = _hello(sandbox.GO_WORKER)
    assert hello["ready"] and hello["protocol"] == PROTOCOL
    assert hello["source"] == _sources_digest()
    assert hello["helm"] == _helm_module() == helm_python.helm_sdk_version()


def _hello(binary: Path) -> dict[str, Any]:
    done = subprocess.run(
        [str(binary)],
        input=b"",
        capture_output=True,
        check=True,
        timeout=60,
        env={**os.environ, **settings(1024, 0)},
    )
    hello: dict[str, Any] = json.loads(done.stdout[4:])
    return hello


def test_the_engine_is_helms_own_plus_one_file() -> None:
    """render-worker/engine holds Helm's pkg/engine files unchanged, and prepared.go with its
    test (Helm's own tests are not copied)."""
    go = subprocess.run(
        ["go", "mod", "download", "-json", f"helm.sh/helm/v4@{_helm_module()}"],
        cwd=WORKER_SOURCES,
        capture_output=True,
        check=True,
        env={**os.environ, "GOFLAGS": "-mod=mod", "GOPROXY": "off"},
    )
    upstream = Path(json.loads(go.stdout)["Dir"]) / "pkg" / "engine"
    ours = {path.name for path in (WORKER_SOURCES / "engine").glob("*.go")}
    theirs = {path.name for path in upstream.glob("*.go") if not path.name.endswith("_test.go")}
    assert ours == theirs | {"prepared.go", "prepared_test.go"}
    for name in sorted(theirs):
        assert (WORKER_SOURCES / "engine" / name).read_bytes() == (upstream / name).read_bytes()


def test_a_worker_of_another_protocol_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chartgen-render older than this chartgen: rebuild it, says the error (exit 3)."""
    stale = tmp_path / "chartgen-render"
    stale.write_text(
        f"#!{sys.executable}\nimport json, struct, sys\n"
        "hello = json.dumps({'ready': True, 'protocol': 0}).encode()\n"
        "sys.stdout.buffer.write(struct.pack('>I', len(hello)) + hello)\n"
        "sys.stdout.flush()\nsys.stdin.read()\n",
        encoding="utf-8",
    )
    stale.chmod(0o755)
    monkeypatch.setenv(sandbox.WORKER_VARIABLE, str(stale))
    process = _Process(Limits())
    with pytest.raises(ToolError, match=r"speaks protocol 0.*tools/build-render-worker\.sh"):
        process.wait_ready()
    monkeypatch.setenv(sandbox.WORKER_VARIABLE, str(tmp_path / "absent"))
    with pytest.raises(ToolError, match="cannot start the Helm worker"):
        _Process(Limits())


def test_a_worker_that_cannot_start_is_one_line_and_exit_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """$CHARTGEN_RENDER_WORKER naming no program: the early start (chartgen/lint/prestart.py)
    lets the command report it, as one line, exit 3 (a tool missing), not a traceback."""
    monkeypatch.setenv(sandbox.WORKER_VARIABLE, str(tmp_path / "absent"))
    done = chartgen("lint", str(REPO / "generated-charts" / "llama-8b"))
    assert done.code == 3, (done.code, done.out, done.err)
    assert done.err.strip().splitlines() == [
        f"error: cannot start the Helm worker {tmp_path / 'absent'}: [Errno 2] No such file or "
        f"directory: '{tmp_path / 'absent'}'"
    ]
