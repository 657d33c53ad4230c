"""Privacy forms: ask for the data held for an address, erase it, delete an account."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from portal.forms import Form


class AddressRequestForm(Form):
    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(message=_l("Enter your e-mail address.")),
            Length(max=254),
            Email(message=_l("Enter a valid e-mail address, like name@example.it."), check_deliverability=False),
        ],
        render_kw={"autocomplete": "email", "inputmode": "email"},
    )
    submit = SubmitField(_l("Send me the link"))


class EraseAddressForm(Form):
    submit = SubmitField(_l("Erase all of it"))


class ExportForm(Form):
    submit = SubmitField(_l("Download my data (JSON)"))


class DeleteAccountForm(Form):
    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(message=_l("Enter your password to confirm."))],
        render_kw={"autocomplete": "current-password"},
    )
    understood = BooleanField(
        _l("I understand that my account is deleted for good"),
        validators=[DataRequired(message=_l("Tick the box to confirm that you want to delete your account."))],
    )
    submit = SubmitField(_l("Delete my account"))
