"""The small text format of step bodies: paragraphs and bullet lists.

A blank line separates paragraphs; a line starting with "- " is a bullet.
Screens and the PDF both render from these blocks, so they agree.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Block:
    kind: str  # "paragraph" or "bullets"
    lines: tuple[str, ...]


def blocks(text: str) -> list[Block]:
    found: list[Block] = []
    paragraph: list[str] = []
    bullets: list[str] = []

    def flush() -> None:
        if paragraph:
            found.append(Block("paragraph", (" ".join(paragraph),)))
            paragraph.clear()
        if bullets:
            found.append(Block("bullets", tuple(bullets)))
            bullets.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("- "):
            if paragraph:
                flush()
            bullets.append(line[2:].strip())
        elif bullets and raw[:1].isspace():
            bullets[-1] += " " + line  # a wrapped bullet continues
        else:
            if bullets:
                flush()
            paragraph.append(line)
    flush()
    return found
