"""``flask deploy``: bring a database up to date, safe to run on every release."""

import click
from flask_migrate import upgrade

from app.admin_address import grant_to_existing_account
from app.models import Role


@click.command("deploy")
def deploy_command() -> None:
    """Upgrade the database to the newest migration and insert/update roles."""
    upgrade()
    Role.insert_roles()
    grant_to_existing_account()
