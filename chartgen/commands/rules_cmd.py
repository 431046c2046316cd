"""`chartgen rules` (list the lint rules) and `chartgen explain RULE` (one rule's documentation)."""

from __future__ import annotations

import click

from chartgen.errors import UserError

FORMATS = ("text", "json", "markdown")


@click.command("rules")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text: id, severity, summary; json: everything; markdown: docs/rules.md.",
)
def rules_command(output_format: str) -> None:
    """List every lint rule with its default severity."""
    from chartgen.rules.support import docs

    renderers = {"text": docs.rules_table, "json": docs.rules_json, "markdown": docs.rules_markdown}
    click.echo(renderers[output_format](), nl=False)


@click.command("explain")
@click.argument("rule_id")
def explain_command(rule_id: str) -> None:
    """Explain RULE_ID: why it matters, references, how to fix it, an example."""
    from chartgen.lint.catalog import SCHEMA_RULES
    from chartgen.rules.support.docs import explain_info, explain_text
    from chartgen.rules.support.registry import BY_ID, did_you_mean

    rule = BY_ID.get(rule_id)
    if rule is None and rule_id in SCHEMA_RULES:  # input, render and schema findings
        click.echo(explain_info(SCHEMA_RULES[rule_id]), nl=False)
        return
    if rule is None:
        raise UserError(
            f"unknown rule {rule_id!r}{did_you_mean(rule_id)}; `chartgen rules` lists them"
        )
    click.echo(explain_text(rule), nl=False)
