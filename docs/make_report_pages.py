"""Make the sample workshop's PDFs and render their pages as pictures, to look at them.

    .venv/bin/python docs/make_report_pages.py            # into shots/ (not kept in git)
    .venv/bin/python docs/make_report_pages.py --dpi 100 --out /tmp/pages

Writes the participants' handout (A4), the large print handout, the facilitator
report (Letter) and an anonymous handout, then renders every page with
`pdftoppm -png -r DPI` (Debian package poppler-utils) as handout-01.png and so
on. Look at each page as a participant would: in colour, and imagining it
printed in greyscale.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "shots", help="folder for the PDFs and pictures")
    parser.add_argument("--dpi", type=int, default=60, help="resolution of the pictures (default 60)")
    options = parser.parse_args(argv)

    from coprod_desktop.domain.sample import build_sample
    from coprod_desktop.report.pdf import ReportOptions, build_pdf
    from coprod_desktop.storage.templates import load_builtin_template

    options.out.mkdir(parents=True, exist_ok=True)
    session = build_sample(load_builtin_template())
    reports = {
        "handout": ReportOptions(paper="a4"),
        "large-print": ReportOptions(paper="a4", large_print=True),
        "facilitator": ReportOptions(paper="letter", facilitator=True),
        "anonymous": ReportOptions(paper="a4", names=False),
    }
    renderer = shutil.which("pdftoppm")
    for name, report in reports.items():
        pdf = options.out / f"{name}.pdf"
        result = build_pdf(session, pdf, report)
        for old in options.out.glob(f"{name}-*.png"):
            old.unlink()
        if renderer is not None:
            subprocess.run(
                [renderer, "-png", "-r", str(options.dpi), str(pdf), str(options.out / name)], check=True
            )
        print(f"{pdf}: {result.pages} pages")
    if renderer is None:
        print(
            "pdftoppm is not installed (Debian: apt-get install poppler-utils); only the PDFs were written."
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
