"""The click command group; each sub-command lives in its own module and is registered here."""

from __future__ import annotations

import click

from chartgen._version import __version__
from chartgen.cli import GlobalOptions, color_enabled

_COMMANDS = {  # name: (module, attribute); imported only when the command runs or --help lists it
    "build": ("chartgen.commands.build_cmd", "build"),
    "explain": ("chartgen.commands.rules_cmd", "explain_command"),
    "init": ("chartgen.commands.init_cmd", "init"),
    "lint": ("chartgen.commands.lint_cmd", "lint"),
    "rules": ("chartgen.commands.rules_cmd", "rules_command"),
    "schema": ("chartgen.commands.schema_cmd", "schema"),
    "template": ("chartgen.commands.template_cmd", "template"),
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = _COMMANDS.get(cmd_name)
        if target is None:
            return None
        import importlib

        module = importlib.import_module(target[0])
        command: click.Command = getattr(module, target[1])
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__, "--version", prog_name="chartgen", message="%(prog)s %(version)s"
)
@click.option("--no-color", is_flag=True, help="Disable colour (also honoured: NO_COLOR).")
@click.option("-q", "--quiet", count=True, help="Print less (repeatable).")
@click.option("-v", "--verbose", count=True, help="Print more (repeatable).")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.pass_context
def cli(ctx: click.Context, no_color: bool, quiet: int, verbose: int, debug: bool) -> None:
    """chartgen: turn an ML model-serving spec into a production-grade Helm chart, and lint charts.

    Exit codes: 0 success or clean, 1 findings or differences, 2 bad input or usage,
    3 internal or tool error.
    """
    ctx.obj = GlobalOptions(
        color=color_enabled(no_color), verbosity=1 + verbose - quiet, debug=debug
    )
