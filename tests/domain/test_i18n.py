"""The translation layer: catalogues, plural forms, dates, numbers and lists, per context."""

from __future__ import annotations

import datetime
import subprocess
import sys
import threading
from pathlib import Path

from coprod_desktop.domain.i18n import (
    _,
    available,
    current,
    join,
    long_date,
    name_of,
    ngettext,
    normalise,
    number,
    using,
)

REPO = Path(__file__).resolve().parents[2]


def test_english_is_the_source_and_welsh_has_a_catalogue() -> None:
    assert available()[0] == "en"
    assert "cy" in available()
    with using("en-GB"):
        assert _("Workshop summary") == "Workshop summary"
    with using("cy"):
        assert _("Workshop summary") == "Crynodeb o'r gweithdy"
    with using("cy_GB.UTF-8"):
        assert _("Agenda") == "Agenda"
        assert _("Who took part") == "Pwy gymerodd ran"
    assert name_of("cy") == "Cymraeg"


def test_welsh_has_its_own_plural_forms() -> None:
    singular, plural = "{n} person took part.", "{n} people took part."
    with using("cy"):
        forms = {n: ngettext(singular, plural, n).format(n=n) for n in (0, 1, 2, 3, 6, 7)}
    assert forms[1] == "Cymerodd 1 person ran."
    assert forms[2] == "Cymerodd 2 o bobl ran."
    with using("en"):
        assert ngettext(singular, plural, 1).format(n=1) == "1 person took part."
        assert ngettext(singular, plural, 0).format(n=0) == "0 people took part."


def test_dates_numbers_and_lists_follow_the_language() -> None:
    day = datetime.date(2026, 11, 19)
    assert long_date(day) == "19 November 2026"
    assert number(1.349) == "1.3"
    assert join(["a", "b", "c"]) == "a, b and c"
    with using("cy"):
        assert long_date(day) == "19 Tachwedd 2026"
        assert long_date(datetime.date(2026, 5, 1)) == "1 Mai 2026"
        assert join(["te", "coffi"]) == "te a coffi"


def test_the_language_belongs_to_its_own_thread_and_block() -> None:
    normalise("en_GB")  # warm
    seen: list[str] = []
    with using("cy"):

        def other() -> None:
            seen.append(_("Workshop summary"))

        worker = threading.Thread(target=other)
        worker.start()
        worker.join()
        assert current() == "cy"
    assert seen == ["Workshop summary"]
    assert current() == "en-GB"
    assert normalise("C") == "en-GB"


def test_the_compiled_catalogues_match_their_sources() -> None:
    # The .mo files are committed; they must be what `python3 dev.py translations` makes.
    done = subprocess.run(
        [sys.executable, str(REPO / "tools" / "translations.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "0 untranslated" in done.stdout, done.stdout


def test_every_language_has_one_catalogue_per_area_and_they_are_chained() -> None:
    from coprod_desktop.domain.i18n import AREAS, translations

    for lang in available()[1:]:
        folder = REPO / "resources" / "locale" / lang / "LC_MESSAGES"
        assert sorted(path.stem for path in folder.glob("*.po")) == sorted(AREAS), lang
        assert sorted(path.stem for path in folder.glob("*.mo")) == sorted(AREAS), lang
        # The first catalogue hands what it does not know to the next, area by area.
        chain = 0
        found = translations(lang)
        while found is not None:
            chain += 1
            found = found._fallback  # noqa: SLF001 - gettext keeps the chain there
        assert chain == len(AREAS), lang


def test_each_language_is_translated_in_its_own_script() -> None:
    """No Welsh catalogue holds Arabic, and no Arabic one holds a Welsh sentence: once, the
    catalogue tool shared one language's new translations with the next language's catalogue,
    and Welsh screens showed Arabic headings ("What it is" as "ما هو")."""
    import re

    from babel.messages.pofile import read_po

    arabic = re.compile(r"[\u0600-\u06ff]")
    for lang in available()[1:]:
        for path in sorted((REPO / "resources" / "locale" / lang / "LC_MESSAGES").glob("*.po")):
            with path.open("rb") as stream:
                catalog = read_po(stream, locale=lang)
            wrong = []
            for message in catalog:
                if not message.id:
                    continue
                said = message.string if isinstance(message.string, tuple | list) else (message.string,)
                for text in said:
                    if lang == "ar":
                        # Arabic words, unless it is all placeholders, marks and figures
                        letters = re.sub(r"\{[^}]*\}|<[^>]*>|&\w+;", "", text or "")
                        if re.search(r"[A-Za-z]{3}", letters) and not arabic.search(letters):
                            wrong.append((message.id, text))
                    elif arabic.search(text or ""):
                        wrong.append((message.id, text))
            assert not wrong, f"{path.relative_to(REPO)}: {wrong[:5]}"
