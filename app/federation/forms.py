"""The federation's forms: following a remote account by its handle, and the
administrators' block list of servers."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Regexp

HANDLE_PATTERN = r"^@?[^@\s]{1,64}@[A-Za-z0-9.\-]{1,253}(:[0-9]{1,5})?\Z"


class RemoteFollowForm(FlaskForm):
    handle = StringField(_l("Account on another server"), validators=[
        DataRequired(), Length(3, 320),
        Regexp(HANDLE_PATTERN, message=_l("Write the account as @name@server.example."))])
    submit = SubmitField(_l("Follow"))


DOMAIN_PATTERN = r"^[A-Za-z0-9]([A-Za-z0-9\-]{0,62}\.)*[A-Za-z0-9\-]{1,63}\Z"


class DomainBlockForm(FlaskForm):
    domain = StringField(_l("Server"), validators=[
        DataRequired(), Length(1, 253),
        Regexp(DOMAIN_PATTERN, message=_l("Write the server's host name, like mastodon.example."))])
    reason = StringField(_l("Reason (optional, seen by administrators)"),
                         validators=[Length(0, 200)])
    submit = SubmitField(_l("Block this server"))


class FollowerApprovalForm(FlaskForm):
    by_hand = BooleanField(_l("Approve followers from other servers by hand"))
    submit = SubmitField(_l("Save"))
