"""Adds Phones to the main window: one call from MainWindow, nothing else there to know."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from .feature import PhonesFeature

if TYPE_CHECKING:
    from ..shell.mainwindow import MainWindow
    from .controller import PhonesController


def install_phones(window: MainWindow) -> PhonesFeature:
    def make_controller(parent: QObject) -> PhonesController | None:
        document = window.document
        if document is None or document.read_only:
            return None  # a read-only session cannot take votes
        from .controller import PhonesController
        from .session import SessionPhones

        phones = SessionPhones(document)
        controller = PhonesController(phones.record, phones.view, parent)
        phones.attach(controller)
        controller.room = phones
        return controller

    def audience() -> QWidget | None:
        presenter = window.presenter
        return getattr(presenter, "window", None) if presenter is not None else None

    def can_serve() -> bool:  # what make_controller will say, without importing the phone server
        document = window.document
        return document is not None and not document.read_only

    feature = PhonesFeature(window, make_controller, audience, can_serve)
    window.document_opened.connect(feature.session_opened)
    window.document_closed.connect(feature.session_closed)
    return feature
