"""`chartgen schema`: the ModelService JSON Schema (specs are validated by `chartgen lint`)."""

from __future__ import annotations

from pathlib import Path

import click

from chartgen.cli import EXIT_OK, echo


@click.command("schema")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the schema to this file (for editors) instead of printing it.",
)
@click.option("--force", is_flag=True, help="Overwrite the output file if it differs.")
@click.pass_context
def schema(ctx: click.Context, output: Path | None, force: bool) -> int:
    """Print the JSON Schema (draft 2020-12) of chartgen spec files."""
    from chartgen.spec import schema_text
    from chartgen.spec.textfile import write_text_atomically

    text = schema_text()
    if output is None:
        click.echo(text, nl=False)
        return EXIT_OK
    unchanged = output.is_file() and output.read_bytes() == text.encode("utf-8")
    if not unchanged:
        write_text_atomically(output, text, overwrite=force)
    echo(ctx, f"wrote {output}", err=True)
    return EXIT_OK
