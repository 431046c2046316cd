"""`.chartgen.yaml`: per-rule severity and options, and paths to leave out of `chartgen lint`.

    rules:
      image-tag-floating: error            # off | info | warning | error
      liveness-without-startup-budget:
        severity: warning
        min-startup-seconds: 600           # a rule option (see `chartgen explain RULE`)
    exclude:
      - charts/legacy/**                   # globs, relative to the config file's directory

The file is found upward from the linted path (or given with --config) and validated against the
rules' own declarations: an unknown rule, option or severity is an error that names the line.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

from chartgen.errors import Location, UserError
from chartgen.findings import Severity
from chartgen.manifests import ManifestObject, ManifestParseError, parse_documents

CONFIG_NAMES = (".chartgen.yaml", ".chartgen.yml")
TOP_LEVEL_KEYS = ("rules", "exclude")
SEVERITY_KEY = "severity"
OFF = "off"


@dataclass(frozen=True)
class RuleSetting:
    enabled: bool = True
    severity: Severity | None = None  # None: the rule's own severity
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LintConfig:
    rules: Mapping[str, RuleSetting] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    root: Path | None = None  # exclude globs are relative to this directory
    source: Path | None = None  # the file this came from, None for the built-in defaults

    def severity(self, rule_id: str, default: Severity) -> Severity | None:
        """The severity a rule reports at; None when the config turns it off."""
        setting = self.rules.get(rule_id, RuleSetting())
        if not setting.enabled:
            return None
        return setting.severity or default

    def options(self, rule_id: str, defaults: Mapping[str, Any]) -> dict[str, Any]:
        setting = self.rules.get(rule_id)
        return {**defaults, **(setting.options if setting else {})}

    def excludes(self, path: str | Path) -> bool:
        """True when a path matches an `exclude` glob (relative to the config directory)."""
        candidates = {Path(path).as_posix()}
        if self.root is not None:
            relative = _relative(Path(path), self.root)
            if relative:
                candidates.add(relative)
        return any(
            fnmatch(c, p) or fnmatch(c, p.rstrip("/") + "/*")
            for c in candidates
            for p in self.exclude
        )


def _relative(path: Path, root: Path) -> str:
    """`path` relative to `root` (both resolved), "" when it lies outside."""
    resolved, base = path.resolve(), root.resolve()
    return resolved.relative_to(base).as_posix() if resolved.is_relative_to(base) else ""


class ConfigErrors(UserError):
    """Every problem of one config file, reported together."""

    def __init__(self, problems: list[UserError]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def find_config(start: Path) -> Path | None:
    """The nearest `.chartgen.yaml` in `start` (or its directory) and its ancestors."""
    here = start.resolve()
    for directory in [here, *here.parents] if here.is_dir() else here.parents:
        for name in CONFIG_NAMES:
            if (directory / name).is_file():
                return directory / name
    return None


def resolve_config(target: Path, explicit: Path | None = None) -> LintConfig:
    """The config for linting `target`: --config when given, else the nearest one, else defaults."""
    path = explicit or find_config(target)
    if explicit is not None and not explicit.is_file():
        raise UserError(f"config file not found: {explicit}")
    return load_config(path) if path else LintConfig()


def load_config(path: Path) -> LintConfig:
    document = _read(path)
    if document is None:
        return LintConfig(root=path.parent, source=path)
    checker = _Checker(document, str(path))
    config = checker.config(path)
    if checker.problems:
        raise ConfigErrors(checker.problems)
    return config


def _read(path: Path) -> ManifestObject | None:
    from chartgen.limits import read_input_text

    text = read_input_text(path, shown=f"config {path}")
    try:
        documents = list(parse_documents(text, str(path)))
    except ManifestParseError as exc:
        raise UserError(f"invalid config: {exc.message}", Location(str(path), exc.line)) from None
    if len(documents) > 1:
        raise UserError(
            "invalid config: one YAML document expected", Location(str(path), documents[1].line)
        )
    return documents[0] if documents else None


class _Checker:
    """Validates the parsed file against the registered rules, collecting every problem."""

    def __init__(self, document: ManifestObject, file: str) -> None:
        from chartgen.rules.support.registry import (
            RULES,  # lazy: the rules import this module's types
        )

        self.document = document
        self.file = file
        self.defaults = {rule.ID: dict(getattr(rule, "DEFAULTS", {})) for rule in RULES}
        self.problems: list[UserError] = []

    def problem(self, pointer: str, message: str) -> None:
        location = Location(self.file, self.document.line_of(pointer))
        self.problems.append(UserError(f"invalid config: {message}", location))

    def config(self, path: Path) -> LintConfig:
        data = self.document.data
        for key in data:
            if key not in TOP_LEVEL_KEYS:
                self.problem(f"/{key}", f"unknown key {key!r}{_suggest(str(key), TOP_LEVEL_KEYS)}")
        rules = data.get("rules") or {}
        if not isinstance(rules, dict):
            self.problem("/rules", "`rules` must be a mapping of rule id to severity")
            rules = {}
        settings = {
            str(rule_id): self.rule(str(rule_id), value) for rule_id, value in rules.items()
        }
        return LintConfig(settings, self.exclude(data.get("exclude")), path.parent, path)

    def exclude(self, value: Any) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem("/exclude", "`exclude` must be a list of path globs")
            return ()
        return tuple(value)

    def rule(self, rule_id: str, value: Any) -> RuleSetting:
        pointer = f"/rules/{rule_id}"
        if rule_id not in self.defaults:
            self.problem(pointer, f"unknown rule {rule_id!r}{_suggest(rule_id, self.defaults)}")
            return RuleSetting()
        if isinstance(value, dict):
            options = {str(k): v for k, v in value.items() if k != SEVERITY_KEY}
            setting = self.level(pointer + "/" + SEVERITY_KEY, value.get(SEVERITY_KEY, True))
            return RuleSetting(setting.enabled, setting.severity, self.options(rule_id, options))
        return self.level(pointer, value)

    def level(self, pointer: str, value: Any) -> RuleSetting:
        if value is True:  # YAML `on`
            return RuleSetting()
        if value is False or value == OFF:  # YAML 1.1 reads a bare `off` as false
            return RuleSetting(enabled=False)
        try:
            return RuleSetting(severity=Severity.parse(str(value)))
        except ValueError:
            self.problem(
                pointer, f"unknown severity {value!r} (allowed: off, info, warning, error)"
            )
            return RuleSetting()

    def options(self, rule_id: str, options: dict[str, Any]) -> dict[str, Any]:
        defaults = self.defaults[rule_id]
        valid: dict[str, Any] = {}
        for name, value in options.items():
            pointer = f"/rules/{rule_id}/{name}"
            if name not in defaults:
                known = [SEVERITY_KEY, *defaults]
                self.problem(
                    pointer, f"rule {rule_id!r} has no option {name!r}{_suggest(name, known)}"
                )
            elif not _same_type(value, defaults[name]):
                wanted = type(defaults[name]).__name__
                self.problem(
                    pointer, f"option {name!r} of {rule_id!r} must be a {wanted}, got {value!r}"
                )
            else:
                valid[name] = value
        return valid


def _same_type(value: Any, default: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    if isinstance(default, list):
        return isinstance(value, list) and all(
            isinstance(v, type(d)) for d in default[:1] for v in value
        )
    return isinstance(value, type(default))


def _suggest(word: str, candidates: Any) -> str:
    close = difflib.get_close_matches(word, list(candidates), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
