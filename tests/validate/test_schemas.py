"""Versions, schema lookup, deprecations and the kubeconform export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from chartgen.errors import UserError
from chartgen.validate.crds import CrdVersion
from chartgen.validate.deprecations import DEPRECATIONS, check_api_version
from chartgen.validate.export import export_kubeconform_layout
from chartgen.validate.naming import builtin_schema_name, crd_schema_path
from chartgen.validate.store import SchemaStore
from chartgen.validate.versions import KubeVersion, bundled_versions, parse_kube_version


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.30", KubeVersion(1, 30)),
        ("1.30.2", KubeVersion(1, 30, 2)),
        ("v1.34.0", KubeVersion(1, 34)),
    ],
)
def test_parse_kube_version(text: str, expected: KubeVersion) -> None:
    assert parse_kube_version(text) == expected
    assert parse_kube_version(text).schema_version == f"{expected.major}.{expected.minor}.0"


def test_bundled_versions_cover_130_to_137() -> None:
    minors = {v.minor_version for v in bundled_versions()}
    assert {f"1.{n}" for n in range(30, 38)} <= minors
    assert parse_kube_version(None) == bundled_versions()[-1]


@pytest.mark.parametrize("text", ["1.2", "1", "latest", "1.99"])
def test_bad_kube_version(text: str) -> None:
    with pytest.raises(UserError):
        parse_kube_version(text)


def test_kubeconform_file_names() -> None:
    assert builtin_schema_name("apps/v1", "Deployment") == "deployment-apps-v1.json"
    assert builtin_schema_name("v1", "Service") == "service-v1.json"
    assert builtin_schema_name("networking.k8s.io/v1", "Ingress") == "ingress-networking-v1.json"
    assert (
        crd_schema_path("keda.sh", "v1alpha1", "ScaledObject")
        == "keda.sh/scaledobject_v1alpha1.json"
    )


def test_lookup_checks_the_full_group() -> None:
    store = SchemaStore(parse_kube_version("1.34"), True)
    assert store.lookup("apps/v1", "Deployment") is not None
    assert store.lookup("apps.example.com/v1", "Deployment") is None  # same file name, other group
    assert store.lookup("monitoring.coreos.com/v1", "ServiceMonitor") is not None
    assert store.lookup("example.com/v1", "Widget") is None


def test_user_crds_extend_the_store() -> None:
    openapi = {"type": "object", "properties": {"spec": {"type": "object"}}}
    store = SchemaStore(
        parse_kube_version("1.34"), True, [CrdVersion("example.com", "v1", "Widget", openapi, "x")]
    )
    assert store.lookup("example.com/v1", "Widget") is not None


@pytest.mark.parametrize("row", DEPRECATIONS, ids=lambda r: f"{r.api_version}-{r.kinds[0]}")
def test_every_deprecation_row_is_reported(row: object) -> None:
    api_version, kind = row.api_version, row.kinds[0]  # type: ignore[attr-defined]
    removed_in = row.removed_in  # type: ignore[attr-defined]
    target = (
        parse_kube_version(removed_in or "1.37")
        if removed_in is None or removed_in >= "1.25"
        else KubeVersion(1, 30)
    )
    issue = check_api_version(api_version, kind, target)
    assert issue is not None
    assert issue.rule_id == ("api-removed" if removed_in else "api-deprecated")
    replacement = row.replacement  # type: ignore[attr-defined]
    assert (replacement or "no replacement") in issue.message


def test_not_yet_deprecated_is_silent() -> None:
    assert (
        check_api_version("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", KubeVersion(1, 28))
        is None
    )
    assert check_api_version("apps/v1", "Deployment", KubeVersion(1, 37)) is None


def test_export_is_self_contained_and_valid(tmp_path: Path) -> None:
    written = export_kubeconform_layout(tmp_path, "1.30", strict=False)
    folder = tmp_path / "v1.30.0-standalone"
    assert (folder / "deployment-apps-v1.json") in written
    assert (folder / "customresourcedefinition-apiextensions-v1.json").is_file()
    assert (tmp_path / "gateway.networking.k8s.io" / "httproute_v1.json").is_file()
    for path in [
        folder / "deployment-apps-v1.json",
        tmp_path / "keda.sh" / "scaledobject_v1alpha1.json",
    ]:
        text = path.read_text(encoding="utf-8")
        assert "/api/_definitions.json" not in text
        Draft202012Validator.check_schema(json.loads(text))


def test_auto_picks_kubeconform_when_installed(kubeconform: Path) -> None:
    from chartgen.validate import get_backend

    store = SchemaStore(parse_kube_version("1.34"), True)
    assert get_backend("auto", store, str(kubeconform)).name == "kubeconform"
    assert get_backend("auto", store, "/no/such/kubeconform").name == "builtin"
    assert get_backend("builtin", store).name == "builtin"


def test_missing_kubeconform_is_a_tool_error() -> None:
    from chartgen.errors import ToolError
    from chartgen.validate import get_backend

    with pytest.raises(ToolError):
        get_backend("kubeconform", SchemaStore(parse_kube_version("1.34"), True), "/no/such/kc")


def test_null_schema_keywords_are_absent_as_the_api_server_reads_them(tmp_path: Path) -> None:
    """openshift/api's Route CRD says `anyOf: null` under spec.port.targetPort: the API server
    decodes that as no anyOf; chartgen lint crashed on it ('NoneType' is not iterable)."""
    from tests.spec.conftest import run_cli

    route = tmp_path / "route.yaml"
    route.write_text(
        "apiVersion: route.openshift.io/v1\nkind: Route\nmetadata: {name: r}\n"
        "spec:\n  to: {kind: Service, name: s}\n  port: {targetPort: http}\n"
        "  tls: {termination: bogus}\n  wildcardPolicy: None\n"
    )
    code, out, err = run_cli("lint", str(route))
    assert code == 1, (out, err)
    assert '"bogus" is not one of: "edge", "reencrypt", "passthrough"' in out
    route.write_text(route.read_text().replace("bogus", "edge"))
    assert run_cli("lint", str(route))[0] == 0
