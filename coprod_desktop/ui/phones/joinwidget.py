"""The join screen on the room's view: a large QR code, the short address, the room code."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ...domain.i18n import _, ngettext

if TYPE_CHECKING:
    from ...remote.join import JoinScreen  # segno: only when a join screen is shown


class QrCodeWidget(QWidget):
    """Draws the QR code's SVG as large as it fits, square, crisp at any size."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.renderer = QSvgRenderer(self)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setFixedSize(320, 320)
        self.retranslate()

    def retranslate(self) -> None:
        self.setAccessibleName(_("QR code of the join address"))

    def set_svg(self, svg: str) -> None:
        self.renderer.load(QByteArray(svg.encode("utf-8")))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        side = min(self.width(), self.height())
        target = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        painter.fillRect(target, Qt.GlobalColor.white)  # the quiet zone stays white in dark themes
        if self.renderer.isValid():
            self.renderer.render(painter, target)
        painter.end()


class JoinScreenWidget(QWidget):
    """What the room sees while phones join: scan this, or type that, then the code."""

    def __init__(self, parent: QWidget | None = None, *, scale: float = 1.0) -> None:
        super().__init__(parent)
        self.setObjectName("phoneJoinScreen")
        self.join: JoinScreen | None = None
        self.qr = QrCodeWidget()
        self.heading = QLabel()
        self.heading.setObjectName("joinHeading")
        self.heading.setWordWrap(True)
        self.steps = QLabel()
        self.steps.setObjectName("joinSteps")
        self.steps.setWordWrap(True)
        self.address = QLabel()
        self.address.setObjectName("joinAddress")
        self.code = QLabel()
        self.code.setObjectName("joinCode")
        self.count = QLabel()
        self.count.setObjectName("joinCount")
        for label in (self.heading, self.steps, self.address, self.code, self.count):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        words = QVBoxLayout()
        words.addStretch(1)
        for label in (self.heading, self.steps, self.address, self.code, self.count):
            words.addWidget(label)
        words.addStretch(1)
        self.row = QHBoxLayout(self)
        self.row.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignVCenter)
        self.row.addLayout(words, 1)
        self.scale = scale
        self.set_scale(scale)
        self.retranslate()

    def retranslate(self) -> None:
        """Say it all again in the language now in force (the app's language changed)."""
        self.setAccessibleName(_("Join with your phone"))
        self.qr.retranslate()
        self.heading.setText(_("Vote from your phone"))
        if self.join is not None:
            self.show_join(self.join)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        # The code as large as the height allows, leaving the words at least half the width.
        margin = round(48 * min(self.scale, 1.0))
        side = max(120, min(self.height() - margin, self.width() // 2 - margin))
        self.qr.setFixedSize(side, side)
        super().resizeEvent(event)

    def set_scale(self, scale: float) -> None:
        """Type sized for a 1080-line projector times `scale`."""

        def px(size: float) -> str:
            return f"{round(size * scale)}px"

        # Margins and gaps shrink with the type, so a small copy (the Phones panel's) keeps its words.
        self.scale = scale
        small = min(scale, 1.0)
        side, top = round(32 * small), round(24 * small)
        self.row.setContentsMargins(side, top, side, top)
        self.row.setSpacing(round(48 * small))

        self.setStyleSheet(
            f"#phoneJoinScreen {{ background: #ffffff; }}"
            f"#phoneJoinScreen QLabel {{ color: #000000; }}"
            f"#joinHeading {{ font-size: {px(64)}; font-weight: bold; }}"
            f"#joinSteps {{ font-size: {px(34)}; }}"
            f"#joinAddress {{ font-size: {px(52)}; font-weight: bold; }}"
            f"#joinCode {{ font-size: {px(52)}; font-weight: bold; }}"
            f"#joinCount {{ font-size: {px(40)}; }}"
        )

    def show_join(self, join: JoinScreen) -> None:
        self.join = join
        self.qr.set_svg(join.qr_svg())
        self.steps.setText(
            _(
                "Scan the code with your phone's camera. No camera? Type this address into your "
                "phone's browser, then the room code. Use the room's Wi-Fi."
            )
        )
        self.address.setText(join.typed_address)
        self.code.setText(_("Room code: {code}").format(code=join.room_code))
        self.set_joined(join.joined)

    def set_joined(self, joined: int) -> None:
        if self.join is not None:
            self.join = replace(self.join, joined=joined)
        self.count.setText(ngettext("{n} phone joined", "{n} phones joined", joined).format(n=joined))

    def texts(self) -> list[str]:
        return [w.text() for w in (self.heading, self.steps, self.address, self.code, self.count)]
