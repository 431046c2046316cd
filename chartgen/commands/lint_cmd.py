"""`chartgen lint PATH...`: render and validate charts, archives, manifests and specs, offline."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from chartgen.cli import EXIT_FINDINGS, EXIT_OK, GlobalOptions
from chartgen.commands.options import values_options
from chartgen.findings import LintResult, Severity
from chartgen.limits import RENDER_MEMORY_MIB, RENDER_SECONDS
from chartgen.report import REPORTERS, ReportContext
from chartgen.validate import VALIDATORS

if TYPE_CHECKING:
    from chartgen.lint.options import LintOptions

_EXPORT_HINT = "kubeconform -schema-location {dir} -schema-location '{dir}/{crd}'"


@click.command("lint")
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@values_options("Values file for every chart (repeatable; after ci/ values).")
@click.option(
    "--kube-version",
    metavar="VERSION",
    help="Target Kubernetes version: 1.30, 1.30.2 or v1.30.0 (default: newest bundled).",
)
@click.option(
    "--strict/--no-strict",
    default=True,
    show_default=True,
    help="Unknown fields and duplicate keys are errors.",
)
@click.option(
    "--validator",
    type=click.Choice(VALIDATORS),
    default="builtin",
    show_default=True,
    help="Schema backend; auto = kubeconform if installed.",
)
@click.option(
    "--kubeconform",
    "kubeconform_binary",
    metavar="PATH",
    help="kubeconform binary (default: on PATH).",
)
@click.option(
    "--crd",
    "crds",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="CustomResourceDefinition file or directory (repeatable).",
)
@click.option(
    "--engine",
    type=click.Choice(["embedded", "cli"]),
    default="embedded",
    show_default=True,
    help="Render with the embedded Helm SDK or a helm binary.",
)
@click.option("--helm", "helm_binary", metavar="PATH", help="helm binary for --engine cli.")
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(sorted(REPORTERS)),
    help="Output format (repeatable, paired in order with --output).",
)
@click.option(
    "-o",
    "--output",
    "outputs",
    multiple=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Write the matching --format here ('-' = stdout).",
)
@click.option(
    "--fail-on",
    type=click.Choice([s.label for s in reversed(Severity)]),
    default="error",
    show_default=True,
    help="Exit 1 when a finding is at least this severe.",
)
@click.option(
    "--export-schemas",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Write the schemas in kubeconform's layout to DIR and exit.",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Rule config (default: the nearest .chartgen.yaml above each input).",
)
@click.option(
    "-n",
    "--namespace",
    default="default",
    show_default=True,
    help="Release namespace for rendering, and the namespace of --server dry runs.",
)
@click.option(
    "--server",
    is_flag=True,
    help="Also validate through a server-side dry run on a real cluster (admission included).",
)
@click.option(
    "--kubeconfig",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="kubeconfig for --server (default: $KUBECONFIG, then ~/.kube/config).",
)
@click.option("--context", "kube_context", help="kubeconfig context for --server.")
@click.option(
    "--pre-commit",
    "pre_commit",
    is_flag=True,
    help="PATHS are changed files (pre-commit): lint each one's chart, spec or manifest once.",
)
@click.option(
    "--platform",
    metavar="NAME[/POOL]",
    help="Platform (gke, eks, aks, openshift, generic) and optionally its node-pool variant "
    "(e.g. eks/karpenter) the charts target: GPU scheduling rules judge node labels and taints "
    "against the variant's GPU nodes. Default: the chart's chartgen.dev/platform and "
    "chartgen.dev/node-pool annotations. A platform without a variant: detected from the GPU "
    "labels the pods select, else findings only where no variant of the platform fits.",
)
@click.option(
    "--render-timeout",
    type=click.FloatRange(min=0.1),
    default=RENDER_SECONDS,
    show_default=True,
    metavar="SECONDS",
    help="Time limit of one Helm render; past it the render is a finding (render exceeded).",
)
@click.option(
    "--render-memory",
    type=click.IntRange(min=64),
    default=RENDER_MEMORY_MIB,
    show_default=True,
    metavar="MIB",
    help="Memory a Helm render may add (MiB); past it the render is a finding.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    default=0,
    metavar="N",
    help="Processes for many charts (each with its own sandboxed Helm worker); 0 = one per "
    "core.  [default: 0]",
)
@click.option(
    "--schema-only",
    is_flag=True,
    help="Only render, schema and apiVersion checks (skip the best-practice rules).",
)
@click.pass_context
def lint(
    ctx: click.Context,
    /,
    paths: tuple[str, ...],
    formats: tuple[str, ...],
    outputs: tuple[str, ...],
    fail_on: str,
    export_schemas: Path | None,
    **flags: Any,
) -> int:
    """Lint Helm charts (directories or .tgz), rendered manifests, chartgen specs or - (stdin).

    Every chart renders with its own values and each ci/*-values.yaml; every object is checked
    against the Kubernetes schemas of --kube-version and the bundled or --crd CRDs, for
    deprecated and removed apiVersions, duplicate keys and render errors.
    Exit codes: 0 clean, 1 findings at or above --fail-on, 2 bad input.
    """
    options = _lint_options(flags)
    if export_schemas is not None:
        return _export(export_schemas, options)
    if flags["pre_commit"]:
        from chartgen.lint.precommit import lint_targets

        paths = tuple(lint_targets(paths))
        if not paths:
            return EXIT_OK
    if not paths:
        raise click.UsageError(
            "give at least one chart, chart archive, manifest, spec or - (stdin)"
        )
    pairs = _output_pairs(formats, outputs)
    _prestart_helm(paths, options)
    from chartgen.lint.engine import lint_paths

    result = lint_paths(paths, options)
    threshold = Severity.parse(fail_on)
    _write_reports(result, pairs, _report_context(ctx, threshold))
    return EXIT_FINDINGS if result.failed(threshold) else EXIT_OK


def _lint_options(flags: dict[str, Any]) -> LintOptions:
    from chartgen.lint.options import LintOptions
    from chartgen.validate.versions import parse_kube_version

    return LintOptions(
        kube_version=parse_kube_version(flags["kube_version"]),
        strict=flags["strict"],
        validator=flags["validator"],
        kubeconform=flags["kubeconform_binary"],
        crds=flags["crds"],
        engine=flags["engine"],
        helm=flags["helm_binary"],
        value_files=flags["value_files"],
        set_values=flags["set_values"],
        rules=not flags["schema_only"],
        platform=_target(flags["platform"])[0],
        node_pool=_target(flags["platform"])[1],
        config=flags["config_file"],
        namespace=flags["namespace"],
        server=flags["server"],
        kubeconfig=flags["kubeconfig"],
        context=flags["kube_context"],
        render_seconds=flags["render_timeout"],
        render_memory_mib=flags["render_memory"],
        jobs=flags["jobs"],
    )


def _prestart_helm(paths: tuple[str, ...], options: LintOptions) -> None:
    """The Helm worker starts now, importing the Go SDK on another core while lint imports the
    rest, unless it started already (chartgen/lint/prestart.py). Many charts get worker
    processes of their own (--jobs): this worker serves the first."""
    if options.engine != "embedded":
        return
    from chartgen.lint.prestart import prestart

    prestart(paths, options.render_seconds, options.render_memory_mib)


def _target(text: str | None) -> tuple[str | None, str | None]:
    """`eks` or `eks/karpenter` -> (platform, node pool); unknown names are bad input (exit 2)
    with the known ones listed."""
    if text is None:
        return None, None
    from chartgen.catalog.nodes import node_pool

    name, _, pool = text.partition("/")
    found = node_pool(name, pool or None)
    return name, found.name if pool else None


def _output_pairs(formats: tuple[str, ...], outputs: tuple[str, ...]) -> list[tuple[str, str]]:
    """kube-linter's rule: --format and --output pair up in order; one format may go to stdout."""
    chosen = list(formats) or ["text"]
    if not outputs:
        if len(chosen) > 1:
            raise click.UsageError("several --format values need one --output each")
        return [(chosen[0], "-")]
    if len(outputs) != len(chosen):
        raise click.UsageError(
            f"{len(chosen)} --format value(s) but {len(outputs)} --output value(s)"
        )
    if sum(1 for out in outputs if out == "-") > 1:
        raise click.UsageError("only one --output can be - (stdout)")
    return list(zip(chosen, outputs, strict=True))


def _report_context(ctx: click.Context, fail_on: Severity) -> ReportContext:
    root = ctx.find_root().obj
    globals_ = root if isinstance(root, GlobalOptions) else GlobalOptions()
    return ReportContext(color=globals_.color, verbosity=globals_.verbosity, fail_on=fail_on)


def _write_reports(
    result: LintResult, pairs: list[tuple[str, str]], context: ReportContext
) -> None:
    for name, output in pairs:
        if output == "-":
            colored = replace(context, color=context.color and sys.stdout.isatty())
            click.echo(REPORTERS[name](result, colored), nl=False)
        else:
            plain = replace(context, color=False)
            Path(output).write_text(REPORTERS[name](result, plain), encoding="utf-8")


def _export(directory: Path, options: LintOptions) -> int:
    from chartgen.validate.crds import load_crd_paths
    from chartgen.validate.export import CRD_LOCATION, export_kubeconform_layout

    crds = load_crd_paths(list(options.crds))
    written = export_kubeconform_layout(directory, options.kube_version, options.strict, crds)
    version = options.kube_version.schema_version
    click.echo(f"wrote {len(written)} schemas for Kubernetes {version} to {directory}")
    click.echo("use: " + _EXPORT_HINT.format(dir=directory, crd=CRD_LOCATION))
    return EXIT_OK
