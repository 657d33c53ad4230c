"""The placements form: counts and dates only (no field for a name or anything personal)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, RadioField, SubmitField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from portal.directory.forms import DATE_FORMATS, TrimmedDateField, plausible_year
from portal.forms import Form, SelectField
from portal.kpi.outcomes import MAX_PLACEMENTS, OUTCOME_LABELS, OutcomeData
from portal.models.kpi import Outcome
from portal.routing import MAX_ID


def _outcome_choices() -> list[tuple[str, str]]:
    return [(outcome.value, str(label)) for outcome, label in OUTCOME_LABELS.items()]


class OutcomeForm(Form):
    outcome_id = HiddenField()
    # A key per form shown: the same form sent twice (a double click, the browser's "resend")
    # records its placements once (portal/kpi/outcome_views.py).
    submission = HiddenField()
    tenant_id = SelectField(_l("Project the placements are counted for"), coerce=int,
                            validators=[InputRequired(message=_l("Choose the project."))])  # fmt: skip
    placements = IntegerField(
        _l("Number of placements"),
        validators=[
            InputRequired(message=_l("Enter how many placements.")),
            NumberRange(
                min=1,
                max=MAX_PLACEMENTS,
                message=_l("Enter a number from %(min)d to %(max)d.", min=1, max=MAX_PLACEMENTS),
            ),
        ],  # fmt: skip
        description=_l("How many people started on the same day with the same outcome: a number, never a name."),
    )
    started_on = TrimmedDateField(
        _l("Started on"),
        format=DATE_FORMATS,
        validators=[InputRequired(message=_l("Enter the day the placements started.")), plausible_year],
    )
    outcome = RadioField(
        _l("Outcome"),
        choices=_outcome_choices,
        default=Outcome.IN_PROGRESS.value,
        validators=[InputRequired(message=_l("Choose the outcome."))],
    )
    ended_on = TrimmedDateField(_l("Ended on"), format=DATE_FORMATS, validators=[Optional(), plausible_year],
                                description=_l("Leave empty while the placements are in progress."))  # fmt: skip
    submit = SubmitField(_l("Save"))

    def editing_id(self) -> int | None:
        value = str(self.outcome_id.data or "")
        return int(value) if value.isdigit() and 0 < int(value) <= MAX_ID else None

    def to_data(self) -> OutcomeData:
        return OutcomeData(
            tenant_id=self.tenant_id.data,
            placements=self.placements.data,
            started_on=self.started_on.data,
            ended_on=self.ended_on.data,
            outcome=Outcome(self.outcome.data),
        )


class RemoveOutcomeForm(Form):
    outcome_id = HiddenField(validators=[DataRequired()])

    def target_id(self) -> int | None:
        value = str(self.outcome_id.data or "")
        return int(value) if value.isdigit() and 0 < int(value) <= MAX_ID else None
