"""The ``investenv`` command: a Flask CLI group with the operator's commands, one module per group.

Every command is registered here, explicitly, as the app factory registers every blueprint.
"""
from __future__ import annotations

import click
from flask.cli import FlaskGroup

from ..app import create_app
from . import accounts, data, database, evaluation, notify, system


@click.group(cls=FlaskGroup, create_app=create_app, add_default_commands=False)
def main() -> None:
    """投资环境测评系统 investenv 的管理命令。"""


main.add_command(system.serve)
main.add_command(system.worker)
main.add_command(database.db_group)
main.add_command(accounts.create_user)
main.add_command(accounts.api_token)
main.add_command(system.demo)
main.add_command(system.questionnaire)
main.add_command(data.import_group)
main.add_command(data.export_group)
data.export_group.add_command(evaluation.export_bundle)
data.export_group.add_command(evaluation.export_workbook)
main.add_command(evaluation.rank)
main.add_command(evaluation.report)
main.add_command(evaluation.bulletin)
main.add_command(evaluation.evaluation_group)
main.add_command(system.backup)
main.add_command(system.restore)
main.add_command(notify.notify)
main.add_command(notify.notify_contact)
