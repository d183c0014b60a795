"""The inline SVG charts of report.html: a horizontal bar per task, a histogram of totals. Each takes plain
rows and returns markup; every text in it is escaped here, so callers may pass what submissions wrote."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

LABEL_CHARS = 58  # SVG text does not wrap: a longer label is cut, and whole in the bar's tooltip


@dataclass(frozen=True)
class Bar:
    label: str  # left of the bar
    value: str  # right of the bar
    fraction: float  # 0..1 of the track
    tooltip: str


def bar_chart(bars: list[Bar], title: str, chart_id: str) -> str:
    """One row per bar: label, a track the bar fills, the value; the title is the chart's text alternative."""
    track_x, track_w, value_w, row_h = 410, 360, 150, 24  # the label takes the first 400
    width, height = track_x + track_w + value_w, row_h * len(bars) + 8
    rows = []
    for row, bar in enumerate(bars):
        y = 4 + row * row_h
        label = bar.label if len(bar.label) <= LABEL_CHARS else bar.label[: LABEL_CHARS - 1] + "…"
        rows.append(
            f'<g class="bar" role="listitem" aria-label="{escape(bar.tooltip)}"><title>{escape(bar.tooltip)}</title>'
            f'<text x="0" y="{y + 16}" class="label">{escape(label)}</text>'
            f'<rect class="track" x="{track_x}" y="{y + 3}" width="{track_w}" height="{row_h - 6}"/>'
            f'<rect class="fill" x="{track_x}" y="{y + 3}" width="{track_w * _unit(bar.fraction):.1f}" '
            f'height="{row_h - 6}"/>'
            f'<text x="{track_x + track_w + 8}" y="{y + 16}" class="value">{escape(bar.value)}</text></g>'
        )
    return _svg(chart_id, title, width, height, "".join(rows))


def histogram(counts: list[int], labels: list[str], title: str, chart_id: str, unit: str = "students") -> str:
    """A vertical bar per bin with its count above and its range below; an empty bin keeps its place."""
    bar_w, plot_h, top, bottom = max(24, min(60, 720 // max(len(counts), 1))), 160, 20, 40
    width, tallest = bar_w * len(counts) + 20, max(counts, default=0) or 1
    bars = []
    for i, (count, label) in enumerate(zip(counts, labels, strict=True)):
        x, h = 10 + i * bar_w, plot_h * count / tallest
        said = f"{count} {unit if count != 1 else unit.removesuffix('s')}: {label}"
        bars.append(
            f'<g class="hist-bar" role="listitem" aria-label="{escape(said)}"><title>{escape(said)}</title>'
            f'<rect x="{x + 2}" y="{top + plot_h - h:.1f}" width="{bar_w - 4}" height="{h:.1f}"/>'
            f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h - h - 4:.1f}" class="count">{count}</text>'
            f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h + 16}" class="bin">{escape(label)}</text></g>'
        )
    axis = f'<line class="axis" x1="8" x2="{width - 8}" y1="{top + plot_h}" y2="{top + plot_h}"/>'
    return _svg(chart_id, title, width, top + plot_h + bottom, axis + "".join(bars))


def _svg(chart_id: str, title: str, width: int, height: int, body: str) -> str:
    # A list of bars, each with its own aria-label, so a screen reader reads the numbers; the title names it.
    return (
        f'<svg id="{chart_id}" class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="group" aria-labelledby="{chart_id}-title" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title><g role="list">{body}</g></svg>'
    )


def _unit(fraction: float) -> float:
    return min(max(fraction, 0.0), 1.0)
