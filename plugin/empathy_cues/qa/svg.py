"""Charts as inline SVG strings: no script, no external asset, readable without colour (values are
written beside the bars and points). Labels are escaped; the charts draw only numbers and our labels."""
from __future__ import annotations

from html import escape


def bar_chart_svg(bars: list[tuple[str, float | None]], *, title: str, width: int = 560, bar_height: int = 22,
                  scale: float = 1.0, unit: str = "%") -> str:
    """Horizontal bars of values 0..``scale`` (None: does not apply, drawn as a dash). Rates by default
    (0..1, written as percentages); ``scale=100, unit=""`` for scores."""
    label_width, gap = 130, 6
    height = 30 + len(bars) * (bar_height + gap)
    span = width - label_width - 60
    rows = []
    for i, (label, value) in enumerate(bars):
        y = 28 + i * (bar_height + gap)
        text = "–" if value is None else (f"{value:.0%}" if unit == "%" else f"{value:g}{unit}")
        length = 0 if value is None else max(0.0, min(1.0, value / scale)) * span
        rows.append(f'<text x="{label_width - 8}" y="{y + bar_height * 0.7:.0f}" text-anchor="end">{escape(label)}</text>'
                    f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" class="bar"/>'
                    f'<text x="{label_width + length + 6:.1f}" y="{y + bar_height * 0.7:.0f}">{text}</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" class="chart">'
            f'<title>{escape(title)}</title><text x="0" y="16" class="title">{escape(title)}</text>'
            + "".join(rows) + "</svg>")


def line_chart_svg(points: list[tuple[str, float]], *, title: str, width: int = 560, height: int = 220,
                   y_max: float = 100.0) -> str:
    """A line of values 0..y_max over labelled steps (weeks), with each value written at its point."""
    left, right, top, bottom = 40, 20, 30, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(1, len(points) - 1)
    coords = [(left + i * step if len(points) > 1 else left + plot_w / 2,
               top + plot_h - (max(0.0, min(y_max, v)) / y_max) * plot_h) for i, (_, v) in enumerate(points)]
    grid = "".join(f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h * (1 - f):.1f}" '
                   f'y2="{top + plot_h * (1 - f):.1f}" class="grid"/>'
                   f'<text x="{left - 6}" y="{top + plot_h * (1 - f) + 4:.1f}" text-anchor="end">{y_max * f:g}</text>'
                   for f in (0, 0.5, 1))
    line = (f'<polyline points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in coords)}" class="line"/>'
            if len(coords) > 1 else "")
    marks = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" class="point"/>'
                    f'<text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle">{v:g}</text>'
                    f'<text x="{x:.1f}" y="{height - 12}" text-anchor="middle">{escape(label)}</text>'
                    for (x, y), (label, v) in zip(coords, points))
    empty = "" if points else f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle">no replies</text>'
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" class="chart">'
            f'<title>{escape(title)}</title><text x="0" y="16" class="title">{escape(title)}</text>'
            f"{grid}{line}{marks}{empty}</svg>")
