"""`import`: post-mortem documents into incidents and actions."""

from __future__ import annotations

from typing import Annotated

import typer

from tracker.cli.root import app, context, err


@app.command("import")
def import_cmd(
    paths: Annotated[
        list[str], typer.Argument(help="Post-mortem files, directories, or - for stdin.")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Parse and show what would change; write nothing.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the incidents with their actions as JSON.")
    ] = False,
) -> None:
    """Import post-mortems: each measure becomes a tracked action."""
    from tracker.importing.run import import_documents
    from tracker.output.import_report import print_import

    ctx = context()
    run = import_documents(
        ctx, paths, dry_run=dry_run, want_actions=as_json or len(paths) <= 5, progress=err
    )
    print_import(run, as_json=as_json, progress=err, today=ctx.today())
    raise typer.Exit(run.exit_code)
