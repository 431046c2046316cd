"""Inputs and outputs of `chartgen lint`: stdin, directories, specs, formats, exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chartgen.spec import load_specs
from tests.lint.conftest import CORPUS, FIXTURES, Cli

REPO = Path(__file__).resolve().parents[2]
CHARTS = FIXTURES / "charts"


def test_stdin(cli: Cli) -> None:
    text = (CORPUS / "invalid" / "wrong-type-replicas.yaml").read_text(encoding="utf-8")
    run = cli("lint", "--schema-only", "-", stdin=text)
    assert run.code == 1
    assert "<stdin>:6: error: expected integer" in run.out


def test_directory_finds_charts_and_manifests(cli: Cli) -> None:
    run = cli("lint", "--schema-only", "--crd", FIXTURES / "crds", "--format", "json", FIXTURES)
    kinds = {(i["kind"], Path(i["name"]).name) for i in run.json()["inputs"]}
    assert ("chart", "model-server") in kinds and ("manifest", "widget-valid.yaml") in kinds
    assert ("manifest", "widget-crd.yaml") in kinds  # a CRD is an object too
    assert not any(name == "gpu-values.yaml" for _, name in kinds)  # inside a chart


def test_multi_document_file_lines_and_list_items(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "stream.yaml"
    path.write_text(
        "# header\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n\n"
        "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n"
        "  metadata: {name: b}\n  datta: {}\n---\n: bad yaml [\n",
        encoding="utf-8",
    )
    run = cli("lint", "--schema-only", "--format", "json", path)
    found = {(r["ruleId"], r["location"]["line"], r["jsonPointer"]) for r in run.results()}
    assert found == {("schema-unknown-field", 13, "/datta"), ("yaml-syntax", 15, "")}
    assert run.json()["inputs"][0]["objects"] == 2


def test_spec_input_is_built_and_linted(cli: Cli) -> None:
    spec = REPO / "examples" / "vllm-llama-8b.yaml"
    if not spec.is_file():
        pytest.skip("examples/vllm-llama-8b.yaml not present")
    (document,) = load_specs([spec])
    run = cli("lint", "--schema-only", "--format", "json", spec)
    inputs = run.json()["inputs"]
    assert inputs and all(i["kind"] == "spec" and i["name"].startswith(str(spec)) for i in inputs)
    assert all(r["location"]["file"] == str(spec) for r in run.results())
    assert run.code == 0, run.out
    assert document.path == spec


def test_json_and_text_outputs_pair_with_output_files(cli: Cli, tmp_path: Path) -> None:
    target = CORPUS / "invalid" / "duplicate-key.yaml"
    report = tmp_path / "report.json"
    run = cli("lint", "--format", "json", "-o", report, "--format", "text", "-o", "-", target)
    assert run.code == 1
    assert run.out.endswith("chartgen lint: 1 error, 0 warnings, 0 info in 1 input (1 object)\n")
    document = json.loads(report.read_text(encoding="utf-8"))
    assert document["schemaVersion"] == 1 and document["summary"]["errors"] == 1
    assert document["summary"]["failed"] is True


@pytest.mark.parametrize(
    "args",
    [
        ["--format", "json", "--format", "text"],
        ["--format", "json", "-o", "a.json", "-o", "b.json"],
        ["--kube-version", "1.2"],
        ["--kube-version", "one"],
        ["--validator", "nope"],
        [],
    ],
    ids=[
        "two-formats-stdout",
        "unpaired",
        "unsupported-version",
        "bad-version",
        "validator",
        "no-paths",
    ],
)
def test_usage_errors_exit_2(cli: Cli, args: list[str]) -> None:
    paths = [] if args == [] else [CORPUS / "valid" / "configmap.yaml"]
    assert cli("lint", *args, *paths).code == 2


def test_missing_path_exits_2(cli: Cli) -> None:
    run = cli("lint", "no/such/chart")
    assert run.code == 2 and "no/such/chart: no such file or directory" in run.err


@pytest.mark.parametrize("version", ["1.30", "1.31.2", "v1.33.0", "1.37"])
def test_kube_version_forms(cli: Cli, version: str) -> None:
    assert cli("lint", "--kube-version", version, CORPUS / "valid" / "deployment.yaml").code == 0


def test_deprecated_api_is_a_warning_until_removed(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "flowschema.yaml"
    path.write_text(
        "apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\n"
        "metadata: {name: f}\nspec:\n  priorityLevelConfiguration: {name: global-default}\n",
        encoding="utf-8",
    )
    served = cli("lint", "--schema-only", "--kube-version", "1.30", path)
    assert served.code == 0 and "[api-deprecated]" in served.out
    assert "removal in 1.32: use flowcontrol.apiserver.k8s.io/v1" in served.out
    assert (
        cli("lint", "--schema-only", "--kube-version", "1.30", "--fail-on", "warning", path).code
        == 1
    )
    removed = cli("lint", "--schema-only", "--kube-version", "1.32", path)
    assert removed.code == 1 and "[api-removed]" in removed.out


def test_no_strict_accepts_unknown_fields_and_warns_on_duplicates(cli: Cli) -> None:
    invalid = CORPUS / "invalid"
    assert cli("lint", "--no-strict", invalid / "misspelled-field.yaml").code == 0
    duplicate = cli("lint", "--no-strict", invalid / "duplicate-key.yaml")
    assert duplicate.code == 0 and ": warning: duplicate key 'MODEL'" in duplicate.out


def test_export_schemas_writes_kubeconform_layout(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "schemas"
    run = cli(
        "lint", "--export-schemas", target, "--kube-version", "1.31", "--crd", FIXTURES / "crds"
    )
    assert run.code == 0
    assert (target / "v1.31.0-standalone-strict" / "deployment-apps-v1.json").is_file()
    assert (target / "monitoring.coreos.com" / "servicemonitor_v1.json").is_file()
    assert (target / "example.com" / "widget_v1.json").is_file()
    assert "-schema-location" in run.out


def test_a_directory_with_nothing_to_lint_is_bad_input(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "README.md").write_text("# not a chart\n", encoding="utf-8")
    run = cli("lint", tmp_path)
    assert run.code == 2
    assert run.out == ""
    assert run.err.strip().splitlines() == [
        f"error: {tmp_path}: nothing to lint (no Chart.yaml, chartgen spec or "
        "*.yaml/*.yml/*.json manifest)"
    ]


@pytest.mark.parametrize("validator", ["builtin", "kubeconform"])
def test_crd_required_fields_with_a_default_are_not_missing(
    cli: Cli, validator: str, kubeconform: Path
) -> None:
    """The API server defaults before it validates: a required field with a schema default is
    never missing; a required field without one still is."""
    folder = FIXTURES / "crd-defaults"
    run = cli(
        "lint", "--schema-only", "--format", "json", "--validator", validator,
        "--kubeconform", kubeconform, "--crd", folder / "trainjob-crd.yaml",
        folder / "servingjob.yaml",
    )  # fmt: skip
    found = [(r["resource"]["name"], r["ruleId"], r["message"]) for r in run.results()]
    assert len(found) == 1 and found[0][:2] == ("no-model", "schema-invalid"), found
    assert "'model'" in found[0][2]


@pytest.mark.parametrize("validator", ["builtin", "kubeconform"])
def test_null_fields_of_custom_resources_are_pruned_before_validation(
    cli: Cli, validator: str, kubeconform: Path
) -> None:
    folder = FIXTURES / "crd-defaults"
    run = cli(
        "lint", "--schema-only", "--format", "json", "--validator", validator,
        "--kubeconform", kubeconform, "--crd", folder / "trainjob-crd.yaml",
        folder / "servingjob-nulls.yaml",
    )  # fmt: skip
    assert run.results() == []


@pytest.mark.parametrize("validator", ["builtin", "kubeconform"])
def test_custom_resources_are_validated_with_their_crd_defaults_filled(
    cli: Cli, validator: str, kubeconform: Path
) -> None:
    """The API server fills a CRD's defaults before it validates: a Route without host or
    wildcardPolicy passes the Route CRD's anyOf once wildcardPolicy defaults to None."""
    run = cli(
        "lint", "--schema-only", "--format", "json", "--validator", validator,
        "--kubeconform", kubeconform, FIXTURES / "crd-defaults" / "route-without-host.yaml",
    )  # fmt: skip
    assert run.results() == []
