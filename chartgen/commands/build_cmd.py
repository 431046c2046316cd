"""`chartgen build`: spec files -> chart directories; `--check` is the CI and pre-commit gate."""

from __future__ import annotations

from pathlib import Path

import click

from chartgen.cli import EXIT_FINDINGS, EXIT_OK, echo

DEFAULT_OUT = Path("generated-charts")
MAINTENANCE_WORDS = {
    "maintenance-mode": "in maintenance mode",
    "limited": "in limited maintenance",
    "archived": "archived",
}


@click.command("build")
@click.argument("specs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(path_type=Path),
    default=DEFAULT_OUT,
    show_default=True,
    help="Directory that receives one chart directory per spec.",
)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 naming every chart that is missing or stale.",
)
@click.option(
    "--diff",
    "show_diff",
    is_flag=True,
    help="With --check, print the unified diff of each stale chart.",
)
@click.pass_context
def build(
    ctx: click.Context, specs: tuple[Path, ...], out_dir: Path, check: bool, show_diff: bool
) -> int:
    """Build a Helm chart for every spec (files, or directories of spec files)."""
    from chartgen.chart.build import diff_text, generate, stale_paths
    from chartgen.chart.writer import write_chart
    from chartgen.spec import check_specs

    documents, warnings = check_specs(list(specs))
    for warning in warnings:
        echo(ctx, f"warning: {warning}", err=True)
    for doc in documents:
        notice = maintenance_notice(doc.data)
        if notice:
            echo(ctx, f"warning: {doc.path}: {notice}", err=True)
    if not check:
        for doc in documents:
            built = generate(doc, out_dir)
            kept = write_chart(built.files, built.directory)
            echo(ctx, f"wrote {built.directory}")
            if kept:
                echo(ctx, f"kept files chartgen does not write: {', '.join(kept)}", err=True)
        return EXIT_OK
    stale = 0
    for doc in documents:
        built = generate(doc, out_dir)
        paths = stale_paths(built)
        if paths:
            stale += 1
            state = (
                "missing" if not built.directory.exists() else f"stale ({len(paths)} files differ)"
            )
            echo(
                ctx,
                f"{built.directory}: {state}; run: chartgen build {doc.path} -o {out_dir}",
                err=True,
            )
            if show_diff:
                click.echo(diff_text(built), nl=False)
    if stale:
        return EXIT_FINDINGS
    echo(ctx, f"{len(documents)} chart(s) up to date")
    return EXIT_OK


def maintenance_notice(data: dict[str, object]) -> str:
    """Build-time note for a runtime that is archived or in maintenance upstream (catalog fact)."""
    from chartgen import catalog

    spec = data.get("spec")
    name = spec.get("runtime") if isinstance(spec, dict) else None
    if not isinstance(name, str):
        return ""
    runtime = catalog.runtime(name)
    if not runtime.maintenance:
        return ""
    status = MAINTENANCE_WORDS.get(runtime.maintenance, runtime.maintenance)
    return (
        f"runtime {name} is {status} upstream "
        f"({runtime.sources.get('maintenance', '')}); see docs/runtimes.md"
    )
