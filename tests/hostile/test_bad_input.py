"""Bad input ends with exit 1 (a finding at its line) or exit 2 (one line naming file and line),
never exit 3: control characters, !!binary, broken CRD schemas, hostile and long kinds, values
files with YAML errors, invalid UTF-8; specs recognised with a BOM, in JSON form and on stdin."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.hostile.charts import make_chart
from tests.hostile.conftest import lint, one_line_error

HEAD = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"


def _finding(done_out: str, code: int, text: str) -> None:
    assert code == 1, done_out
    assert text in done_out, done_out


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (HEAD + 'data:\n  a: "\x01"\n', ":6: error: invalid YAML: character U+0001"),
        (HEAD + "data:\n  a: \x07bell\n", ":6: error: invalid YAML: character U+0007"),
        (HEAD + "data:\n  a: !!binary aGVsbG8=\n", ":6: error: invalid YAML: tag !!binary"),
        (HEAD + "data:\n  a: !!python/object:os.system x\n", ":6: error: invalid YAML"),
        (HEAD + "data:\n  ? [a, b]\n  : c\n", ":6: error: invalid YAML: a mapping key"),
        (HEAD + "data: {a: 1\n", "invalid YAML"),
    ],
)
def test_manifest_problems_are_findings_at_their_line(
    tmp_path: Path, body: str, expected: str
) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(body, encoding="utf-8")
    done = lint(str(path))
    _finding(done.out, done.code, expected)
    assert "internal error" not in done.err


CRD = """apiVersion: apiextensions.k8s.io/v1
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
        properties: %s
---
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
spec: {size: 3}
"""


@pytest.mark.parametrize(
    "properties",
    [
        "[a, b]",
        '"text"',
        "{spec: {type: fancy}}",
        "{spec: {type: object, properties: [x]}}",
        "{spec: {type: object, properties: {size: {type: [integer, string]}}}}",
        "{spec: {allOf: notalist}}",
        "{spec: {items: 3, type: array}}",
    ],
)
def test_broken_crd_schemas_never_crash(tmp_path: Path, properties: str) -> None:
    path = tmp_path / "crd.yaml"
    path.write_text(CRD % properties, encoding="utf-8")
    for validator in ("builtin",):
        done = lint("--validator", validator, str(path))
        assert done.code in (0, 1), (done.code, done.err)
        assert "internal error" not in done.err


@pytest.mark.parametrize("kind", ["../../../../etc/passwd", "a/b", "K" * 300, "x\x00y", "..", ""])
@pytest.mark.parametrize("validator", ["builtin", "kubeconform"])
def test_hostile_kinds(tmp_path: Path, kind: str, validator: str, kubeconform: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text(
        json.dumps({"apiVersion": "v1", "kind": kind, "metadata": {"name": "x"}}), encoding="utf-8"
    )
    extra = ["--kubeconform", str(kubeconform)] if validator == "kubeconform" else []
    done = lint("--validator", validator, *extra, str(path))
    assert done.code == 1, (done.code, done.out, done.err)
    assert "schema-missing" in done.out or "object-invalid" in done.out, done.out


def test_long_crd_kind_in_chart(tmp_path: Path, kubeconform: Path) -> None:
    long = "K" * 300
    path = tmp_path / "crd.yaml"
    path.write_text((CRD % "{spec: {type: object}}").replace("Widget", long), encoding="utf-8")
    for extra in ([], ["--validator", "kubeconform", "--kubeconform", str(kubeconform)]):
        done = lint(*extra, str(path))
        assert done.code in (0, 1), (done.code, done.err)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: [\n  b: c\n", ":3"),
        ("a: b\n  c: d\n", ":2"),
        ("a: &x 1\nb: *y\n", ":2"),
        ("- a\n- b\n", "a values file must hold a mapping"),
        ("a: !!binary aGVsbG8=\n", ":1"),
    ],
)
def test_values_file_errors_are_one_line_with_file_and_line(
    tmp_path: Path, text: str, expected: str
) -> None:
    chart = make_chart(tmp_path)
    values = tmp_path / "values-extra.yaml"
    values.write_text(text, encoding="utf-8")
    line = one_line_error(lint(str(chart), "-f", str(values)))
    assert f"{values}" in line and expected in line, line


def test_invalid_utf8_on_stdin_is_one_line() -> None:
    line = one_line_error(lint("-", stdin=HEAD.encode() + b"data:\n  a: \xff\xfe\n"))
    assert line.startswith("error: <stdin>:6: not UTF-8 text (byte 0xff)"), line


def test_invalid_utf8_manifest_file_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_bytes(HEAD.encode() + b"data:\n  a: \xc3\x28\n")
    line = one_line_error(lint(str(path)))
    assert f"{path}:6" in line


def test_long_path_is_exit_2(tmp_path: Path) -> None:
    one_line_error(lint(str(tmp_path / ("x" * 300 + ".yaml"))))


SPEC = {
    "apiVersion": "chartgen/v1",
    "kind": "ModelService",
    "metadata": {"name": "demo"},
    "spec": {
        "runtime": "vllm",
        "model": {"source": "hf://org/model", "sizeGiB": 2},
        "resources": {"cpu": "2", "memory": "16Gi", "gpu": {"count": 1, "product": "L4"}},
    },
}


def _spec_yaml() -> str:
    import yaml

    return yaml.safe_dump(SPEC, sort_keys=False)


@pytest.mark.parametrize("form", ["bom", "json", "json-suffix"])
def test_spec_forms_are_linted_as_specs(tmp_path: Path, form: str) -> None:
    if form == "bom":
        path = tmp_path / "spec.yaml"
        path.write_bytes(b"\xef\xbb\xbf" + _spec_yaml().encode())
    else:
        path = tmp_path / ("spec.json" if form == "json-suffix" else "spec.yaml")
        path.write_text(json.dumps(SPEC, indent=1), encoding="utf-8")
    done = lint("--format", "json", str(path))
    assert done.code in (0, 1), done.err
    inputs = json.loads(done.out)["inputs"] if done.out.startswith("{") else []
    assert inputs and all(i["kind"] == "spec" for i in inputs), done.out[:500]


@pytest.mark.parametrize("form", ["yaml", "json", "bom"])
def test_spec_on_stdin_is_linted_as_a_spec(form: str) -> None:
    text = json.dumps(SPEC) if form == "json" else _spec_yaml()
    data = (b"\xef\xbb\xbf" if form == "bom" else b"") + text.encode()
    done = lint("--format", "json", "-", stdin=data)
    assert done.code in (0, 1), done.err
    inputs = json.loads(done.out)["inputs"]
    assert inputs and all(i["kind"] == "spec" for i in inputs), inputs


def test_bad_spec_on_stdin_names_stdin(tmp_path: Path) -> None:
    broken = _spec_yaml().replace("runtime: vllm", "runtime: nosuch")
    line = lint("-", stdin=broken.encode())
    assert line.code == 2 and "<stdin>:" in line.err and "stdin.yaml" not in line.err, line.err
