"""Server-rendered SVG charts (no script, no inline style: the CSP allows neither)."""

from __future__ import annotations

from html import escape


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def bar_vs_target(actual: float, target: float, *, unit: str = "", width: int = 220) -> str:
    """A horizontal bar of `actual` against a target line; over 100% the bar is capped, the label is not."""
    height, full = 18, width - 70
    share = 0.0 if target <= 0 else min(actual / target, 1.2)
    bar = int(full * min(share, 1.0))
    colour = "#2e7d32" if target and actual >= target else "#1565c0"
    label = f"{_fmt(actual)}/{_fmt(target)}{escape(unit)}"
    return (f'<svg class="chart-bar" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="完成 {label}">'
            f'<rect x="0" y="3" width="{full}" height="12" fill="#e8eaf0"/>'
            f'<rect x="0" y="3" width="{bar}" height="12" fill="{colour}"/>'
            f'<line x1="{full}" y1="0" x2="{full}" y2="{height}" stroke="#c62828" stroke-width="2"/>'
            f'<text x="{full + 4}" y="14" font-size="11" fill="#333">{label}</text></svg>')


def trend(points: list[tuple[str, int, int]], *, target: float | None = None, width: int = 560,
          height: int = 200) -> str:
    """Monthly bars (new that month) and the cumulative line, with the target as a dashed line."""
    if not points:
        return '<p class="muted">暂无按月数据</p>'
    top = max([p[2] for p in points] + [target or 0, 1])
    left, bottom, plot_h = 36, height - 28, height - 48
    step = (width - left - 10) / len(points)

    def y(value: float) -> float:
        return bottom - plot_h * value / top

    parts = [f'<svg class="chart-trend" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
             f'role="img" aria-label="按月趋势">',
             f'<line x1="{left}" y1="{bottom}" x2="{width - 5}" y2="{bottom}" stroke="#999"/>',
             f'<text x="2" y="{y(top) + 4:.0f}" font-size="10" fill="#555">{_fmt(top)}</text>']
    line = []
    for i, (month, count, total) in enumerate(points):
        x = left + i * step
        parts.append(f'<rect x="{x + step * 0.2:.1f}" y="{y(count):.1f}" width="{step * 0.6:.1f}" '
                     f'height="{bottom - y(count):.1f}" fill="#90caf9"><title>{month} 新增 {count}</title></rect>')
        parts.append(f'<text x="{x + step * 0.5:.1f}" y="{bottom + 14}" font-size="10" text-anchor="middle" '
                     f'fill="#555">{month[2:]}</text>')
        line.append(f"{x + step * 0.5:.1f},{y(total):.1f}")
    parts.append(f'<polyline points="{" ".join(line)}" fill="none" stroke="#1565c0" stroke-width="2"/>')
    if target:
        parts.append(f'<line x1="{left}" y1="{y(target):.1f}" x2="{width - 5}" y2="{y(target):.1f}" '
                     f'stroke="#c62828" stroke-dasharray="4 3"/>')
    parts.append("</svg>")
    return "".join(parts)
