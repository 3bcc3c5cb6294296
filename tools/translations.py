#!/usr/bin/env python3
"""Extract, update and compile the app's translations (Babel, a development tool).

    python3 dev.py translations           extract strings, update every .po, compile every .mo
    python3 dev.py translations --check   fail when a .po or .mo is behind the source

Strings are extracted from the package (coprod_desktop/domain/i18n.py is the layer)
into one template per area, resources/locale/<area>.pot (AREAS below: which source
files feed which catalogue); each language's resources/locale/<lang>/LC_MESSAGES/<area>.po
is updated from it (new strings come in empty, strings gone from the source are
dropped; a string already translated in another of the language's catalogues comes
in with that translation, to be checked) and compiled to <area>.mo beside it. The .mo
files are committed, so a fresh clone, the wheel and the tests have them.
"""

from __future__ import annotations

import argparse
import copy
import datetime
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "resources" / "locale"
PACKAGE = "coprod_desktop"
# Which catalogue a source file's strings go to: the first prefix that matches.
AREAS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "followups",
        (
            "domain/compare.py",
            "domain/combine.py",
            "domain/followup.py",
            "report/sections/changes.py",
            "report/sections/combined.py",
            "ui/steps/compare/",
            "ui/steps/review/",
        ),
    ),
    ("phone", ("remote/", "ui/phones/")),
    ("ui", ("ui/",)),
    ("coprod", ("",)),
)
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}


def area_of(filename: str) -> str:
    """The catalogue of a file, by its path inside the package ("ui/shell/mainwindow.py")."""
    for area, prefixes in AREAS:
        if any(filename.startswith(prefix) for prefix in prefixes):
            return area
    raise AssertionError(filename)


# A fixed creation date: a date that changed on every run would make each engineer's
# catalogues differ in their headers alone (and collide when merged); git has the history.
CREATED = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)


def catalogue(locale: str | None = None) -> Catalog:
    return Catalog(
        locale=locale,
        project="coprod-desktop",
        copyright_holder="The coprod-desktop team",
        fuzzy=False,
        creation_date=CREATED,
    )


def extract() -> dict[str, Catalog]:
    """One template catalogue per area."""
    templates = {area: catalogue() for area, _prefixes in AREAS}
    for filename, lineno, message, comments, context in extract_from_dir(
        ROOT / PACKAGE,
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=("Translators:",),
        strip_comment_tags=True,
    ):
        filename = filename.replace("\\", "/")
        templates[area_of(filename)].add(
            message, None, [(f"{PACKAGE}/{filename}", lineno)], auto_comments=comments, context=context
        )
    return templates


def po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, omit_header=False, sort_output=True, no_location=True)
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def messages(catalog: Catalog) -> dict[tuple[object, object], object]:
    """What a catalogue says, without its header's dates."""

    def flat(value: object) -> object:
        return tuple(value) if isinstance(value, list | tuple) else value

    return {(flat(m.id), m.context): flat(m.string) for m in catalog if m.id}


def known(folder: Path) -> dict[tuple[object, object], object]:
    """Every translation a language already has, in any of its catalogues."""
    found: dict[tuple[object, object], object] = {}
    for po_path in sorted(folder.glob("*.po")):
        with po_path.open("rb") as stream:
            for message in read_po(stream, locale=folder.parent.name):
                if message.id and message.string and (message.id, message.context) not in found:
                    found[(message.id, message.context)] = message.string
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; fail when anything is behind")
    args = parser.parse_args(argv)
    templates = extract()
    behind: list[str] = []
    LOCALE.mkdir(parents=True, exist_ok=True)
    languages = sorted(path for path in LOCALE.glob("*/LC_MESSAGES") if path.is_dir())
    for area, template in templates.items():
        pot = LOCALE / f"{area}.pot"
        if args.check:
            if not pot.is_file() or set(messages(read_pot(pot))) != set(messages(template)):
                behind.append(f"{pot.relative_to(ROOT)} is not extracted from the current source")
        else:
            pot.write_bytes(po_bytes(template))
    for folder in languages:
        lang = folder.parent.name
        translated = known(folder)
        for area, template in templates.items():
            po_path = folder / f"{area}.po"
            total, missing = check_or_write(po_path, template, translated, args.check, behind)
            print(f"{lang} {area}: {total} strings, {missing} untranslated")
    for line in behind:
        print(line, file=sys.stderr)
    if behind:
        print("Run: python3 dev.py translations", file=sys.stderr)
    return 1 if behind else 0


def read_pot(path: Path) -> Catalog:
    with path.open("rb") as stream:
        return read_po(stream)


def check_or_write(
    po_path: Path,
    template: Catalog,
    translated: dict[tuple[object, object], object],
    check: bool,
    behind: list[str],
) -> tuple[int, int]:
    """Update one language's catalogue of one area from its template; (strings, untranslated)."""
    lang = po_path.parent.parent.name
    if po_path.is_file():
        with po_path.open("rb") as stream:
            catalog = read_po(stream, locale=lang)
    else:
        catalog = catalogue(lang)
    # A copy: Catalog.update puts the template's own message objects into the catalogue for
    # strings new to it, so a translation filled in below for one language was shared by the
    # next language's catalogue (Welsh screens showed Arabic headings).
    catalog.update(copy.deepcopy(template), no_fuzzy_matching=True)
    catalog.obsolete.clear()
    catalog.fuzzy = False  # the header is ours, not a guess to be checked
    for message in catalog:
        if message.id and not message.string and (message.id, message.context) in translated:
            message.string = translated[(message.id, message.context)]
    mo_path = po_path.with_suffix(".mo")
    missing = [m.id for m in catalog if m.id and not m.string]
    if check:
        compiled = Catalog()
        if mo_path.is_file():
            with mo_path.open("rb") as stream:
                compiled = read_mo(stream)
        if messages(compiled) != messages(catalog) or missing:
            behind.append(f"{mo_path.relative_to(ROOT)} is not compiled from the current .po and source")
    else:
        po_path.write_bytes(po_bytes(catalog))
        mo_path.write_bytes(mo_bytes(catalog))
    return len(template), len(missing)


if __name__ == "__main__":
    sys.exit(main())
