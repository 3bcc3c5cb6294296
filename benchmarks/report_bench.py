"""How long the PDF report takes: the sample workshop and a large session.

    .venv/bin/python benchmarks/report_bench.py            # median of 5 runs each
    .venv/bin/python benchmarks/report_bench.py --runs 9

Targets (issue 6): the sample workshop's report in 0.6 s or less; the large
session (60 participants, a fully voted 10 x 5 matrix, 500 cards) in 2 s or
less. Each run builds the whole PDF and writes it to a temporary folder, as the
app does. The fonts are registered once per process, before the timed runs, and
that one-off cost is reported on its own line; a CSV export is timed too.
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

SAMPLE_TARGET = 0.6
LARGE_TARGET = 2.0


def timed(action: Callable[[], object], runs: int) -> tuple[float, float]:
    times: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per row (the median is reported)")
    options = parser.parse_args(argv)

    from run import build_large_session  # benchmarks/run.py: the same large session as the app's suite

    from coprod_desktop.domain.sample import build_sample
    from coprod_desktop.report.csvexport import export_csv
    from coprod_desktop.report.fonts import register_fonts
    from coprod_desktop.report.pdf import ReportOptions, build_pdf
    from coprod_desktop.storage.templates import load_builtin_template

    start = time.perf_counter()
    register_fonts()
    fonts = time.perf_counter() - start

    sample = build_sample(load_builtin_template())
    large = build_large_session()
    rows: list[tuple[str, float, float, float | None, int]] = [
        ("font registration (once)", fonts, fonts, None, 0)
    ]
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "report.pdf"
        cases = [
            ("sample: handout", sample, ReportOptions(paper="a4"), SAMPLE_TARGET),
            ("sample: large print", sample, ReportOptions(paper="a4", large_print=True), SAMPLE_TARGET),
            (
                "sample: facilitator report",
                sample,
                ReportOptions(paper="a4", facilitator=True),
                SAMPLE_TARGET,
            ),
            ("large: handout", large, ReportOptions(paper="a4"), LARGE_TARGET),
            ("large: facilitator report", large, ReportOptions(paper="a4", facilitator=True), None),
        ]
        for label, session, report, target in cases:
            pages = build_pdf(session, out, report).pages  # a warm-up, and the page count
            median, worst = timed(lambda s=session, r=report: build_pdf(s, out, r), options.runs)
            rows.append((label, median, worst, target, pages))
        median, worst = timed(lambda: export_csv(large, Path(folder) / "csv"), options.runs)
        rows.append(("large: CSV export", median, worst, None, 0))

    print(f"Python {sys.version.split()[0]}, median of {options.runs} runs\n")
    print("| report | pages | median | slowest | target | verdict |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    failed = False
    for label, median, worst, target, pages in rows:
        verdict = "–" if target is None else ("met" if median <= target else "MISSED")
        failed |= verdict == "MISSED"
        shown_target = "–" if target is None else f"≤ {target:.1f} s"
        print(f"| {label} | {pages or '–'} | {median:.3f} s | {worst:.3f} s | {shown_target} | {verdict} |")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
