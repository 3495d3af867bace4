"""The Typer application object; command modules attach their commands to it."""

import typer

app = typer.Typer(
    name="unspin",
    help=(
        "Show how news outlets spin the same story, with evidence.\n\n"
        "Read articles (text, HTML, feeds, JSONL/CSV/Parquet), find persuasion techniques, framing, "
        "loaded wording, quotes and attributions, group articles into stories and compare the outlets. "
        "Every finding points to the exact text that supports it."
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_show_locals=False,
)
