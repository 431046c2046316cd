"""Charts: values variants, archives, both Helm engines, render errors at the template line."""

from __future__ import annotations

import contextlib
import tarfile
from pathlib import Path

import pytest

from tests.lint.conftest import FIXTURES, Cli

CHARTS = FIXTURES / "charts"


def test_every_ci_values_file_is_linted_as_a_variant(cli: Cli) -> None:
    run = cli("lint", "--schema-only", "--format", "json", CHARTS / "model-server")
    assert run.code == 0
    inputs = run.json()["inputs"]
    assert [(i["name"], i["variant"]) for i in inputs] == [
        (str(CHARTS / "model-server"), ""),
        (str(CHARTS / "model-server"), "ci/gpu-values.yaml"),
    ]
    # the gpu variant enables the ServiceMonitor (a bundled CRD): one more object
    assert [i["objects"] for i in inputs] == [2, 3]


def test_a_finding_of_one_variant_names_it(cli: Cli) -> None:
    run = cli("lint", "--schema-only", "--format", "json", CHARTS / "variant-bad")
    assert run.code == 1
    (result,) = run.results()
    assert result["message"].endswith("(values: ci/string-port-values.yaml)")
    assert result["location"]["file"].endswith("variant-bad/templates/service.yaml")
    assert result["location"]["line"] == 8
    assert result["jsonPointer"] == "/spec/ports/0/port"


def test_findings_shared_by_all_variants_are_reported_once(cli: Cli, tmp_path: Path) -> None:
    chart = _copy_chart(CHARTS / "broken-replicas", tmp_path / "broken-replicas")
    (chart / "ci").mkdir()
    (chart / "ci" / "same-values.yaml").write_text("replicas: 3\n", encoding="utf-8")
    shared = cli("lint", "--schema-only", "--format", "json", chart)
    assert [r["message"] for r in shared.results()] == ['expected integer, got string "3"']
    (chart / "ci" / "same-values.yaml").write_text("replicas: 5\n", encoding="utf-8")
    differing = cli("lint", "--schema-only", "--format", "json", chart)
    messages = sorted(r["message"] for r in differing.results())
    assert messages == [
        'expected integer, got string "3" (values: values.yaml)',
        'expected integer, got string "5" (values: ci/same-values.yaml)',
    ]


def test_values_and_set_apply_to_every_variant(cli: Cli, tmp_path: Path) -> None:
    values = tmp_path / "override.yaml"
    values.write_text("replicas: 2\n", encoding="utf-8")
    chart = CHARTS / "model-server"
    assert cli("lint", "--schema-only", "-f", values, chart).code == 0
    run = cli("lint", "--schema-only", "--set", "service.port=http", "--format", "json", chart)
    assert run.code == 1
    pointers = {r["jsonPointer"] for r in run.results()}
    assert "/spec/ports/0/port" in pointers
    assert "/spec/template/spec/containers/0/ports/0/containerPort" in pointers


def test_render_error_is_a_finding_at_the_template_line(cli: Cli) -> None:
    chart = CHARTS / "render-fail"
    run = cli("lint", "--schema-only", "--format", "json", chart)
    assert run.code == 1
    (result,) = run.results("helm-render")
    assert result["location"] == {
        "file": f"{chart}/templates/configmap.yaml",
        "line": 6,
        "column": 12,
    }
    assert "model.name is required" in result["message"]


def test_cli_engine_gives_the_same_findings(cli: Cli, helm_cli: Path) -> None:
    for chart in ("broken-replicas", "render-fail", "variant-bad", "model-server"):
        args = ["lint", "--schema-only", "--format", "json", CHARTS / chart]
        embedded = cli(*args)
        external = cli(*args, "--engine", "cli", "--helm", helm_cli)
        assert external.code == embedded.code, chart
        assert _where(external) == _where(embedded), chart


def _where(run: object) -> set[tuple[str, str, int, str]]:
    results = run.results()  # type: ignore[attr-defined]
    return {
        (r["ruleId"], r["location"]["file"], r["location"]["line"], r["jsonPointer"])
        for r in results
    }


def test_rendered_yaml_error_points_at_the_template(cli: Cli, tmp_path: Path) -> None:
    chart = _copy_chart(CHARTS / "model-server", tmp_path / "model-server")
    (chart / "templates" / "bad.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: b\n   c: d\n",
        encoding="utf-8",
    )
    run = cli("lint", "--schema-only", "--format", "json", chart)
    (result,) = run.results("yaml-syntax")
    assert result["location"]["file"] == f"{chart}/templates/bad.yaml"
    assert result["location"]["line"] == 7


def test_packaged_chart(cli: Cli, tmp_path: Path) -> None:
    archive = tmp_path / "broken-replicas-0.1.0.tgz"
    with tarfile.open(archive, "w:gz") as bundle:
        bundle.add(CHARTS / "broken-replicas", arcname="broken-replicas")
    run = cli("lint", "--schema-only", archive)
    assert run.code == 1
    assert f"{archive}!/broken-replicas/templates/deployment.yaml:7: error: " in run.out


def test_chart_crds_folder_validates_its_custom_resources(cli: Cli, tmp_path: Path) -> None:
    chart = _copy_chart(CHARTS / "model-server", tmp_path / "model-server")
    (chart / "crds").mkdir()
    (chart / "crds" / "widget.yaml").write_bytes(
        (FIXTURES / "crds" / "widget-crd.yaml").read_bytes()
    )
    (chart / "templates" / "widget.yaml").write_text(
        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: 0\n",
        encoding="utf-8",
    )
    run = cli("lint", "--schema-only", "--format", "json", chart)
    assert {(r["ruleId"], r["jsonPointer"]) for r in run.results()} == {
        ("schema-invalid", "/spec/size")  # minimum: 1
    }


def _copy_chart(source: Path, target: Path) -> Path:
    import shutil

    shutil.copytree(source, target)
    return target


@pytest.mark.parametrize("engine", ["embedded", "cli"])
def test_kube_version_reaches_the_templates(cli: Cli, engine: str, helm4: Path) -> None:
    """`.Capabilities.KubeVersion` is --kube-version: the chart's gate renders the branch of
    that version (autoscaling/v2beta2 before 1.26), in both engines."""
    chart = CHARTS / "kube-gated"
    args = ["lint", "--schema-only", "--format", "json", "--engine", engine, "--helm", helm4]
    old = cli(*args, "--kube-version", "1.25", chart)
    assert [(r["ruleId"], r["jsonPointer"]) for r in old.results()] == [
        ("api-deprecated", "/apiVersion")
    ]
    assert "autoscaling/v2beta2" in old.results()[0]["message"]
    assert cli(*args, "--kube-version", "1.30", chart).results() == []


@pytest.mark.parametrize("engine", ["embedded", "cli"])
def test_helm_warnings_are_findings_not_stderr(cli: Cli, engine: str, helm4: Path) -> None:
    """A values file giving a scalar where the chart has a map: Helm warns and renders the
    chart's default; the warning is a finding (text, JSON, SARIF) at the variant's file."""
    chart = CHARTS / "values-shape"
    run = cli("lint", "--format", "json", "--engine", engine, "--helm", helm4, chart)
    assert run.err == ""
    assert [(r["ruleId"], r["level"], r["location"]["file"]) for r in run.results()] == [
        ("helm-warning", "warning", f"{chart}/ci/scalar-values.yaml")
    ]
    assert (
        "cannot overwrite table with non table for values-shape.resources.limits"
        in (run.results()[0]["message"])
    )
    sarif = cli("lint", "--format", "sarif", "--engine", engine, "--helm", helm4, chart)
    assert '"ruleId": "helm-warning"' in sarif.out


def test_enabled_dependency_missing_from_charts_is_reported(cli: Cli) -> None:
    """Helm's lint warns 'chart directory is missing these dependencies'; lint says which
    enabled one is missing (condition and tags as Helm evaluates them) instead of nothing."""
    chart = CHARTS / "missing-deps"
    run = cli("lint", "--format", "json", chart)
    assert [(r["ruleId"], r["location"]["line"]) for r in run.results()] == [
        ("chart-dependency-missing", 11)
    ]
    assert "'postgresql' is enabled (postgresql.enabled=true)" in run.results()[0]["message"]
    off = cli("lint", "--format", "json", "--set", "postgresql.enabled=false", chart)
    assert off.results() == []
    tagged = cli("lint", "--format", "json", "--set", "tags.observability=true", chart)
    assert {r["message"].split("'")[1] for r in tagged.results()} == {"postgresql", "tracing"}


def test_explain_documents_the_helm_findings(cli: Cli) -> None:
    for rule_id in ("helm-warning", "chart-dependency-missing"):
        run = cli("explain", rule_id)
        assert run.code == 0 and run.out.startswith(f"{rule_id} (warning)\n"), run.err


def test_chart_yaml_is_read_once_for_all_variants(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The platform annotations and the dependency check of every values variant share one
    reading of each Chart.yaml (the chart's and its subcharts'), and the check still reports."""
    from chartgen.lint import charts
    from chartgen.lint.engine import lint_paths
    from chartgen.lint.options import LintOptions

    chart = _copy_chart(CHARTS / "missing-deps", tmp_path / "missing-deps")
    (chart / "ci").mkdir()
    for name in ("a", "b"):
        (chart / "ci" / f"{name}-values.yaml").write_text(f"note: {name}\n", encoding="utf-8")
    reads: list[Path] = []
    read = charts.read_chart_file

    def counted(path: Path) -> object:
        reads.append(path)
        return read(path)

    monkeypatch.setattr(charts, "read_chart_file", counted)
    result = lint_paths([str(chart)], LintOptions(jobs=1))
    assert sorted(reads) == [
        chart / "Chart.yaml",
        chart / "charts/cache/Chart.yaml",
        chart / "requirements.yaml",  # absent: looked for once too
    ]
    missing = [f for f in result.findings if f.rule_id == "chart-dependency-missing"]
    assert [f.message.split("'")[1] for f in missing] == ["postgresql"]


def test_a_document_variants_render_alike_is_parsed_once_even_at_the_same_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two variants' threads reaching the same rendered document together: one parses, the
    other waits for its objects (a slow parse, as of an operator's CRDs, made both parse)."""
    import itertools
    import threading
    import time

    from chartgen.lint import charts
    from chartgen.lint.engine import lint_paths
    from chartgen.lint.options import LintOptions

    chart = _copy_chart(CHARTS / "model-server", tmp_path / "model-server")
    (chart / "ci" / "other-values.yaml").write_text("note: other\n", encoding="utf-8")
    parsed: list[str] = []
    both_rendered = threading.Barrier(2, timeout=5)
    parse = charts.parse_document

    def slow(text: str, file: str, first_line: int) -> object:
        if "kind: Service\n" in text:
            parsed.append(text)
            time.sleep(0.2)  # the other variant's thread arrives meanwhile
        return parse(text, file, first_line)

    arrivals = itertools.count()

    def rendered_together(unit: object, chart: object, documents: object) -> None:
        if next(arrivals) < 2:  # the first two variants' threads, side by side
            with contextlib.suppress(threading.BrokenBarrierError):
                both_rendered.wait()
        add(unit, chart, documents)

    add = charts._add_documents
    monkeypatch.setattr(charts, "parse_document", slow)
    monkeypatch.setattr(charts, "_add_documents", rendered_together)
    result = lint_paths([str(chart)], LintOptions(jobs=1, rules=False))
    assert parsed and len(parsed) == len(set(parsed))  # variants render the Service alike
    assert len({f.message for f in result.findings}) == len(result.findings)


def test_a_crd_the_variants_share_is_converted_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chartgen.lint import engine
    from chartgen.lint.options import LintOptions

    chart = _copy_chart(CHARTS / "model-server", tmp_path / "model-server")
    (chart / "ci" / "other-values.yaml").write_text("note: other\n", encoding="utf-8")
    (chart / "templates" / "crd.yaml").write_text(_WIDGET_CRD, encoding="utf-8")
    (chart / "templates" / "widget.yaml").write_text(
        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: big\n",
        encoding="utf-8",
    )
    calls: list[str] = []
    convert = engine.crd_versions

    def counted(document: dict[str, object], source: str) -> object:
        calls.append(source)
        return convert(document, source)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "crd_versions", counted)
    result = engine.lint_paths([str(chart)], LintOptions(jobs=1, rules=False))
    assert len(calls) == 1  # 3 variants render it alike
    # and the converted schema still validates the custom resource of every variant
    assert [f.message for f in result.findings] == ['expected integer, got string "big"']


def test_a_crd_whose_kind_no_object_uses_is_not_converted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An operator chart installs dozens of CRDs and creates few of their objects: a CRD's
    schema is made structural-checked and null-free only when an object of its kind validates."""
    from chartgen.lint import engine
    from chartgen.lint.options import LintOptions
    from chartgen.validate import crds

    chart = _copy_chart(CHARTS / "model-server", tmp_path / "model-server")
    gadget = _WIDGET_CRD.replace("widget", "gadget").replace("Widget", "Gadget")
    (chart / "templates" / "crd.yaml").write_text(f"{_WIDGET_CRD}---\n{gadget}", encoding="utf-8")
    (chart / "templates" / "widget.yaml").write_text(
        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: big\n",
        encoding="utf-8",
    )
    checked: list[object] = []
    structural = crds.structural

    def counted(schema: dict[str, object]) -> bool:
        checked.append(schema)
        return structural(schema)

    monkeypatch.setattr(crds, "structural", counted)
    result = engine.lint_paths([str(chart)], LintOptions(jobs=1, rules=False))
    assert len(checked) == 1  # Widget's, not Gadget's
    assert [f.message for f in result.findings] == ['expected integer, got string "big"']


_WIDGET_CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: {type: integer}
"""
