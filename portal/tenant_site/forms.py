"""Forms coordinators use to edit their space."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from portal.auth.forms import language_choices
from portal.directory import english_versions
from portal.directory.english_versions import EnglishLength
from portal.forms import Form, SelectField, VersionedForm, id_field
from portal.models import Role


class MarkdownEditForm(VersionedForm):
    """Shared by pages and news: title, Markdown body, preview or save."""

    title = StringField(_l("Title"), validators=[DataRequired(message=_l("Enter a title.")), Length(max=200)])
    body = TextAreaField(_l("Text"), validators=[DataRequired(message=_l("Write the text.")), Length(max=100_000)])
    preview = SubmitField(_l("Preview"))
    submit = SubmitField(_l("Save"))


class PageForm(MarkdownEditForm):
    in_menu = BooleanField(_l("Show in the space's menu"), default=True)


class EnglishPageForm(PageForm):
    """A page's English version: the same limits, said as an English version's (issue 15, point 5)."""

    title = StringField(_l("Title"), validators=[DataRequired(message=_l("Enter a title.")), EnglishLength(200)])
    body = TextAreaField(_l("Text"), validators=[DataRequired(message=_l("Write the text.")), EnglishLength(100_000)])


class NewsForm(MarkdownEditForm):
    summary = StringField(_l("Summary"), validators=[Optional(), Length(max=400)],
                          description=_l("One or two sentences shown in the list of news and in the newsletter."))  # fmt: skip
    locale = SelectField(_l("Language of the text"), choices=language_choices())
    publish = BooleanField(_l("Published (visible to everyone)"))
    # --- English version (issue 15, point 5): optional; empty title and text: no English version
    title_en = StringField(_l("Title in English"), validators=[Optional(), EnglishLength(200)],
                           description=english_versions.HELP)  # fmt: skip
    summary_en = StringField(_l("Summary in English"), validators=[Optional(), EnglishLength(400)])
    body_en = TextAreaField(_l("Text in English"), validators=[Optional(), EnglishLength(100_000)])
    ENGLISH = ("title_en", "summary_en", "body_en")
    ENGLISH_LEGEND = english_versions.LEGEND

    def validate_body_en(self, field) -> None:
        """An English version needs both a title and a text (or neither)."""
        if bool((field.data or "").strip()) != bool((self.title_en.data or "").strip()):
            raise ValidationError(_l("Give the English version both a title and a text, or leave both empty."))

    def english_data(self) -> dict[str, str]:
        return {name: (getattr(self, name).data or "").strip() for name in self.ENGLISH}


class MemberForm(Form):
    email = EmailField(
        _l("E-mail address of the account"),
        validators=[
            DataRequired(message=_l("Enter your e-mail address.")),
            Email(message=_l("Enter a valid e-mail address, like name@example.it."), check_deliverability=False),
        ],
    )
    role = SelectField(
        _l("Role"), choices=[(Role.MEMBER.value, _l("Member")), (Role.COORDINATOR.value, _l("Coordinator"))]
    )
    submit = SubmitField(_l("Add or change"))


class RemoveMemberForm(Form):
    membership_id = id_field()
    submit = SubmitField(_l("Remove"))


class DeleteForm(Form):
    submit = SubmitField(_l("Delete"))
