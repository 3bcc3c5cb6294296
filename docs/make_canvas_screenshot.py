"""Screenshots of the power-sharing canvas, for looking at it as the room will.

Run: .venv/bin/python docs/make_canvas_screenshot.py [OUT_DIR]

Renders the sample workshop's canvas offscreen into OUT_DIR (default shots/, not
committed): the facilitator's canvas and the projector's view at 1920x1080 with both
layers and their arrows, on each background; the "aspiration", "moves only" and focused
views; the laptop at 1366x768; and the PNG and SVG exports. Uses throwaway settings and a
fresh sample session, so a real user's files are never touched.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent.parent / "shots")
    out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="coprod-canvas-shots-"))
    os.environ["XDG_CONFIG_HOME"] = str(scratch / "config")
    os.environ["XDG_DATA_HOME"] = str(scratch / "data")
    os.environ["HOME"] = str(scratch / "home")

    from PySide6.QtCore import QStandardPaths
    from PySide6.QtWidgets import QWidget

    QStandardPaths.setTestModeEnabled(True)
    from coprod_desktop.domain.model import CanvasBackground, replace
    from coprod_desktop.domain.sample import build_sample
    from coprod_desktop.storage.templates import load_builtin_template
    from coprod_desktop.ui.document import SessionDocument
    from coprod_desktop.ui.shell.application import make_application
    from coprod_desktop.ui.steps.canvas import CanvasWidget, LayerChoice, export_png, export_svg

    app = make_application()
    document = SessionDocument.create(
        scratch / "Sample workshop.coprod", build_sample(load_builtin_template())
    )
    console = CanvasWidget(document)
    audience = CanvasWidget(document, audience=True)

    def shoot(widget: QWidget, name: str, size: tuple[int, int] = (1920, 1080)) -> None:
        widget.resize(*size)
        widget.show()
        for _ in range(3):
            app.processEvents()
        path = out / f"{name}-{size[0]}x{size[1]}.png"
        widget.grab().save(str(path))
        print(path)

    for background in CanvasBackground:
        document.put(replace(document.session.canvas, background=background), "Background")
        console.set_layer(LayerChoice.BOTH)
        shoot(console, f"canvas-console-{background.value}")
        shoot(audience, f"canvas-audience-{background.value}")
    document.put(replace(document.session.canvas, background=CanvasBackground.PLAN_DELIVER), "Background")

    console.set_layer(LayerChoice.ASPIRATION)
    console.scene_.select_cards(["c09"])  # the GP practice, not placed on "aspiration" yet
    shoot(console, "canvas-console-aspiration")
    console.scene_.clearSelection()
    console.set_layer(LayerChoice.MOVES)
    shoot(console, "canvas-console-moves")
    shoot(audience, "canvas-audience-moves")
    console.set_layer(LayerChoice.BOTH)
    console.focus_card("c00")
    shoot(audience, "canvas-audience-focus")
    console.focus_card(None)
    console.scene_.select_cards(["c00"])
    shoot(console, "canvas-console-plan_deliver", (1366, 768))
    console.scene_.clearSelection()

    print(export_png(console, out / "canvas-export.png"))
    print(export_svg(console, out / "canvas-export.svg"))
    console.close()
    audience.close()
    document.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
