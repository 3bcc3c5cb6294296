"""The PDF report (issue 13, point 6): the sample from the command line, and 1,000 to 5,000 cards.

    build/bench-venv/bin/python benchmarks/report_bench.py [--quick]

- **sample, command line**: `python -m coprod_desktop export SAMPLE --pdf OUT.pdf` as a fresh
  process, timed from start to exit: the interpreter, every import (reportlab included), the
  fonts, reading the file, building and writing the PDF. Target ≤ 0.6 s.
- **cards**: the sample workshop with 1,000 or 5,000 extra cards on the canvas, built in this
  process (imports and fonts done before), `build_pdf` timed; the page count and the cost per
  page are given, and the growth factor of the cost per page from 1,000 to 5,000 cards
  (1 = flat). Target at 5,000 cards ≤ 5 s.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import add_cards, emit, isolate, sample  # noqa: E402

SAMPLE_TARGET_S = 0.6
CARDS_5000_TARGET_S = 5.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--sizes", default="1000,5000")
    options = parser.parse_args()
    work = isolate("coprod-report-bench-")
    runs = 3 if options.quick else 5
    found = {}

    sample_file = work / "sample.coprod"
    cli = [sys.executable, "-m", "coprod_desktop"]
    subprocess.run([*cli, "demo", str(sample_file)], check=True, stdout=subprocess.DEVNULL, cwd=work)
    times = []
    for number in range(runs + 1):
        out = work / f"sample{number}.pdf"
        began = time.perf_counter()
        subprocess.run(
            [*cli, "export", str(sample_file), "--pdf", str(out)],
            check=True,
            stdout=subprocess.DEVNULL,
            cwd=work,
        )
        if number:  # the first warms the page cache
            times.append(time.perf_counter() - began)
    found["pdf.sample_cli"] = sample(
        "PDF of the sample from the command line (process start to exit)",
        times,
        unit="s",
        target={"stat": "median", "limit": SAMPLE_TARGET_S, "text": f"≤ {SAMPLE_TARGET_S} s"},
    )

    from coprod_desktop.domain.sample import build_sample
    from coprod_desktop.report.fonts import register_fonts
    from coprod_desktop.report.pdf import ReportOptions, build_pdf
    from coprod_desktop.storage.templates import load_builtin_template

    register_fonts()
    per_page: dict[int, float] = {}
    for size in [int(x) for x in options.sizes.split(",") if x.isdigit()]:
        session = build_sample(load_builtin_template())
        add_cards(session, size)
        out = work / f"cards{size}.pdf"
        began, cpu = time.perf_counter(), time.process_time()
        pages = build_pdf(session, out, ReportOptions(paper="a4")).pages
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
        per_page[size] = seconds / pages
        target = (
            {
                "target": {
                    "stat": "median",
                    "limit": CARDS_5000_TARGET_S,
                    "text": f"≤ {CARDS_5000_TARGET_S:g} s",
                }
            }
            if size == 5000
            else {}
        )
        found[f"pdf.cards{size}"] = sample(
            f"PDF handout with {size:,} more cards ({pages} pages)",
            [seconds],
            unit="s",
            cpu=[cpu * 1000],
            **target,
        )
        found[f"pdf.cards{size}.page"] = sample(
            f"PDF with {size:,} more cards: per page", [seconds / pages * 1000]
        )
    sizes = sorted(per_page)
    if len(sizes) > 1:
        found["pdf.growth"] = sample(
            f"PDF cost per page at {sizes[-1]:,} / at {sizes[0]:,} cards (1 = flat)",
            [per_page[sizes[-1]] / per_page[sizes[0]]],
            unit="×",
        )
    emit(found)
    return 0


if __name__ == "__main__":
    sys.exit(main())
