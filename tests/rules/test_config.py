"""`.chartgen.yaml`: discovery, validation with line numbers and suggestions, excludes."""

from __future__ import annotations

from pathlib import Path

import pytest

from chartgen.errors import UserError
from chartgen.findings import Severity
from chartgen.rules.support.config import ConfigErrors, find_config, load_config, resolve_config

VALID = """\
rules:
  floating-image-tag: warning
  topology-spread-missing: off
  network-policy-missing: on
  liveness-without-startup-budget:
    severity: error
    min-startup-seconds: 900
exclude:
  - charts/legacy/**
"""


def _write(directory: Path, text: str) -> Path:
    path = directory / ".chartgen.yaml"
    path.write_text(text)
    return path


def test_valid_config_sets_severity_options_and_excludes(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path, VALID))
    assert config.severity("floating-image-tag", Severity.ERROR) == Severity.WARNING
    assert config.severity("topology-spread-missing", Severity.WARNING) is None
    assert config.severity("network-policy-missing", Severity.WARNING) == Severity.WARNING
    assert config.options("liveness-without-startup-budget", {"min-startup-seconds": 300}) == {
        "min-startup-seconds": 900
    }
    assert config.excludes(tmp_path / "charts" / "legacy" / "templates" / "deployment.yaml")
    assert not config.excludes(tmp_path / "charts" / "llm" / "templates" / "deployment.yaml")


def test_found_upward_from_the_linted_path(tmp_path: Path) -> None:
    path = _write(tmp_path, VALID)
    chart = tmp_path / "charts" / "llm"
    chart.mkdir(parents=True)
    assert find_config(chart) == path
    assert find_config(chart / "Chart.yaml") == path
    assert resolve_config(chart).source == path


def test_explicit_config_wins_and_must_exist(tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text("rules: {floating-image-tag: info}\n")
    assert (
        resolve_config(tmp_path, other).severity("floating-image-tag", Severity.ERROR)
        == Severity.INFO
    )
    with pytest.raises(UserError, match="config file not found"):
        resolve_config(tmp_path, tmp_path / "missing.yaml")


def test_no_config_means_rule_defaults(tmp_path: Path) -> None:
    config = resolve_config(tmp_path)
    assert config.source is None
    assert config.severity("floating-image-tag", Severity.ERROR) == Severity.ERROR


def test_every_problem_is_reported_with_its_line_and_a_suggestion(tmp_path: Path) -> None:
    text = """\
rules:
  floating-image-tags: error
  topology-spread-missing: loud
  liveness-without-startup-budget:
    min-startup-secs: 600
    severity: warning
  grace-period-below-generation-time:
    min-drain-seconds: "thirty"
exclud: [x]
"""
    with pytest.raises(ConfigErrors) as caught:
        load_config(_write(tmp_path, text))
    messages = [str(p) for p in caught.value.problems]
    file = str(tmp_path / ".chartgen.yaml")
    assert messages == [
        f"{file}:9: invalid config: unknown key 'exclud' (did you mean 'exclude'?)",
        f"{file}:2: invalid config: unknown rule 'floating-image-tags' (did you mean 'floating-image-tag'?)",
        f"{file}:3: invalid config: unknown severity 'loud' (allowed: off, info, warning, error)",
        f"{file}:5: invalid config: rule 'liveness-without-startup-budget' has no option 'min-startup-secs'"
        " (did you mean 'min-startup-seconds'?)",
        f"{file}:8: invalid config: option 'min-drain-seconds' of 'grace-period-below-generation-time'"
        " must be a int, got 'thirty'",
    ]


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(UserError) as caught:
        load_config(_write(tmp_path, "rules:\n  a: [b\n"))
    assert caught.value.location is not None and caught.value.location.line >= 2


def test_empty_file_is_the_default_config(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path, "# nothing yet\n"))
    assert config.rules == {} and config.exclude == ()
