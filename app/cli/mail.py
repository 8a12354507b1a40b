"""``flask mail ...``: the outgoing mail queue, for operators."""

import click
from flask.cli import AppGroup

from app.mail_delivery import deliver_due, outbox_status

mail_cli = AppGroup("mail", help="Inspect and deliver the outgoing mail queue.")


@mail_cli.command("retry")
@click.option("--now", is_flag=True,
              help="Kept for scripts: retrying now is what the command does anyway.")
@click.option("--given-up", is_flag=True,
              help="Also retry mails that used up FLASKY_MAIL_MAX_ATTEMPTS (after an outage).")
@click.option("--limit", default=500, show_default=True, help="Most mails to try in one run.")
def retry(now: bool, given_up: bool, limit: int) -> None:
    """Deliver pending mails now, back-off or not (the application retries on its
    own; an operator who asks means now). Exits non-zero when some still failed."""
    sent, failed = deliver_due(limit=limit, now=True, given_up=given_up)
    status = outbox_status()
    click.echo(f"sent {sent}, failed {failed}; "
               f"{status['pending']} pending, {status['given_up']} given up")
    if failed:
        raise SystemExit(1)


@mail_cli.command("status")
def status() -> None:
    """Count sent, pending and given-up mails."""
    counts = outbox_status()
    click.echo(" ".join(f"{name}={value}" for name, value in counts.items()))

