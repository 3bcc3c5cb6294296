"""The language of the app's screens: the system's at start, or the one chosen in Settings.

The screens' words come from our own catalogues (domain/i18n.py). Qt's own words (the
buttons of a message box, a file dialog's labels) come from Qt's translations where
PySide6 ships them (qtbase_<lang>.qm in QLibraryInfo's TranslationsPath: Arabic, for
example, but not Welsh or Urdu); for a language Qt does not ship, the standard buttons
are taken from our catalogue instead (StandardButtonsTranslator), so a Welsh dialog
never says "Cancel". A qtbase translation also carries Qt's layout direction, so an
Arabic app is mirrored by Qt itself.

The session's own workshop language (WorkshopInfo.language) is not this: it says what
language the handout is printed in, whatever the screens are in.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from ...domain.i18n import N_, _, available, normalise, set_language
from . import settings

# Qt's standard buttons (QPlatformTheme's words), for languages Qt ships no translation of.
QT_BUTTONS = {
    "OK": N_("OK"),
    "&OK": N_("&OK"),
    "Save": N_("Save"),
    "&Save": N_("&Save"),
    "Save All": N_("Save All"),
    "Open": N_("Open"),
    "&Yes": N_("&Yes"),
    "Yes to &All": N_("Yes to &All"),
    "&No": N_("&No"),
    "N&o to All": N_("N&o to All"),
    "Abort": N_("Abort"),
    "Retry": N_("Retry"),
    "Ignore": N_("Ignore"),
    "Close": N_("Close"),
    "&Close": N_("&Close"),
    "Cancel": N_("Cancel"),
    "&Cancel": N_("&Cancel"),
    "Discard": N_("Discard"),
    "Don't Save": N_("Don't Save"),
    "Close without Saving": N_("Close without Saving"),
    "Help": N_("Help"),
    "Apply": N_("Apply"),
    "Reset": N_("Reset"),
    "Restore Defaults": N_("Restore Defaults"),
}


class StandardButtonsTranslator(QTranslator):
    """Qt's standard button texts from our own catalogue (only those; anything else is Qt's)."""

    def translate(  # Qt override
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        """Our word for a standard button; None (a null string: "not mine") for anything else.
        An empty string would not do: Qt would take it as the translation."""
        wanted = QT_BUTTONS.get(source)
        if wanted is None:
            return None
        found = _(wanted)
        return found if found != wanted else None

    def isEmpty(self) -> bool:  # noqa: N802 - Qt override
        return False


_installed: list[QTranslator] = []


def system_language() -> str:
    """The language the system asks for (LANG, or the platform's own setting through QLocale)."""
    for name in QLocale.system().uiLanguages():
        tag = normalise(name)
        if tag.split("-")[0] in available():
            return tag
    return normalise(QLocale.system().name())


def chosen_language() -> str:
    """The language chosen in Settings, else the system's."""
    return settings.app_language() or system_language()


def qt_ships(tag: str) -> bool:
    """Whether PySide6 ships Qt's own translation of `tag`."""
    return QTranslator().load(f"qtbase_{_qt_name(tag)}", _qt_folder())


def _qt_folder() -> str:
    return QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)


def _qt_name(tag: str) -> str:
    return normalise(tag).replace("-", "_").split("_")[0]


def remove_translators() -> None:
    """Take Qt's translations out again (the tests, which run in English, do this after each)."""
    app = QCoreApplication.instance()
    for old in _installed:
        if app is not None:
            app.removeTranslator(old)
    _installed.clear()


def apply_language(tag: str) -> str:
    """Make `tag` the language of the screens (ours and Qt's); returns the tag in force.

    Widgets made from here on speak it; the main window's retranslate() redoes those on show."""
    tag = normalise(tag)
    base = tag.split("-")[0]
    if base not in available():
        tag = base = "en"
    set_language(tag)
    remove_translators()
    app = QCoreApplication.instance()
    if app is None:
        return tag  # no screens yet: the words are set, Qt's come with the application
    if base != "en":
        qt = QTranslator(app)
        if qt.load(f"qtbase_{_qt_name(tag)}", _qt_folder()):
            _installed.append(qt)
        else:
            _installed.append(StandardButtonsTranslator(app))
    for translator in _installed:
        app.installTranslator(translator)
    QLocale.setDefault(QLocale(tag.replace("-", "_")))
    from .application import apply_layout_direction

    apply_layout_direction(tag)  # mirrored for a language written right to left
    return tag
