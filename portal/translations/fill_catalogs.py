"""Maintenance helper: merge translations into the catalogs.

    python portal/translations/fill_catalogs.py it NEW_TRANSLATIONS.py

NEW_TRANSLATIONS.py defines a dict `IT` (msgid -> Italian). The English catalog is
filled with the msgid itself (our msgids are English), so every message has both.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).parent


def is_translated(message) -> bool:
    """Every form (singular and plurals) has a translation and it is not fuzzy."""
    forms = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return bool(forms) and all(forms) and not message.fuzzy


def _identity(message):
    """English catalog: our msgids are English (a plural keeps both forms)."""
    return message.id


def _from_table(table: dict):
    """Italian catalog: look a message up by (context, msgid) when it has a context (pgettext),
    else by its (singular) msgid; a plural message takes a tuple of forms."""

    def translate(message):
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        if message.context:
            return table.get((message.context, msgid))
        return table.get(msgid)

    return translate


def _update(locale: str, translate) -> list[str]:
    path = HERE / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    missing = []
    for message in catalog:
        if not message.id:
            continue
        if not is_translated(message):
            found = translate(message)
            if found:
                message.string = found
                message.flags.discard("fuzzy")
        if not is_translated(message):
            missing.append(message.id)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=True)
    return missing


def main(argv: list[str]) -> int:
    table = runpy.run_path(argv[2])["IT"] if len(argv) > 2 else {}
    missing_it = _update("it", _from_table(table))
    _update("en", _identity)
    for msgid in missing_it:
        print(f"missing Italian: {msgid!r}")
    return 1 if missing_it else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
