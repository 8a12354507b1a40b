"""The account mails sent from a job: the password reset link."""

from flask_babel import lazy_gettext as _l

from app.email import send_email
from app.extensions import db
from app.jobs import task
from app.links import links_based_at
from app.models import User


@task(attempts=3, backoff=10)
def mail_reset_link(email: str, base_url: str) -> None:
    """Mail a reset link if the address has an account, with links to the host
    the request named (or FLASKY_BASE_URL). The request only queues this job,
    so its answer costs the same whether or not the address has an account."""
    user = User.by_email(email)
    if user is None:
        return
    with links_based_at(base_url):
        send_email(user.email, _l("Reset Your Password"), "auth/email/reset_password",
                   user=user, token=user.generate_reset_token())
    db.session.commit()
