"""Contacts written in free text (an entry's description, "how to apply") become links:
e-mail addresses `mailto:`, Italian phone numbers `tel:`. The text is escaped first."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from portal.interests import bp
from portal.interests.services import tel_href

EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
# +39 or a leading 0 (landlines) or 3 (mobiles), then digits in groups; dates (12/05/2027),
# hours (9:00-13:00) and postcodes (14100) do not match.
PHONE = r"(?:\+39[ .]?)?(?<![\w+])[03]\d{1,4}(?:[ .-]?\d{2,5}){1,3}(?![\w/])"
CONTACT = re.compile(rf"(?P<email>{EMAIL})|(?P<phone>{PHONE})")


def _link(match: re.Match[str]) -> str:
    text = match.group(0)
    if match.group("email"):
        return f'<a href="mailto:{text}">{text}</a>'
    digits = re.sub(r"\D", "", text)
    if not 6 <= len(digits.removeprefix("39") if text.startswith("+") else digits) <= 11:
        return text
    return f'<a href="{tel_href(text)}">{text}</a>'


@bp.app_template_filter("contact_links")
def contact_links(text: str | None) -> Markup:
    """`text` escaped, with its e-mail addresses and phone numbers as links."""
    return Markup(CONTACT.sub(_link, str(escape(text or ""))))
