"""`chartgen init NAME --runtime R`: a commented starter spec that loads without problems."""

from __future__ import annotations

from pathlib import Path

import click

from chartgen.cli import EXIT_OK, echo

PLATFORMS = ("generic", "gke", "eks", "aks", "openshift")


@click.command("init")
@click.argument("name")
@click.option(
    "--runtime",
    required=True,
    metavar="NAME",
    help="Model server: a catalog runtime (vllm, sglang, triton, tgi, torchserve, tfserving, "
    "custom, or any chartgen/catalog/runtimes/NAME.yaml).",
)
@click.option(
    "--gpus",
    type=click.IntRange(0, 16),
    default=1,
    show_default=True,
    help="GPUs per replica (0: CPU only).",
)
@click.option(
    "--platform",
    type=click.Choice(PLATFORMS),
    default="generic",
    show_default=True,
    help="Target Kubernetes platform.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the spec to this file instead of printing it.",
)
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@click.option(
    "--schema-ref",
    metavar="URL|PATH",
    help="Schema for the editor modeline (default: the schema's published $id URL; "
    "write a local copy with `chartgen schema -o FILE`).",
)
@click.pass_context
def init(
    ctx: click.Context,
    name: str,
    runtime: str,
    gpus: int,
    platform: str,
    output: Path | None,
    force: bool,
    schema_ref: str | None,
) -> int:
    """Start a spec for service NAME (a DNS-1035 label of at most 53 characters)."""
    from chartgen.spec.starter import name_problem, starter_spec
    from chartgen.spec.textfile import write_text_atomically

    problem = name_problem(name)
    if problem:
        raise click.BadParameter(problem, param_hint="NAME")
    from chartgen import catalog

    if runtime not in catalog.runtime_names():
        known = ", ".join(catalog.runtime_names())
        raise click.BadParameter(
            f"{runtime!r} is not a catalog runtime ({known})", param_hint="--runtime"
        )
    text = starter_spec(name, runtime, platform, gpus, schema_ref)
    if output is None:
        click.echo(text, nl=False)
        return EXIT_OK
    write_text_atomically(output, text, overwrite=force)
    echo(ctx, f"wrote {output}", err=True)
    return EXIT_OK
