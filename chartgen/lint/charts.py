"""Charts -> lint units: render each values variant (default + `ci/*-values.yaml`), parse every
rendered document, and turn Helm's render errors into findings at the template line."""

from __future__ import annotations

import dataclasses
import functools
import re
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chartgen import catalog, chart_facts
from chartgen.catalog.nodes import node_pool
from chartgen.errors import Location, UserError
from chartgen.findings import Finding, InputSummary
from chartgen.helm.embedded import RenderError, RenderLimitError, user_values
from chartgen.helm.engine import HelmEngine, RenderedDoc, RenderOptions
from chartgen.limits import read_input_text
from chartgen.lint.dependencies import missing_dependencies, read_chart_file
from chartgen.lint.documents import parse_document
from chartgen.lint.locate import Locator, SpecLocator, TemplateLocator, TemplateText
from chartgen.lint.options import LintOptions
from chartgen.lint.units import LintObject, LintUnit, problem_finding
from chartgen.manifests import ManifestObject
from chartgen.rules.support.memo import RuleMemo
from chartgen.validate.crds import CRD_SUFFIXES, CrdVersion, parse_crd_text
from chartgen.validate.issues import (
    RULE_DEPENDENCY_MISSING,
    RULE_HELM_RENDER,
    RULE_HELM_RENDER_LIMIT,
    RULE_HELM_WARNING,
    RULE_YAML_SYNTAX,
)

if TYPE_CHECKING:  # the plan module loads only for spec inputs
    from chartgen.model.plan import ServingPlan

VARIANT_GLOB = "ci/*-values.yaml"  # chart-testing's convention
# Helm's error formats, most precise first; `file` is chart-relative (demo/templates/x.yaml)
_RENDER_LOCATIONS = (
    re.compile(r"execution error at \((?P<file>[^():\s]+):(?P<line>\d+):(?P<col>\d+)\)"),
    re.compile(r"parse error at \((?P<file>[^():\s]+):(?P<line>\d+)\)"),
    re.compile(r"YAML parse error on (?P<file>[^:\s]+):.*?line (?P<line>\d+)"),
    re.compile(r"(?P<file>[^\s:()]+):(?P<line>\d+):(?P<col>\d+)"),
    re.compile(r"template: (?P<file>[^:\s]+):(?P<line>\d+):"),
)
_HELM_NOISE = " Use --debug flag to render out invalid YAML"


@dataclass(frozen=True)
class ChartInput:
    directory: Path  # the chart on disk (an extracted archive, a chart built from a spec)
    display: str  # how reported file names start, e.g. charts/demo
    name: str
    kind: str = "chart"  # chart | spec
    spec_file: str = ""  # spec inputs: findings point at the spec
    origin: Path | None = None  # the path the user gave (an archive, a spec), if not `directory`
    plan: ServingPlan | None = None  # spec inputs: what the generator decided, for the rules
    # template texts, shared by the chart's variants (read once, on first use)
    templates: dict[str, TemplateText | None] = field(default_factory=dict, compare=False)
    # documents the chart's variants rendered alike, parsed once: the same objects (identity)
    # then get checked once (LintOptions.shared). A variant's thread finding a document another
    # is still parsing waits for that parse rather than repeat it.
    parsed: dict[tuple[str, int, int, str], Future[list[ManifestObject] | Finding]] | None = field(
        default=None, compare=False
    )
    parsed_lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)
    # and what object-scoped rules reported about those objects
    rule_memo: RuleMemo | None = field(default=None, compare=False)
    # Chart.yaml (requirements.yaml, subcharts' Chart.yaml) as read once for all the chart's
    # variants, whose render threads ask for them at the same time
    chart_files: dict[Path, ManifestObject | None] = field(default_factory=dict, compare=False)
    chart_files_lock: threading.Lock = field(
        default_factory=threading.Lock, compare=False, repr=False
    )

    def chart_file(self, path: Path) -> ManifestObject | None:
        with self.chart_files_lock:
            if path not in self.chart_files:
                self.chart_files[path] = read_chart_file(path)
            return self.chart_files[path]

    def file_for(self, source: str) -> str:
        """`demo/templates/x.yaml` (Helm's source) -> the path a user opens."""
        return self.shown(chart_relative(source))

    def shown(self, relative: str) -> str:
        return f"{self.display.rstrip('/')}/{relative}"

    def hide_scratch(self, message: str) -> str:
        """Messages name the chart as the user gave it, not the temp dir it was unpacked to."""
        if self.origin is None:
            return message
        return message.replace(str(self.directory), self.display)

    def where(self, location: Location) -> Location:
        return Location(self.spec_file) if self.spec_file else location


def chart_relative(source: str) -> str:
    return source.split("/", 1)[1] if "/" in source else source


def variants(directory: Path) -> list[tuple[str, tuple[Path, ...]]]:
    """("", ()) for the chart's own values, then one entry per `ci/*-values.yaml`."""
    found: list[tuple[str, tuple[Path, ...]]] = [("", ())]
    found += [
        (p.relative_to(directory).as_posix(), (p,)) for p in sorted(directory.glob(VARIANT_GLOB))
    ]
    return found


def chart_crds(chart: ChartInput) -> tuple[list[CrdVersion], list[Finding]]:
    """CRDs the chart installs from `crds/`: they make its custom resources validate."""
    crds: list[CrdVersion] = []
    problems: list[Finding] = []
    folder = chart.directory / "crds"
    files = (
        sorted(p for p in folder.rglob("*") if p.suffix in CRD_SUFFIXES) if folder.is_dir() else []
    )
    for file in files:
        shown = chart.shown(file.relative_to(chart.directory).as_posix())
        try:
            crds.extend(parse_crd_text(read_input_text(file, shown=shown), shown))
        except UserError as exc:
            problems.append(
                problem_finding(RULE_YAML_SYNTAX, exc.message, chart.where(Location(shown)))
            )
    return crds, problems


def render_variant(
    chart: ChartInput,
    engine: HelmEngine,
    variant: str,
    files: tuple[Path, ...],
    options: LintOptions,
) -> LintUnit:
    summary = InputSummary(chart.name, chart.kind, variant)
    unit = LintUnit(
        summary,
        chart.origin or chart.directory,
        group=chart.name,
        plan=chart.plan,
        rule_memo=chart.rule_memo,
    )
    unit.platform, unit.node_pool = declared_target(chart)
    render_options = RenderOptions(
        options.release,
        options.namespace,
        str(options.kube_version),
        (*files, *options.value_files),
        options.set_values,
    )
    try:
        documents = engine.render(chart.directory, render_options)
    except RenderLimitError as exc:
        location = chart.where(Location(chart.display))
        unit.findings.append(problem_finding(RULE_HELM_RENDER_LIMIT, exc.message, location))
        return unit
    except RenderError as exc:
        unit.findings.append(render_finding(chart.hide_scratch(exc.message), chart))
        return unit
    except UserError as exc:  # not a loadable chart, a bad values file: name what the user gave
        raise UserError(chart.hide_scratch(str(exc))) from None
    _add_documents(unit, chart, documents)
    unit.findings += helm_findings(chart, variant, documents.warnings, render_options)
    unit.summary = dataclasses.replace(unit.summary, objects=len(unit.objects))
    return unit


def helm_findings(
    chart: ChartInput, variant: str, warnings: tuple[str, ...], options: RenderOptions
) -> list[Finding]:
    """Helm's warnings while rendering (at the values file of the variant), and enabled
    dependencies charts/ lacks: findings in the report (text, JSON, SARIF), never raw stderr."""
    values_file = Location(chart.shown(variant or "values.yaml"))
    found = [
        problem_finding(
            RULE_HELM_WARNING, f"Helm: {chart.hide_scratch(text)}", chart.where(values_file)
        )
        for text in warnings
    ]
    values = functools.partial(_chart_values, chart.directory, options)
    for dep in missing_dependencies(chart.directory, values, chart.chart_file):
        message = (
            f"dependency {dep.name!r} is enabled ({dep.why}) but missing from charts/: Helm "
            "reports 'chart directory is missing these dependencies' and refuses to install; "
            "its objects were not linted"
        )
        location = chart.where(Location(chart.shown(dep.file), dep.line))
        found.append(problem_finding(RULE_DEPENDENCY_MISSING, message, location))
    return found


def _chart_values(directory: Path, options: RenderOptions) -> dict[str, Any]:
    """The values a render of this variant sees at the top level (chart defaults first)."""
    defaults = directory / "values.yaml"
    files = (defaults,) if defaults.is_file() else ()
    return user_values(dataclasses.replace(options, value_files=(*files, *options.value_files)))


def declared_target(chart: ChartInput) -> tuple[str | None, str | None]:
    """The catalog platform and node-pool variant a chart's Chart.yaml names
    (`chartgen.dev/platform`, `chartgen.dev/node-pool`, the platform's default variant when only
    the platform is named); (None, None) when it names no catalog platform."""
    chart_yaml = chart.chart_file(chart.directory / "Chart.yaml")
    meta = chart_yaml.data if chart_yaml is not None else None
    notes = meta.get("annotations") if isinstance(meta, dict) else None
    notes = notes if isinstance(notes, dict) else {}
    name, pool = notes.get(chart_facts.PLATFORM), notes.get(chart_facts.NODE_POOL)
    if not isinstance(name, str) or name not in catalog.platform_names():
        return None, None
    pools = catalog.platform(name).node_pools
    if not isinstance(pool, str) or pool not in pools:  # charts from before the annotation:
        pool = node_pool(name).name  # a spec naming no variant targets the default one
    return name, pool


def render_finding(message: str, chart: ChartInput) -> Finding:
    message = message.replace(_HELM_NOISE, "")
    for pattern in _RENDER_LOCATIONS:
        match = pattern.search(message)
        if match:
            line, column = int(match.group("line")), int(match.groupdict().get("col") or 0)
            location = Location(chart.file_for(match.group("file")), line, column)
            return problem_finding(RULE_HELM_RENDER, message, chart.where(location))
    return problem_finding(RULE_HELM_RENDER, message, chart.where(Location(chart.display)))


def _add_documents(unit: LintUnit, chart: ChartInput, documents: list[RenderedDoc]) -> None:
    templates = TemplateCache(chart)
    seen: dict[str, int] = {}
    kinds: dict[tuple[str, str], int] = {}
    for document in documents:
        index = seen.get(document.source, 0)
        seen[document.source] = index + 1
        template = templates.get(document.source)
        parsed = _parsed(chart, document, template, index)
        if isinstance(parsed, Finding):
            unit.findings.append(parsed)
            continue
        kind_key = (document.source, parsed[0].kind if parsed else "")
        kind_index = kinds.get(kind_key, 0)
        kinds[kind_key] = kind_index + 1
        for obj in parsed:
            obj.source_template = document.source
            locator: Locator = TemplateLocator(obj, template, index, document.source, kind_index)
            if chart.spec_file:
                locator = SpecLocator(locator, chart.spec_file)
            unit.objects.append(LintObject(obj, locator))


def _parsed(
    chart: ChartInput, document: RenderedDoc, template: TemplateText | None, index: int
) -> list[ManifestObject] | Finding:
    """A rendered document's objects, or its parse finding. With `chart.parsed`, a document
    another values variant rendered alike is parsed once: the same objects, checked once."""
    if chart.parsed is None:
        return _parse(chart, document, template, index)
    key = (document.source, index, document.line, document.text)
    with chart.parsed_lock:
        shared = chart.parsed.get(key)
        if shared is None:
            owned: Future[list[ManifestObject] | Finding] = Future()
            chart.parsed[key] = owned
    if shared is not None:
        return shared.result()
    try:
        done = _parse(chart, document, template, index)
    except BaseException as exc:
        owned.set_exception(exc)
        raise
    owned.set_result(done)
    return done


def _parse(
    chart: ChartInput, document: RenderedDoc, template: TemplateText | None, index: int
) -> list[ManifestObject] | Finding:
    found = parse_document(document.text, chart.file_for(document.source), document.line)
    if isinstance(found, Finding):
        return _parse_finding(found, chart, document, template, index)
    return found


def _parse_finding(
    problem: Finding,
    chart: ChartInput,
    document: RenderedDoc,
    template: TemplateText | None,
    index: int,
) -> Finding:
    rendered_lines = document.text.splitlines()
    rendered_line = problem.location.line
    offset = rendered_line - document.line
    bad_text = rendered_lines[offset] if 0 <= offset < len(rendered_lines) else ""
    line = template.line_of_text(bad_text, index) if template else rendered_line
    location = chart.where(Location(chart.file_for(document.source), line))
    message = f"rendered document is not valid: {problem.message}"
    return problem_finding(
        problem.rule_id, message, location, Location(document.source, rendered_line)
    )


class TemplateCache:
    """Template texts of one chart, read on first use (None when not on disk, e.g. in a .tgz)."""

    def __init__(self, chart: ChartInput) -> None:
        self.chart = chart
        self._texts = chart.templates

    def get(self, source: str) -> TemplateText | None:
        if source not in self._texts:
            path = self.chart.directory / chart_relative(source)
            text = _template_text(path)
            self._texts[source] = TemplateText(text) if text is not None else None
        return self._texts[source]


def _template_text(path: Path) -> str | None:
    """A template's text for locating findings; None when it is not a readable regular file."""
    if path.is_symlink() or not path.is_file():
        return None
    try:
        return read_input_text(path)
    except UserError:
        return None
