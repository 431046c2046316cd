"""Issue 6 acceptance: each broken input exits 1 with rule id, file:line and JSON path; valid
inputs exit 0; --crd makes custom resources validate; both validators agree."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lint.conftest import CORPUS, FIXTURES, Cli

INVALID = CORPUS / "invalid"
CHARTS = FIXTURES / "charts"

# manifest, expected "file:line", rule id, JSON path
BROKEN_MANIFESTS = [
    (
        "misspelled-field.yaml",
        15,
        "schema-unknown-field",
        "/spec/template/spec/containers/0/imagePullPolicyy",
    ),
    ("wrong-type-replicas.yaml", 6, "schema-invalid", "/spec/replicas"),
    ("removed-ingress-extensions.yaml", 1, "api-removed", "/apiVersion"),
    ("duplicate-key.yaml", 7, "duplicate-key", "/data/MODEL"),
]
VALIDATORS = ["builtin", "kubeconform"]


def _validator_args(validator: str, kubeconform: Path | None) -> list[str]:
    args = ["--validator", validator]
    return [*args, "--kubeconform", str(kubeconform)] if kubeconform else args


@pytest.fixture(params=VALIDATORS)
def validator_args(request: pytest.FixtureRequest) -> list[str]:
    if request.param == "kubeconform":
        return _validator_args("kubeconform", request.getfixturevalue("kubeconform"))
    return _validator_args("builtin", None)


@pytest.mark.parametrize(("name", "line", "rule", "pointer"), BROKEN_MANIFESTS)
def test_broken_manifest_exits_1_with_rule_line_and_path(
    cli: Cli, validator_args: list[str], name: str, line: int, rule: str, pointer: str
) -> None:
    path = INVALID / name
    run = cli("lint", "--schema-only", *validator_args, path)
    assert run.code == 1, run.out + run.err
    expected = f"{path}:{line}: error: "
    matching = [ln for ln in run.out.splitlines() if ln.startswith(expected)]
    assert any(f"[{rule}]" in ln and ln.endswith(pointer) for ln in matching), run.out


def test_removed_api_version_names_the_replacement(cli: Cli) -> None:
    run = cli("lint", "--schema-only", INVALID / "removed-ingress-extensions.yaml")
    assert "removed in Kubernetes 1.22: use networking.k8s.io/v1" in run.out
    assert "[schema-missing]" not in run.out  # the removal explains the missing schema


def test_chart_rendering_an_invalid_object_points_at_the_template_line(
    cli: Cli, validator_args: list[str]
) -> None:
    chart = CHARTS / "broken-replicas"
    run = cli("lint", "--schema-only", *validator_args, "--format", "json", chart)
    assert run.code == 1
    (result,) = run.results("schema-invalid")
    assert result["location"] == {
        "file": f"{chart}/templates/deployment.yaml",
        "line": 7,
        "column": 0,
    }
    assert result["jsonPointer"] == "/spec/replicas"
    assert result["rendered"]["file"] == "broken-replicas/templates/deployment.yaml"
    assert result["resource"]["kind"] == "Deployment"


def test_chart_text_output_has_file_line_rule_and_path(cli: Cli) -> None:
    chart = CHARTS / "broken-replicas"
    run = cli("lint", "--schema-only", chart)
    assert run.code == 1
    assert f"{chart}/templates/deployment.yaml:7: error: " in run.out
    assert "[schema-invalid] Deployment/release-name-broken /spec/replicas" in run.out


@pytest.mark.parametrize(
    "target",
    [CHARTS / "model-server", CORPUS / "valid", FIXTURES / "manifests" / "widget-valid.yaml"],
    ids=["chart", "manifests", "custom-resource"],
)
def test_valid_inputs_exit_0(cli: Cli, validator_args: list[str], target: Path) -> None:
    run = cli("lint", "--schema-only", *validator_args, "--crd", FIXTURES / "crds", target)
    assert run.code == 0, run.out + run.err
    assert run.out.startswith("chartgen lint: 0 errors, 0 warnings")


def test_crd_makes_a_custom_resource_validate_and_an_invalid_one_fail(
    cli: Cli, validator_args: list[str]
) -> None:
    manifests = FIXTURES / "manifests"
    crds = ("--crd", FIXTURES / "crds" / "widget-crd.yaml")
    without = cli("lint", "--schema-only", *validator_args, manifests / "widget-valid.yaml")
    assert without.code == 1 and "[schema-missing] Widget/small" in without.out
    valid = cli("lint", "--schema-only", *validator_args, *crds, manifests / "widget-valid.yaml")
    assert valid.code == 0, valid.out
    broken = manifests / "widget-invalid.yaml"
    invalid = cli("lint", "--schema-only", *validator_args, *crds, "--format", "json", broken)
    assert invalid.code == 1
    found = {(r["ruleId"], r["jsonPointer"], r["location"]["line"]) for r in invalid.results()}
    assert found == {
        ("schema-invalid", "/spec/size", 6),
        ("schema-unknown-field", "/spec/colour", 7),
    }


def _verdicts(cli: Cli, validator_args: list[str], *paths: Path) -> dict[str, set[str]]:
    run = cli("lint", "--schema-only", *validator_args, "--format", "json", *paths)
    verdicts: dict[str, set[str]] = {}
    for result in run.results():
        key = f"{result['location']['file']}:{result['location']['line']}"
        verdicts.setdefault(key, set()).add(f"{result['ruleId']} {result['jsonPointer']}")
    return verdicts


def test_builtin_and_kubeconform_agree_on_the_acceptance_inputs(
    cli: Cli, kubeconform: Path
) -> None:
    paths = [INVALID / name for name, *_ in BROKEN_MANIFESTS]
    paths += [CHARTS / "broken-replicas", CHARTS / "model-server", FIXTURES / "manifests"]
    crds = ["--crd", str(FIXTURES / "crds")]
    builtin = _verdicts(cli, [*_validator_args("builtin", None), *crds], *paths)
    external = _verdicts(cli, [*_validator_args("kubeconform", kubeconform), *crds], *paths)
    assert builtin == external
    assert len(builtin) >= 6
