"""Every ``flask`` command of Flasky, one module each, registered by ``create_app``.

``flask test``, ``flask deploy``, ``flask fake``, ``flask profile``,
``flask mail ...``, ``flask jobs ...``, ``flask worker``, ``flask search ...`` and
``flask backup``, ``flask translate ...`` (flasky.py keeps
only the app object and the shell context).
"""

from flask import Flask

from app.cli.backup import backup_command
from app.cli.deploy import deploy_command
from app.cli.fake import fake_command
from app.cli.jobs import jobs_cli, worker_command
from app.cli.mail import mail_cli
from app.cli.profile import profile_command
from app.cli.search import search_cli
from app.cli.testing import test_command
from app.cli.translate import translate_cli


def register_commands(app: Flask) -> None:
    for command in (test_command, deploy_command, fake_command, profile_command, mail_cli,
                    jobs_cli, worker_command, search_cli, backup_command, translate_cli):
        app.cli.add_command(command)
