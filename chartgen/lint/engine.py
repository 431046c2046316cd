"""`lint_paths`: inputs -> rendered objects -> schema, deprecation and plugged-in rule findings.

Flow: every input becomes lint units (a chart: one per values variant), all objects of all units
are validated in one batch by the chosen backend, then each object gets its findings located
at the line a user edits. Findings a chart's values variants share are reported once.

Best-practice rules run in chartgen.lint.rule_stage.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chartgen.errors import Location, UserError
from chartgen.findings import Finding, InputSummary, LintResult, ObjectRef, RuleInfo, Severity
from chartgen.helm.engine import HelmEngine, get_engine
from chartgen.helm.guard import Refusal, guard_chart
from chartgen.limits import decode_text, read_stdin_bytes
from chartgen.lint.catalog import SCHEMA_RULES
from chartgen.lint.charts import ChartInput, chart_crds, render_variant, variants
from chartgen.lint.documents import parse_stream
from chartgen.lint.inputs import (
    STDIN_NAME,
    InputPath,
    classify,
    extract_archive,
    looks_like_spec,
    read_text,
    spec_charts,
)
from chartgen.lint.locate import ManifestLocator
from chartgen.lint.options import LintOptions
from chartgen.lint.units import LintObject, LintUnit, finding_for, problem_finding
from chartgen.manifests import ManifestObject
from chartgen.rules.support.memo import RuleMemo
from chartgen.validate import SchemaBackend, get_backend
from chartgen.validate.crds import (
    CrdVersion,
    crd_versions,
    defaulted,
    has_null_field,
    load_crd_paths,
    pruned_nulls,
)
from chartgen.validate.deprecations import check_api_version
from chartgen.validate.issues import (
    RULE_API_REMOVED,
    RULE_DUPLICATE_KEY,
    RULE_INPUT_REFUSED,
    RULE_OBJECT_INVALID,
    RULE_SCHEMA_MISSING,
    Issue,
)
from chartgen.validate.k8s import builtin_schema
from chartgen.validate.store import SchemaStore

if TYPE_CHECKING:
    pass  # chartgen.spec loads only for spec inputs

DEFAULT_VARIANT = "values.yaml"
MAX_RENDER_THREADS = max(2, min(4, os.cpu_count() or 2))


def lint_paths(paths: Sequence[str], options: LintOptions) -> LintResult:
    """Lint charts, chart archives, manifest files, chartgen specs and `-` (stdin)."""
    started = time.perf_counter()
    store = SchemaStore(options.kube_version, options.strict, load_crd_paths(list(options.crds)))
    inputs = classify(paths)
    backend = get_backend(options.validator, store, options.kubeconform)
    early = EarlyChecks(backend, options)
    with tempfile.TemporaryDirectory(prefix="chartgen-lint-") as scratch:
        units = collect_units(inputs, options, store, Path(scratch), early.add)
        store.add_crds(rendered_crds(units))
        findings = check_units(units, backend, options, early)
        if options.server:
            findings += server_findings(units, options)
    return LintResult(
        findings=sorted(findings, key=Finding.sort_key),
        inputs=[unit.summary for unit in units],
        rules={
            **SCHEMA_RULES,
            **(_rule_infos() if options.rules else {}),
            **_server_rules(options),
        },
        duration_seconds=time.perf_counter() - started,
    )


def collect_units(
    inputs: Sequence[InputPath],
    options: LintOptions,
    store: SchemaStore,
    scratch: Path,
    arrived: Callable[[list[LintUnit]], None] | None = None,
) -> list[LintUnit]:
    """Render and parse every input (and run the rules on it): many charts in worker processes
    (`--jobs`; `arrived` sees each input's units as they come back), else here, chart variants
    in parallel threads (Helm runs outside the GIL, so one thread's parsing overlaps another's
    rendering)."""
    from chartgen.lint.processes import collect_in_processes, process_count

    processes = process_count(inputs, options)
    if processes > 1:
        return collect_in_processes(inputs, options, store, scratch, processes, arrived)
    return collect_here(inputs, options, store, scratch)


class EarlyChecks:
    """Schema checks of built-in kinds made while `--jobs` processes still render: a built-in
    kind's schema never depends on the CRDs found later, and this process would otherwise
    wait idle, then check every object after the last chart came back."""

    def __init__(self, backend: SchemaBackend, options: LintOptions) -> None:
        self.backend = backend if backend.name == "builtin" else None  # kubeconform: one batch
        self.options = options
        self._done: dict[int, tuple[ManifestObject, list[Issue]]] = {}

    def add(self, units: list[LintUnit]) -> None:
        if self.backend is None:
            return
        version, strict = self.options.kube_version, self.options.strict
        for unit in units:
            for item in unit.objects:
                obj = item.obj
                if id(obj) in self._done or not _is_object(obj):
                    continue
                if builtin_schema(version, strict, obj.api_version, obj.kind) is not None:
                    self._done[id(obj)] = (obj, self.backend.check([obj])[0])

    def issues(self, obj: ManifestObject) -> list[Issue] | None:
        done = self._done.get(id(obj))
        return done[1] if done is not None and done[0] is obj else None


def collect_here(
    inputs: Sequence[InputPath],
    options: LintOptions,
    store: SchemaStore,
    scratch: Path,
    numbers: Sequence[int] | None = None,
    threads: int = 0,
) -> list[LintUnit]:
    """`collect_units` in this process; `numbers` name the inputs' scratch folders."""
    engine = _LazyEngine(options)
    jobs: list[Callable[[], LintUnit]] = []
    threads = threads or MAX_RENDER_THREADS
    for number, item in zip(numbers or range(len(inputs)), inputs, strict=True):
        workdir = scratch / f"input-{number}"
        if item.kind == "stdin":
            item = _stdin_input(item, workdir)
        if item.kind in ("manifest", "stdin"):
            text = item.text if item.kind == "stdin" else read_text(item.path, item.display)
            jobs.append(functools.partial(manifest_unit, text, item, options))
            continue
        charts, spec_warnings = _charts_of(item, workdir)
        if spec_warnings:
            jobs.append(functools.partial(spec_warning_unit, item, spec_warnings))
        for chart in charts:
            guarded = guard_chart(chart.directory, workdir / "guarded")
            if guarded.refusals:
                origin = chart.origin or chart.directory
                chart = dataclasses.replace(chart, directory=guarded.directory, origin=origin)
                jobs.append(functools.partial(refusal_unit, chart, guarded.refusals))
            jobs += chart_jobs(chart, engine.get(), options, store)
    run = functools.partial(_run_job, options=options)
    if len(jobs) < 2 or threads < 2:
        return [run(job) for job in jobs]
    with ThreadPoolExecutor(max_workers=min(threads, len(jobs))) as pool:
        units = pool.map(run, jobs)
        if options.rules:  # the rule modules load while Helm renders, not before it starts
            import chartgen.lint.rule_stage  # noqa: F401
        return list(units)


def _run_job(job: Callable[[], LintUnit], options: LintOptions) -> LintUnit:
    """Render/parse one unit, then run the rules on it: they need no schema, only objects."""
    unit = job()
    if options.rules:
        from chartgen.lint.rule_stage import rule_findings

        unit.rule_findings = rule_findings(
            unit, options.config, options.platform, options.node_pool
        )
    unit.rule_memo = None  # the chart's other variants hold it; a unit may go to another process
    return unit


def _stdin_input(item: InputPath, workdir: Path) -> InputPath:
    """Standard input, read under the input budget; a spec on stdin is linted as a spec."""
    text = decode_text(read_stdin_bytes(), STDIN_NAME)
    if not looks_like_spec(text):
        return dataclasses.replace(item, text=text)
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "stdin.yaml"
    path.write_text(text, encoding="utf-8")
    return InputPath("spec", path, STDIN_NAME, stdin_spec=True)


def _charts_of(item: InputPath, workdir: Path) -> tuple[list[ChartInput], list[Finding]]:
    if item.kind == "chart":
        return [ChartInput(item.path, item.display, item.display)], []
    if item.kind == "archive":
        directories = extract_archive(item.path, workdir, item.display)
        many = len(directories) > 1
        return [
            ChartInput(
                directory,
                f"{item.display}!/{directory.name}",
                f"{item.display}!/{directory.name}" if many else item.display,
                origin=item.path,
            )
            for directory in directories
        ], []
    if item.stdin_spec:
        return _stdin_spec_charts(item, workdir)
    charts, warnings = spec_charts(item.path, workdir)
    inputs = [
        ChartInput(
            path,
            path.name,
            f"{item.display} ({path.name})",
            "spec",
            item.display,
            item.path,
            plan=plan,
        )
        for path, plan in charts
    ]
    return inputs, warnings


def _stdin_spec_charts(item: InputPath, workdir: Path) -> tuple[list[ChartInput], list[Finding]]:
    """A spec read from stdin: its problems name <stdin>, not the scratch file it went to."""

    try:
        charts, warnings = spec_charts(item.path, workdir / "charts")
    except UserError as exc:
        raise UserError(str(exc).replace(str(item.path), STDIN_NAME)) from None
    named = [
        dataclasses.replace(w, location=dataclasses.replace(w.location, file=STDIN_NAME))
        for w in warnings
    ]
    inputs = [
        ChartInput(path, path.name, f"{STDIN_NAME} ({path.name})", "spec", STDIN_NAME, plan=plan)
        for path, plan in charts
    ]
    return inputs, named


def refusal_unit(chart: ChartInput, refusals: Sequence[Refusal]) -> LintUnit:
    """What lint kept from Helm (a schema reference leaving the chart, a link out of it)."""
    findings = [
        problem_finding(RULE_INPUT_REFUSED, refusal.message, Location(chart.shown(refusal.file)))
        for refusal in refusals
    ]
    summary = InputSummary(chart.name, chart.kind)
    # its own group: a refusal concerns the chart, not one values variant
    return LintUnit(summary, chart.origin or chart.directory, findings=findings)


def spec_warning_unit(item: InputPath, warnings: Sequence[Finding]) -> LintUnit:
    """The spec's own cross-field warnings, at their spec line."""
    return LintUnit(InputSummary(item.display, "spec"), item.path, findings=list(warnings))


class _LazyEngine:
    """Helm is only loaded when a chart is linted."""

    def __init__(self, options: LintOptions) -> None:
        self.options = options
        self._engine: HelmEngine | None = None

    def get(self) -> HelmEngine:
        if self._engine is None:
            self._engine = get_engine(
                self.options.engine,
                self.options.helm,
                seconds=self.options.render_seconds,
                memory_mib=self.options.render_memory_mib,
                reuse=self.options.shared,
            )
        return self._engine


def chart_jobs(
    chart: ChartInput, engine: HelmEngine, options: LintOptions, store: SchemaStore
) -> list[Callable[[], LintUnit]]:
    """One job per values variant; the chart's `crds/` register before anything validates."""
    crds, problems = chart_crds(chart)
    store.add_crds(crds)
    if options.shared:
        chart = dataclasses.replace(chart, parsed={}, rule_memo=RuleMemo())
    jobs: list[Callable[[], LintUnit]] = [
        functools.partial(render_variant, chart, engine, variant, files, options)
        for variant, files in variants(chart.directory)
    ]
    if problems:
        jobs[0] = functools.partial(_with_findings, jobs[0], problems)
    return jobs


def _with_findings(job: Callable[[], LintUnit], findings: list[Finding]) -> LintUnit:
    unit = job()
    unit.findings.extend(findings)
    return unit


def manifest_unit(text: str, item: InputPath, options: LintOptions) -> LintUnit:
    parsed = parse_stream(text, item.display)
    summary = InputSummary(item.display, item.kind, objects=len(parsed.objects))
    source = None if item.kind == "stdin" else item.path
    unit = LintUnit(summary, source, group=item.display)
    unit.objects = [LintObject(obj, ManifestLocator(obj)) for obj in parsed.objects]
    unit.findings = [
        dataclasses.replace(p, location=Location(item.display, p.location.line))
        for p in parsed.problems
    ]
    return unit


def rendered_crds(units: Sequence[LintUnit]) -> list[CrdVersion]:
    """CRDs among the linted objects validate the custom resources linted with them. An object
    the values variants share is converted once (the first definition of a kind wins anyway)."""
    seen: set[int] = set()
    found: list[CrdVersion] = []
    for unit in units:
        for item in unit.objects:
            if item.obj.kind == "CustomResourceDefinition" and id(item.obj) not in seen:
                seen.add(id(item.obj))
                found.extend(crd_versions(item.obj.data, item.obj.file))
    return found


def server_findings(units: Sequence[LintUnit], options: LintOptions) -> list[Finding]:
    """The cluster's verdict (server-side dry run: validation and admission), each finding moved
    to the line a user edits, like schema findings. Each object is sent once (not per variant)."""
    from chartgen.validate.server import server_dry_run

    items: dict[tuple[str, str, str, str], LintObject] = {}
    for unit in units:
        for item in unit.objects:
            if _is_object(item.obj):
                items.setdefault(_ref_key(item.obj.ref), item)
    found = server_dry_run(
        [i.obj for i in items.values()], options.kubeconfig, options.context, options.namespace
    )
    return [_relocated(finding, items.get(_ref_key(finding.obj))) for finding in found]


def _ref_key(ref: ObjectRef) -> tuple[str, str, str, str]:
    return (ref.api_version, ref.kind, ref.namespace, ref.name)


def _relocated(finding: Finding, item: LintObject | None) -> Finding:
    if item is None:
        return finding
    location, rendered = item.locator.locate(finding.json_path, 0)
    return dataclasses.replace(finding, location=location, rendered=rendered)


def _rule_infos() -> dict[str, RuleInfo]:
    from chartgen.lint.rule_stage import rule_infos

    return rule_infos()


def _server_rules(options: LintOptions) -> dict[str, RuleInfo]:
    if not options.server:
        return {}
    from chartgen.validate.server import RULES

    return dict(RULES)


def check_units(
    units: Sequence[LintUnit],
    backend: SchemaBackend,
    options: LintOptions,
    early: EarlyChecks | None = None,
) -> list[Finding]:
    checkable = [item for unit in units for item in unit.objects if _is_object(item.obj)]
    if options.shared:  # an object a chart's variants share (same parse) is checked once
        checkable = list({id(item.obj): item for item in checkable}.values())
    checked = {id(i.obj): done for i in checkable if (done := _early(early, i.obj)) is not None}
    pending = [item for item in checkable if id(item.obj) not in checked]
    results = backend.check([_as_validated(item.obj, options, backend) for item in pending])
    by_object = {id(item.obj): issues for item, issues in zip(pending, results, strict=True)}
    by_object.update(checked)
    schema_issues = {
        id(item): by_object[id(item.obj)]
        for unit in units
        for item in unit.objects
        if id(item.obj) in by_object
    }
    per_unit = []
    for unit in units:
        found = list(unit.findings)
        for item in unit.objects:
            found += object_findings(item, schema_issues.get(id(item)), options)
        found += unit.rule_findings
        per_unit.append((unit, found))
    return merge_variants(per_unit)


def _early(early: EarlyChecks | None, obj: ManifestObject) -> list[Issue] | None:
    return early.issues(obj) if early is not None else None


def object_findings(
    item: LintObject, schema_issues: list[Issue] | None, options: LintOptions
) -> list[Finding]:
    obj = item.obj
    if schema_issues is None:
        return [finding_for(issue, item) for issue in _structure_issues(obj)]
    issues = list(schema_issues)
    deprecation = check_api_version(obj.api_version, obj.kind, options.kube_version)
    if deprecation is not None:
        if deprecation.rule_id == RULE_API_REMOVED:  # says why there is no schema, and what to use
            issues = [i for i in issues if i.rule_id != RULE_SCHEMA_MISSING]
        issues.append(deprecation)
    found = [finding_for(issue, item) for issue in issues]
    severity = Severity.ERROR if options.strict else Severity.WARNING
    for pointer, line in obj.duplicate_keys:
        key = pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
        issue = Issue(RULE_DUPLICATE_KEY, pointer, f"duplicate key {key!r}", severity)
        found.append(finding_for(issue, item, rendered_line=line))
    return found


def _as_validated(
    obj: ManifestObject, options: LintOptions, backend: SchemaBackend
) -> ManifestObject:
    """What the API server validates: for a custom resource, its null fields pruned, then its
    CRD's defaults filled in."""
    if builtin_schema(options.kube_version, options.strict, obj.api_version, obj.kind):
        return obj
    data = pruned_nulls(obj.data) if has_null_field(obj.data) else obj.data
    openapi = backend.store.crd_openapi(obj.api_version, obj.kind)
    if openapi is not None:
        data = defaulted(data, openapi)
    return obj if data == obj.data else dataclasses.replace(obj, data=data)


def _is_object(obj: ManifestObject) -> bool:
    api_version, kind = obj.data.get("apiVersion"), obj.data.get("kind")
    return (
        isinstance(api_version, str) and bool(api_version) and isinstance(kind, str) and bool(kind)
    )


def _structure_issues(obj: ManifestObject) -> list[Issue]:
    issues = []
    for field in ("apiVersion", "kind"):
        value = obj.data.get(field)
        if not isinstance(value, str) or not value:
            problem = "is missing" if value is None else "must be a non-empty string"
            issues.append(Issue(RULE_OBJECT_INVALID, f"/{field}", f"{field} {problem}"))
    return issues


def merge_variants(per_unit: Sequence[tuple[LintUnit, list[Finding]]]) -> list[Finding]:
    """A chart's values variants often share findings: report each once, naming the variants
    it occurs in unless it occurs in all of them."""
    groups: dict[str, list[tuple[LintUnit, list[Finding]]]] = {}
    for unit, found in per_unit:
        groups.setdefault(unit.group, []).append((unit, found))
    merged: list[Finding] = []
    for members in groups.values():
        firsts: dict[tuple[Any, ...], Finding] = {}
        occurs: dict[tuple[Any, ...], list[str]] = {}
        for unit, found in members:
            for finding in found:
                key = (
                    finding.rule_id,
                    finding.location,
                    finding.obj,
                    finding.json_path,
                    finding.message,
                )
                firsts.setdefault(key, finding)
                occurs.setdefault(key, []).append(unit.summary.variant or DEFAULT_VARIANT)
        for key, finding in firsts.items():
            names = list(dict.fromkeys(occurs[key]))
            partial = len(members) > 1 and len(names) < len(members)
            suffix = f" (values: {', '.join(names)})" if partial else ""
            merged.append(dataclasses.replace(finding, message=finding.message + suffix))
    return merged
