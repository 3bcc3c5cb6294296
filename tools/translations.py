#!/usr/bin/env python3
"""Extract, update and compile the app's translations (Babel, a development tool).

    python3 dev.py translations           extract strings, update every .po, compile every .mo
    python3 dev.py translations --check   fail when a .po or .mo is behind the source

Strings are extracted from the trees that use the translation layer
(coprod_desktop/domain/i18n.py) into resources/locale/coprod.pot; each language's
resources/locale/<lang>/LC_MESSAGES/coprod.po is updated from it (new strings come
in empty, strings gone from the source are dropped) and compiled to coprod.mo beside
it. The .mo files are committed, so a fresh clone, the wheel and the tests have them.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "resources" / "locale"
SOURCES = ("coprod_desktop/domain", "coprod_desktop/report")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}


def extract() -> Catalog:
    template = Catalog(project="coprod-desktop", copyright_holder="The coprod-desktop team", fuzzy=False)
    for source in SOURCES:
        for filename, lineno, message, comments, context in extract_from_dir(
            ROOT / source,
            method_map=[("**.py", "python")],
            keywords=KEYWORDS,
            comment_tags=("Translators:",),
            strip_comment_tags=True,
        ):
            template.add(
                message, None, [(f"{source}/{filename}", lineno)], auto_comments=comments, context=context
            )
    return template


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; fail when anything is behind")
    args = parser.parse_args(argv)
    template = extract()
    behind: list[str] = []
    pot = LOCALE / "coprod.pot"
    LOCALE.mkdir(parents=True, exist_ok=True)
    if not args.check:
        pot.write_bytes(po_bytes(template))
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/coprod.po")):
        with po_path.open("rb") as stream:
            catalog = read_po(stream, locale=po_path.parent.parent.name)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        new_po = po_bytes(catalog)
        new_mo = mo_bytes(catalog)
        mo_path = po_path.with_suffix(".mo")
        missing = [m.id for m in catalog if m.id and not m.string]
        if args.check:
            with mo_path.open("rb") if mo_path.is_file() else io.BytesIO() as stream:
                compiled = read_mo(stream) if mo_path.is_file() else Catalog()
            if messages(compiled) != messages(catalog) or missing:
                behind.append(f"{mo_path.relative_to(ROOT)} is not compiled from the current .po and source")
        else:
            po_path.write_bytes(new_po)
            mo_path.write_bytes(new_mo)
        lang = po_path.parent.parent.name
        print(f"{lang}: {len(template)} strings, {len(missing)} untranslated")
    for line in behind:
        print(line, file=sys.stderr)
    if behind:
        print("Run: python3 dev.py translations", file=sys.stderr)
    return 1 if behind else 0


if __name__ == "__main__":
    sys.exit(main())
