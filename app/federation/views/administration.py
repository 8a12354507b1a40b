"""The administrators' list of blocked servers."""

from flask import flash, redirect, render_template, url_for
from flask_babel import _, ngettext
from flask_login import current_user
from sqlalchemy import func, select

from app import audit
from app.decorators import admin_required
from app.extensions import db
from app.federation import bp
from app.federation.addresses import site_host
from app.federation.domain_blocks import block_domain, unblock_domain
from app.federation.forms import DomainBlockForm
from app.forms import EmptyForm
from app.models import Delivery, DomainBlock, RemoteActor

KNOWN_SERVERS_SHOWN = 50


def _page(form: DomainBlockForm):
    blocks = db.session.scalars(select(DomainBlock).order_by(DomainBlock.domain)).all()
    servers = db.session.execute(
        select(RemoteActor.domain, func.count(RemoteActor.id).label("accounts"))
        .group_by(RemoteActor.domain).order_by(func.count(RemoteActor.id).desc())
        .limit(KNOWN_SERVERS_SHOWN)).all()
    deliveries = dict(db.session.execute(
        select(Delivery.state, func.count(Delivery.id)).group_by(Delivery.state)).all())
    return render_template("federation/admin_domains.html", form=form, blocks=blocks,
                           servers=servers, deliveries=deliveries, empty_form=EmptyForm(),
                           title=_("Federation"))


@bp.route("/federation/admin/domains", methods=["GET", "POST"])
@admin_required
def admin_domains():
    form = DomainBlockForm()
    if form.validate_on_submit():
        domain = form.domain.data.strip().lower()
        if domain == site_host().split(":")[0]:
            form.domain.errors.append(_("This is the site's own host name."))
        else:
            removed = block_domain(domain, form.reason.data or "")
            audit.record(current_user, audit.BLOCK_DOMAIN, target=f"domain:{domain}",
                         details=form.reason.data or "")
            db.session.commit()
            flash(ngettext("%(domain)s is blocked; %(num)d of its accounts was removed.",
                           "%(domain)s is blocked; %(num)d of its accounts were removed.",
                           removed, domain=domain), "success")
            return redirect(url_for(".admin_domains"))
    return _page(form)


@bp.route("/federation/admin/domains/<domain>/unblock", methods=["POST"])
@admin_required
def admin_unblock_domain(domain: str):
    if EmptyForm().validate_on_submit():
        if unblock_domain(domain):
            audit.record(current_user, audit.UNBLOCK_DOMAIN,
                         target=f"domain:{domain.strip().lower()}")
            db.session.commit()
            flash(_("%(domain)s is no longer blocked.", domain=domain), "success")
        else:
            flash(_("%(domain)s was not blocked.", domain=domain), "info")
    return redirect(url_for(".admin_domains"))
