"""The `market` command (Typer). Each feature registers its commands from market/<feature>/commands.py;
the app-wide ones (serve, backup) live in market/commands/."""

from __future__ import annotations

import typer

from market.chains import commands as chain_commands
from market.commands import backup as backup_commands
from market.commands import serve as serve_commands
from market.events import commands as event_commands
from market.exchange import commands as exchange_commands
from market.matching import commands as match_commands
from market.search import commands as search_commands
from market.users import commands as user_commands

app = typer.Typer(help="数转通: 中小企业数字化转型试点的服务资源池与供需匹配平台", no_args_is_help=True)
eval_app = typer.Typer(help="在评测集上评估搜索与匹配质量", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

for _module in (
    exchange_commands,
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
