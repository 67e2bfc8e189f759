"""The `market` command (Typer). Each concern registers its commands from market/commands/."""

from __future__ import annotations

import typer

from market.commands import backup as backup_commands
from market.commands import catalog as catalog_commands
from market.commands import chains as chain_commands
from market.commands import events as event_commands
from market.commands import match as match_commands
from market.commands import search as search_commands
from market.commands import serve as serve_commands
from market.commands import users as user_commands

app = typer.Typer(help="数转通: 中小企业数字化转型试点的服务资源池与供需匹配平台", no_args_is_help=True)
eval_app = typer.Typer(help="在评测集上评估搜索与匹配质量", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

for _module in (
    catalog_commands,
    user_commands,
    serve_commands,
    search_commands,
    match_commands,
    event_commands,
    chain_commands,
    backup_commands,
):
    _module.register(app, eval_app)


if __name__ == "__main__":  # pragma: no cover
    app()
