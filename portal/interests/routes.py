"""The "Show interest" pages: the form, and the page that says who received the message."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_login import current_user

from portal.interests import bp, services
from portal.interests.forms import InterestForm
from portal.templating import current_locale
from portal.throttle import mail_form_limit
from portal.timezone import rome_today


@bp.route("/directory/<kind_path>/<slug>/interest", methods=["GET", "POST"])
@mail_form_limit
def show_interest(kind_path: str, slug: str):
    today = rome_today()
    entry = services.entry_for_interest(kind_path, slug, today)
    form = InterestForm()
    if request.method == "GET" and current_user.is_authenticated:  # signed in: name and address already known
        form.name.data, form.email.data = current_user.name, current_user.email
    if form.validate_on_submit():
        recipients = services.show_interest(
            entry,
            name=form.name.data,
            email=form.email.data,
            phone=form.phone.data or "",
            message=form.message.data,
            locale=current_locale(),
            today=today,
        )
        return render_template(
            "interests/sent.html",
            entry=entry,
            who=recipients.who,
            days=current_app.config["INTEREST_RETENTION_DAYS"],
        )
    return render_template(
        "interests/form.html",
        entry=entry,
        form=form,
        contact=services.contact_of(entry, today),
        days=current_app.config["INTEREST_RETENTION_DAYS"],
    )
