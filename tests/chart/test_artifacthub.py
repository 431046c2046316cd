"""Artifact Hub metadata of every generated chart, checked by the rules `ah lint` applies.

`ah` cannot be built here: the Go module proxy refuses github.com/artifacthub/hub (403, "not
available"), so this applies the rules of its source, artifacthub/hub@0d8b1c0:
cmd/ah/lint.go (lintHelm: errors; printPkgDetails: the `!` "NOT PROVIDED" warnings),
internal/tracker/source/helm/helm.go (EnrichPackageFromChart, EnrichPackageFromAnnotations),
internal/hub/pkg.go (PackageCategoryFromName), internal/pkg/metadata.go
(ValidateContainersImages: go-containerregistry name.ParseReference).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from chartgen.api import build
from tests.chart.helpers import GENERATED, helm_template, objects

CATEGORIES = {
    "skip-prediction",
    "ai-machine-learning",
    "database",
    "integration-delivery",
    "monitoring-logging",
    "networking",
    "security",
    "storage",
    "streaming-messaging",
}
# go-containerregistry pkg/name: repository chars [a-z0-9_-./] (2-255), tag [\w][\w.-]{0,127},
# digest sha256:<64 hex>; an optional registry host[:port] before the first '/'.
_REPOSITORY = r"(?:[a-zA-Z0-9.-]+(?::[0-9]+)?/)?[a-z0-9_./-]{2,255}"
IMAGE_REFERENCE = re.compile(rf"^{_REPOSITORY}(?::[\w][\w.-]{{0,127}}|@sha256:[a-f0-9]{{64}})?$")
# The "!" lines ah prints for a Helm chart that lints clean, and why a generated chart keeps them.
NOT_FIXABLE = {
    "Display name": "ah fills it for other kinds only: Helm's Chart.yaml has no display name",
    "Provider": "ah fills it for other kinds only",
    "Changes": "artifacthub.io/changes: chartgen does not know what changed since a release",
    "Recommendations": "artifacthub.io/recommendations: no related package to recommend",
    "Screenshots": "artifacthub.io/screenshots: a serving chart has no UI",
    "Sign key": "charts are signed by their owner (helm package --sign), not by chartgen",
    "Logo URL": "the owner's logo: set metadata.icon in the spec",
}
# Links are the model card (hf://) and the runtime's documentation: none for a custom image
# serving a model from elsewhere.


def ah_lint(chart: Path) -> tuple[list[str], set[str]]:
    """(errors, the labels ah marks NOT PROVIDED) for one chart directory."""
    meta: dict[str, Any] = yaml.safe_load((chart / "Chart.yaml").read_text(encoding="utf-8"))
    annotations: dict[str, str] = meta.get("annotations") or {}
    errors: list[str] = []
    category = annotations.get("artifacthub.io/category")
    if category is not None and category not in CATEGORIES:
        errors.append("invalid category name")
    images = _annotation_list(annotations, "images", errors)
    for image in images:
        if not IMAGE_REFERENCE.match(str(image.get("image", ""))):
            errors.append(f"invalid image reference: {image.get('image')!r}")
    links = [{"name": "source", "url": u} for u in meta.get("sources") or []]
    links += _annotation_list(annotations, "links", errors)
    maintainers = [m for m in meta.get("maintainers") or [] if m.get("email")]
    maintainers += _annotation_list(annotations, "maintainers", errors)
    provided = {
        "Name": meta.get("name"),
        "Display name": "",
        "Version": meta.get("version"),
        "App version": meta.get("appVersion"),
        "Description": meta.get("description"),
        "License": annotations.get("artifacthub.io/license"),
        "Logo URL": meta.get("icon"),
        "Home URL": meta.get("home"),
        "Provider": "",
        "Readme": (chart / "README.md").is_file(),
        "Keywords": meta.get("keywords"),
        "Links": links,
        "Maintainers": maintainers,
        "Containers images": images,
        "Changes": annotations.get("artifacthub.io/changes"),
        "Recommendations": annotations.get("artifacthub.io/recommendations"),
        "Screenshots": annotations.get("artifacthub.io/screenshots"),
        "Sign key": annotations.get("artifacthub.io/signKey"),
        "Values schema": (chart / "values.schema.json").is_file(),
    }
    return errors, {label for label, value in provided.items() if not value}


def _annotation_list(annotations: dict[str, str], name: str, errors: list[str]) -> list[Any]:
    text = annotations.get(f"artifacthub.io/{name}")
    if text is None:
        return []
    try:
        entries = yaml.safe_load(text)
    except yaml.YAMLError:
        entries = None
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        errors.append(f"invalid annotation: invalid {name} value")
        return []
    return entries


def _charts() -> list[Path]:
    return sorted(p.parent for p in GENERATED.glob("*/Chart.yaml"))


@pytest.mark.parametrize("chart", _charts(), ids=lambda p: p.name)
def test_ah_lint_rules_pass_and_warn_only_about_what_chartgen_cannot_know(chart: Path) -> None:
    errors, warnings = ah_lint(chart)
    assert not errors
    meta = yaml.safe_load((chart / "Chart.yaml").read_text(encoding="utf-8"))
    values = yaml.safe_load((chart / "values.yaml").read_text(encoding="utf-8"))
    unknown_pages = meta["annotations"]["chartgen.dev/runtime"] == "custom" and not values["model"][
        "source"
    ].startswith("hf://")
    expected = set(NOT_FIXABLE) | ({"Links"} if unknown_pages else set())
    assert warnings <= expected, warnings - expected


@pytest.mark.parametrize("chart", _charts(), ids=lambda p: p.name)
def test_images_annotation_lists_every_image_a_release_runs(helm3: Path, chart: Path) -> None:
    meta = yaml.safe_load((chart / "Chart.yaml").read_text(encoding="utf-8"))
    listed = {e["image"] for e in yaml.safe_load(meta["annotations"]["artifacthub.io/images"])}
    used: set[str] = set()
    for extra in ([], ["--set", "download.enabled=true"]):
        done = helm_template(helm3, chart, *extra)
        assert done.returncode == 0, done.stderr
        for obj in objects(done.stdout):
            used |= set(_images(obj))
    assert used and used <= listed, used - listed


def _images(node: Any) -> list[str]:
    """`image:` of containers and `reference:` of image volumes, anywhere in an object."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "image" and isinstance(value, str):
                found.append(value)
            elif key == "image" and isinstance(value, dict) and "reference" in value:
                found.append(str(value["reference"]))
            else:
                found += _images(value)
    elif isinstance(node, list):
        for item in node:
            found += _images(item)
    return found


def test_the_rules_catch_what_ah_lint_reported_on_the_old_charts(tmp_path: Path) -> None:
    """Issue 17: maintainers without an e-mail, no helm test image, a bad category or image."""
    chart = tmp_path / "old"
    shutil.copytree(GENERATED / "llama-70b", chart)
    text = (chart / "Chart.yaml").read_text(encoding="utf-8")
    text = re.sub(r'    email: "[^"]*"\n', "", text).replace("ai-machine-learning", "ml")
    text = text.replace('image: "curlimages/curl:8.11.1"', 'image: "Curl Images"')
    (chart / "Chart.yaml").write_text(text, encoding="utf-8")
    errors, warnings = ah_lint(chart)
    assert "invalid category name" in errors
    assert any("invalid image reference" in e for e in errors)
    assert "Maintainers" in warnings


def test_spec_maintainers_and_icon_reach_chart_yaml(tmp_path: Path) -> None:
    spec = (GENERATED.parent / "examples" / "vllm-llama-8b.yaml").read_text(encoding="utf-8")
    spec = spec.replace(
        "  team: ml-platform\n",
        "  team: ml-platform\n  icon: https://example.com/logo.svg\n  maintainers:\n"
        "    - {name: Ada, email: ada@example.com, url: https://example.com/ada}\n",
    )
    (tmp_path / "spec.yaml").write_text(spec, encoding="utf-8")
    build([tmp_path / "spec.yaml"], tmp_path / "out")
    chart = tmp_path / "out" / "llama-8b"
    meta = yaml.safe_load((chart / "Chart.yaml").read_text(encoding="utf-8"))
    assert meta["icon"] == "https://example.com/logo.svg"
    assert meta["maintainers"] == [
        {"name": "Ada", "email": "ada@example.com", "url": "https://example.com/ada"}
    ]
    errors, warnings = ah_lint(chart)
    assert not errors and "Logo URL" not in warnings and "Maintainers" not in warnings
