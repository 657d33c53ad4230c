"""Form pieces shared by features."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField


class VersionedForm(FlaskForm):
    """Carries the row's version so a stale save is detected, not silently applied."""

    version = HiddenField()

    def expected_version(self) -> int | None:
        value = str(self.version.data or "")
        return int(value) if value.isdigit() else None
