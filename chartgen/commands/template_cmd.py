"""`chartgen template`: the manifests a spec's chart renders, like `helm template`."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from chartgen.cli import EXIT_OK
from chartgen.commands.options import values_options


@click.command("template")
@click.argument("spec", type=click.Path(path_type=Path))
@values_options("Values file applied on top of the chart's values (repeatable).")
@click.option("--release", default="release-name", show_default=True, help="Release name.")
@click.option("-n", "--namespace", default="default", show_default=True, help="Release namespace.")
@click.option(
    "--engine",
    type=click.Choice(["embedded", "cli"]),
    default="embedded",
    show_default=True,
    help="Render in-process (embedded Helm SDK) or with the helm binary.",
)
@click.option("--helm", "helm_binary", help="helm binary for --engine cli (default: helm on PATH).")
def template(
    spec: Path,
    value_files: tuple[Path, ...],
    set_values: tuple[str, ...],
    release: str,
    namespace: str,
    engine: str,
    helm_binary: str | None,
) -> int:
    """Render the chart of one spec to stdout."""
    from chartgen.chart.build import build_chart
    from chartgen.errors import UserError
    from chartgen.helm import get_engine
    from chartgen.helm.engine import RenderOptions
    from chartgen.spec import load_specs

    documents = load_specs([spec])
    if len(documents) != 1:
        raise UserError(
            f"{spec}: holds {len(documents)} specs; template renders one (split the file)"
        )
    options = RenderOptions(
        release=release, namespace=namespace, value_files=value_files, set_values=set_values
    )
    with tempfile.TemporaryDirectory(prefix="chartgen-template-") as tmp:
        chart = build_chart(documents[0], Path(tmp))
        docs = get_engine(engine, helm_binary).render(chart, options)
    for doc in docs:
        click.echo(f"---\n# Source: {doc.source}\n{doc.text}", nl=False)
    return EXIT_OK
