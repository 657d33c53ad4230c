"""The Italian catalogue reads as a public body publishes it: complete, no English left in it,
formal ("Lei" or impersonal) and gender-neutral, with standards named correctly.

Each check is a function over catalogue messages, run on the real catalogue and, in
test_each_check_catches_one_bad_entry, on a catalogue with one bad entry, so a check that
stopped catching anything would fail too. The style reference is the review of the Italian UI
(formal register; «Gentile …» in mails; neutral nouns such as «il coordinamento», «le persone
iscritte»; «Persone con più di 50 anni»; «UNI CEI EN 301549»).
"""

from __future__ import annotations

import re

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from portal.translations.fill_catalogs import is_translated
from tests.conftest import ROOT

IT_PO = ROOT / "portal" / "translations" / "it" / "LC_MESSAGES" / "messages.po"
HUB_PAGES = sorted((ROOT / "portal" / "hub" / "content").glob("*.md"))
HUB_PAGES_IT = [page for page in HUB_PAGES if page.name.endswith(".it.md")]

# Italian strings that may be the same as their English msgid. Each is a loanword that Italian
# public-administration writing uses as is (and the style review accepts): keep this list short.
SAME_AS_ENGLISH = {
    "E-mail",
    "Menu",
    "Newsletter",
    "Password",
    "No",  # the same word in both languages
    # Italian legal terms and programme names that the English interface keeps as they are:
    "Collocamento mirato",
    "GOL – Garanzia di occupabilità dei lavoratori",
}

# Common English words that are not Italian words: one of them in an msgstr is English left behind.
ENGLISH_WORDS = re.compile(r"\b(the|and|your|please|you|is|are|of|to|for|with|not|this)\b", re.IGNORECASE)

# Informal ("tu") or masculine-default Italian that the formal, neutral register replaces.
FORBIDDEN = {
    "masculine welcome": re.compile(r"\b(Bentornat|Benvenut)[oaie]\b", re.IGNORECASE),
    "gendered «Sei …to»": re.compile(
        r"\bSei (uscit|iscritt|registrat|collegat|disconness|stat)[oaie]\b", re.IGNORECASE
    ),
    "«Ciao» as a greeting": re.compile(r"^\s*Ciao\b"),
    "«Over 50»": re.compile(r"\bover\s*50\b", re.IGNORECASE),
    "«tu» possessive": re.compile(r"\b(il tuo|la tua|i tuoi|le tue|tuo|tua|tuoi|tue)\b", re.IGNORECASE),
    "«tu» verb": re.compile(r"\b(puoi|devi|vuoi|hai|riceverai|verrai|confermi)\b", re.IGNORECASE),
    "«ti» pronoun": re.compile(r"\bti (invieremo|abbiamo|aspettiamo|aiutiamo|sei)\b", re.IGNORECASE),
    "masculine role": re.compile(r"\b(coordinator[ei]|redattor[ei]|amministrator[ei])\b", re.IGNORECASE),
    "masculine plural of people": re.compile(
        r"\b(gli|agli|degli|dagli|tutti gli) iscritti\b|^Iscritti\b", re.IGNORECASE
    ),
}

STANDARD = "UNI CEI EN 301549"
# The standard's number with whatever organisation codes precede it ("UNI EN 301549", "EN 301 549").
STANDARD_MENTION = re.compile(r"(?:\b[A-Z]{2,4}\s+){0,4}301\s?549")


def _catalogue() -> Catalog:
    with IT_PO.open("rb") as handle:
        return read_po(handle, locale="it")


def _forms(value) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, tuple | list) else (value or "",)


def _label(message) -> str:
    msgid = _forms(message.id)[0]
    return f"[{message.context}] {msgid}" if message.context else msgid


def _prose(text: str) -> str:
    """The words of a string without placeholders, markup and addresses."""
    text = re.sub(r"%\(\w+\)\w|%\w", " ", text)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"https?://\S+|\S+@\S+", " ", text)


def untranslated(catalogue: Catalog) -> list[str]:
    """Empty, fuzzy or missing plural forms, and a fuzzy header (pybabel compile skips it)."""
    problems = ["catalogue header marked fuzzy"] if catalogue.fuzzy else []
    for message in catalogue:
        if not message.id:
            continue
        if not is_translated(message):
            problems.append(_label(message))
        elif isinstance(message.id, tuple | list) and len(_forms(message.string)) != catalogue.num_plurals:
            problems.append(f"{_label(message)}: {len(_forms(message.string))} plural forms")
    return problems


def english_left(catalogue: Catalog) -> list[str]:
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        ids = _forms(message.id)
        for index, form in enumerate(_forms(message.string)):
            english = ids[min(index, len(ids) - 1)]
            same = form == english and re.search(r"[A-Za-z]", _prose(english)) and form not in SAME_AS_ENGLISH
            words = ENGLISH_WORDS.findall(_prose(form))
            if same or words:
                problems.append(f"{_label(message)} -> {form!r}" + (f" (English: {words})" if words else ""))
    return problems


def forbidden_forms(texts: list[tuple[str, str]]) -> list[str]:
    """texts: (where, Italian text) pairs."""
    return [
        f"{where}: {name}: {text!r}"
        for where, text in texts
        for name, pattern in FORBIDDEN.items()
        if any(pattern.search(line) for line in text.splitlines() or [text])
    ]


def misnamed_standard(texts: list[tuple[str, str]]) -> list[str]:
    return [
        f"{where}: {found.group(0)!r} instead of {STANDARD!r}"
        for where, text in texts
        for found in STANDARD_MENTION.finditer(text)
        if found.group(0) != STANDARD
    ]


def _msgstrs(catalogue: Catalog) -> list[tuple[str, str]]:
    return [(_label(m), form) for m in catalogue if m.id for form in _forms(m.string)]


def _pages(pages) -> list[tuple[str, str]]:
    return [(page.name, page.read_text(encoding="utf-8")) for page in pages]


def test_every_italian_message_is_translated_and_not_fuzzy():
    assert untranslated(_catalogue()) == []


def test_no_english_is_left_in_the_italian_catalogue():
    assert english_left(_catalogue()) == []


def test_italian_is_formal_and_gender_neutral():
    assert forbidden_forms(_msgstrs(_catalogue())) == []
    assert forbidden_forms(_pages(HUB_PAGES_IT)) == []


def test_the_accessibility_standard_is_named_exactly():
    assert misnamed_standard(_msgstrs(_catalogue()) + _pages(HUB_PAGES)) == []
    # the accessibility statement is a template now (portal/accessibility): its text is in the catalogue
    assert any(STANDARD in text for _, text in _msgstrs(_catalogue())), "the accessibility statement names the standard"


def _one_entry(msgid, msgstr, fuzzy_header=False, **kwargs) -> Catalog:
    catalogue = Catalog(locale="it", fuzzy=fuzzy_header)
    catalogue.add("Save", "Salva")
    catalogue.add(msgid, msgstr, **kwargs)
    return catalogue


@pytest.mark.parametrize(
    ("check", "catalogue"),
    [
        (untranslated, _one_entry("Closed", "")),
        (untranslated, _one_entry("Closed", "Chiusa", flags=["fuzzy"])),
        (untranslated, _one_entry(("%(num)d result", "%(num)d results"), ("%(num)d risultato", ""))),
        (untranslated, _one_entry(("%(num)d result", "%(num)d results"), ("%(num)d risultati",))),
        (untranslated, _one_entry("Closed", "Chiusa", fuzzy_header=True)),
        (english_left, _one_entry("Home", "Home")),
        (english_left, _one_entry("Enter your name.", "Enter your name.")),
        (english_left, _one_entry("Please correct the highlighted fields.", "Please correggere i campi.")),
        (english_left, _one_entry("Scheduled", "Programmato for %(date)s")),
        (lambda c: forbidden_forms(_msgstrs(c)), _one_entry("Welcome back, %(name)s.", "Bentornato, %(name)s.")),
        (lambda c: forbidden_forms(_msgstrs(c)), _one_entry("You have logged out.", "Sei uscito dal portale.")),
        (lambda c: forbidden_forms(_msgstrs(c)), _one_entry("You are subscribed.", "Sei iscritta.")),
        (lambda c: forbidden_forms(_msgstrs(c)), _one_entry("Hello %(name)s,", "Ciao %(name)s,")),
        (lambda c: forbidden_forms(_msgstrs(c)), _one_entry("Welcome", "Benvenuti")),
        (lambda c: forbidden_forms(_msgstrs(c)), _one_entry("People over 50", "Over 50")),
        (lambda c: forbidden_forms(_msgstrs(c)), _one_entry("Your profile", "Il tuo profilo")),
        (lambda c: forbidden_forms(_msgstrs(c)), _one_entry("Forgot your password?", "Hai dimenticato la password?")),
        (lambda c: forbidden_forms(_msgstrs(c)), _one_entry("Coordinator", "Coordinatore")),
        (lambda c: forbidden_forms(_msgstrs(c)), _one_entry("Subscribers", "Iscritti")),
        (lambda c: misnamed_standard(_msgstrs(c)), _one_entry("UNI CEI EN 301549", "norma UNI EN 301549")),
        (lambda c: misnamed_standard(_msgstrs(c)), _one_entry("EN 301 549", "EN 301 549")),
    ],
)
def test_each_check_catches_one_bad_entry(check, catalogue):
    assert check(catalogue) != []


def test_the_checks_accept_good_italian():
    good = _one_entry("Welcome back, %(name)s.", "Accesso eseguito con il profilo di %(name)s.")
    good.add("E-mail", "E-mail")
    good.add("Accessibility", "La norma UNI CEI EN 301549 e le WCAG 2.1")
    assert untranslated(good) == english_left(good) == forbidden_forms(_msgstrs(good)) == []
    assert misnamed_standard(_msgstrs(good)) == []
