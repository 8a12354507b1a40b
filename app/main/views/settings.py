"""A person's settings: links to the account pages, exporting their data
(app/exports.py) and deleting their account (app/account_deletion.py)."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import _
from flask_login import current_user, login_required, logout_user

from app import exports
from app.account_deletion import request_deletion
from app.auth.sessions import sign_out_everywhere
from app.database import committed
from app.forms import EmptyForm
from app.main import bp
from app.main.forms import DeleteAccountForm
from app.main.forms.languages import LanguageForm
from app.models import DataExport
from app.role_changes import LastAdministratorError
from app.security.rate_limits import login_limit


def settings_page(delete_form: DeleteAccountForm | None = None, refusal: str | None = None,
                  language_form: LanguageForm | None = None):
    user = current_user._get_current_object()
    return render_template("settings/index.html", title=_("Settings"),
                           delete_form=delete_form or DeleteAccountForm(formdata=None),
                           language_form=language_form or LanguageForm(formdata=None, obj=user),
                           refusal=refusal, export_days=DataExport.LIFETIME.days,
                           export=exports.live_export(user),
                           running_export=exports.running_export(user))


@bp.route("/settings")
@login_required
def settings():
    return settings_page()


@bp.route("/settings/export", methods=["POST"])
@login_required
def start_export():
    user = current_user._get_current_object()
    if not EmptyForm().validate_on_submit():
        return redirect(url_for(".settings"))
    job = exports.start_export(user)
    if job is None or not committed():
        flash(_("An export of your data is already being prepared; here is how far it is. "
                "You can start another once it is done."), "warning")
        running = exports.running_export(user)
        if running is None:  # it finished in the meantime
            return redirect(url_for(".settings"))
        return redirect(url_for(".export_progress", job_id=running))
    flash(_("Your export has started. You will also get an email when it is ready."), "info")
    return redirect(url_for(".export_progress", job_id=job.id))


def _own_export_job(job_id: int):
    job = exports.export_job(job_id, current_user._get_current_object())
    if job is None:
        abort(404, description=_("There is no such export of yours."))
    return job


@bp.route("/settings/export/<int:job_id>")
@login_required
def export_progress(job_id: int):
    status = exports.status_of(_own_export_job(job_id), current_user._get_current_object())
    return render_template("settings/export.html", title=_("Export my data"), status=status,
                           job_id=job_id)


@bp.route("/settings/export/<int:job_id>/status")
@login_required
def export_status(job_id: int):
    status = exports.status_of(_own_export_job(job_id), current_user._get_current_object())
    download_url = (url_for(".download_export", token=status.export.token)
                    if status.export is not None else None)
    return {"state": status.state, "progress": status.progress, "message": status.message,
            "download_url": download_url}


@bp.route("/settings/export/<token>/download")
@login_required
def download_export(token: str):
    user = current_user._get_current_object()
    export = exports.live_export(user, token=token)
    if export is None:
        abort(404, description=_("There is no such export of yours, or it has expired."))
    return exports.download_response(export, user)


@bp.route("/settings/delete", methods=["POST"])
@login_required
@login_limit
def delete_account():
    user = current_user._get_current_object()
    form = DeleteAccountForm()
    if not form.validate_on_submit():
        return settings_page(form)
    if not user.verify_password(form.password.data):
        form.password.errors.append(_("Invalid password."))
        return settings_page(form)
    if not form.matches(user.username):
        form.username.errors.append(
            _("Type your username, %(username)s, exactly as shown.", username=user.username))
        return settings_page(form)
    email = user.email  # read now: once committed, the row may be gone at any moment
    try:
        job = request_deletion(user)
    except LastAdministratorError as error:
        return settings_page(form, refusal=str(error))
    if job is None:  # a request a moment ago closed the account already
        logout_user()
    else:
        sign_out_everywhere()  # commits: the removal starts
    flash(_("Your account is being deleted. A confirmation will be sent to %(email)s once "
            "everything is gone.", email=email), "info")
    return redirect(url_for(".index"))
