"""Time-series charts as inline SVG: axes with round ticks, UTC time labels, legend, markers.

Charts are drawn in Python so the report needs no script, library or font from the network.
Each chart is a ``<figure class="chart" id="chart-...">`` holding a caption and one ``<svg>``
whose series are ``<path class="series ...">`` elements; colours come from the page's CSS
classes. Long series are shrunk with `downsample_min_max` to `MAX_POINTS_PER_CHART` in all.
"""

import datetime as dt
import html
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from backtest.report.downsample import POINTS_PER_BUCKET, downsample_min_max

MAX_POINTS_PER_CHART = 2000
"""Most line points one chart draws, shared among its lines."""

MAX_MARKERS_PER_CHART = 500
"""Most markers (fills) one chart draws, shared among its marker sets; above this an even subset
of each set is drawn and the caption says so."""

WIDTH_PX = 960
"""Width of the SVG coordinate system; the SVG scales to the page width."""

HEIGHT_PX = 260
"""Height of the SVG coordinate system."""

MARGIN_LEFT_PX = 86
MARGIN_RIGHT_PX = 18
MARGIN_TOP_PX = 30
MARGIN_BOTTOM_PX = 40

Y_TICK_TARGET = 5
"""About how many horizontal grid lines a chart gets."""

X_TICK_TARGET = 7
"""At most how many time ticks a chart gets."""

_NS_PER_S = 1_000_000_000

_TIME_STEPS_S = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600)
_TIME_STEPS_S += (43200, 86400, 172800, 604800, 2592000)


@dataclass(frozen=True)
class Line:
    """One series of a chart.

    Attributes
    ----------
    label : str
        Legend text.
    x_ns : numpy.ndarray
        Sample times, int64 UNIX ns, ascending.
    y : numpy.ndarray
        Values, float64; NaN breaks the line.
    css_class : str
        Class giving the colour, e.g. ``"s-equity"``.
    is_step : bool
        Hold each value until the next sample (positions, quotes) instead of interpolating.
    is_area : bool
        Also fill between the line and zero.
    """

    label: str
    x_ns: np.ndarray
    y: np.ndarray
    css_class: str
    is_step: bool = False
    is_area: bool = False


@dataclass(frozen=True)
class Markers:
    """Points drawn as triangles, each with a hover title (fills).

    Attributes
    ----------
    label : str
        Legend text.
    x_ns : numpy.ndarray
        Times, int64 UNIX ns.
    y : numpy.ndarray
        Values, float64.
    css_class : str
        Class giving the colour, e.g. ``"m-buy"``.
    points_up : bool
        Triangle pointing up (buys) or down (sells).
    titles : sequence of str
        Hover text of each marker.
    """

    label: str
    x_ns: np.ndarray
    y: np.ndarray
    css_class: str
    points_up: bool
    titles: Sequence[str] = field(default_factory=tuple)


@dataclass(frozen=True)
class Chart:
    """A time-series chart.

    Attributes
    ----------
    chart_id : str
        ``id`` of the ``<figure>``, e.g. ``"chart-equity"``.
    title : str
        Caption.
    y_label : str
        Vertical axis label with its unit, e.g. ``"equity (USDT)"``.
    lines : sequence of Line
        Series, drawn in order.
    markers : sequence of Markers
        Marker sets drawn over the lines.
    x_range_ns : tuple of (int, int) or None
        Time axis range; the data's range when None.
    """

    chart_id: str
    title: str
    y_label: str
    lines: Sequence[Line]
    markers: Sequence[Markers] = ()
    x_range_ns: tuple[int, int] | None = None


def render_chart(chart: Chart) -> str:
    """Render ``chart`` as a ``<figure class="chart">`` holding an inline SVG.

    Parameters
    ----------
    chart : Chart
        What to draw.

    Returns
    -------
    str
        HTML of the figure. Without any finite value it holds a "no data" note instead of the
        plot, and its ``class`` is ``"chart chart-empty"``.
    """
    per_line_points = max(POINTS_PER_BUCKET, MAX_POINTS_PER_CHART // max(1, len(chart.lines)))
    lines = [_downsampled(line, per_line_points) for line in chart.lines]
    per_set_markers = MAX_MARKERS_PER_CHART // max(1, len(chart.markers))
    markers = [_thinned(marker_set, per_set_markers) for marker_set in chart.markers]
    x_range = chart.x_range_ns or _x_extent(lines, markers)
    y_extent = _finite_extent([line.y for line in lines] + [marker_set.y for marker_set in markers])
    if y_extent is not None and any(line.is_area for line in lines):
        y_extent = min(y_extent[0], 0.0), max(y_extent[1], 0.0)
    caption = (
        f"<figcaption>{html.escape(chart.title)}"
        f"{_thinning_note(chart.markers, markers)}</figcaption>"
    )
    if x_range is None or y_extent is None:
        return (
            f'<figure class="chart chart-empty" id="{html.escape(chart.chart_id)}">{caption}'
            '<p class="no-data">no data</p></figure>'
        )
    frame = _Frame(x_range, _nice_y_domain(*y_extent))
    parts = [
        f'<svg class="plot" viewBox="0 0 {WIDTH_PX} {HEIGHT_PX}" role="img" '
        f'aria-label="{html.escape(chart.title)}" preserveAspectRatio="xMidYMid meet">',
        frame.y_axis(chart.y_label),
        frame.x_axis(),
        f'<g clip-path="url(#clip-{html.escape(chart.chart_id)})">',
        *(frame.line_path(line) for line in lines),
        *(frame.marker_paths(marker_set) for marker_set in markers),
        "</g>",
        f'<clipPath id="clip-{html.escape(chart.chart_id)}">{frame.plot_rect()}</clipPath>',
        _legend(chart.lines, chart.markers),
        "</svg>",
    ]
    return (
        f'<figure class="chart" id="{html.escape(chart.chart_id)}">{caption}'
        + "".join(parts)
        + "</figure>"
    )


def nice_ticks(low: float, high: float, target: int = Y_TICK_TARGET) -> list[float]:
    """Return round tick values (1, 2 or 5 times a power of ten apart) covering ``[low, high]``.

    Parameters
    ----------
    low, high : float
        Range to cover; ``low < high``.
    target : int, default `Y_TICK_TARGET`
        About how many intervals to make.

    Returns
    -------
    list of float
        Ascending ticks; the first is ``<= low`` and the last ``>= high``.
    """
    step = _nice_step((high - low) / target)
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    decimals = _step_decimals(step)
    return [round(k * step, decimals) for k in range(first, last + 1)]


def time_ticks(start_ns: int, end_ns: int, target: int = X_TICK_TARGET) -> list[tuple[int, str]]:
    """Return round UTC time ticks within ``[start_ns, end_ns]`` with their labels.

    Parameters
    ----------
    start_ns, end_ns : int
        Axis range, UNIX ns; ``start_ns < end_ns``.
    target : int, default `X_TICK_TARGET`
        Most ticks to return.

    Returns
    -------
    list of tuple of (int, str)
        ``(ts_ns, label)``; labels are ``HH:MM:SS`` below a minute's step, ``HH:MM`` up to a
        day's span, ``MM-DD HH:MM`` beyond; sub-second spans get ``HH:MM:SS.mmm``.
    """
    span_ns = end_ns - start_ns
    step_ns = next(
        (
            seconds * _NS_PER_S
            for seconds in _TIME_STEPS_S
            if span_ns / (seconds * _NS_PER_S) <= target
        ),
        _TIME_STEPS_S[-1] * _NS_PER_S,
    )
    if span_ns < _NS_PER_S:
        step_ns = _round_step_at_least(span_ns / target)
    first = -(-start_ns // step_ns) * step_ns
    return [
        (ts_ns, _time_label(ts_ns, step_ns, span_ns)) for ts_ns in range(first, end_ns + 1, step_ns)
    ]


def format_tick(value: float, step: float) -> str:
    """Render a tick value with the decimals its step needs and thousands separators.

    Parameters
    ----------
    value : float
        Tick value.
    step : float
        Distance between ticks.

    Returns
    -------
    str
        E.g. ``"61,737.5"`` for step 0.5, ``"-0.002"`` for step 0.001, ``"0"`` for zero.
    """
    text = f"{value:,.{_step_decimals(step)}f}"
    return "0" if text.lstrip("-").strip("0.,") == "" else text


class _Frame:
    """Maps data coordinates to pixels and draws axes and series."""

    def __init__(self, x_range_ns: tuple[int, int], y_ticks: list[float]) -> None:
        self.x0_ns, self.x1_ns = x_range_ns
        if self.x1_ns <= self.x0_ns:
            self.x0_ns, self.x1_ns = self.x0_ns - _NS_PER_S, self.x1_ns + _NS_PER_S
        self.y_ticks = y_ticks
        self.y0, self.y1 = y_ticks[0], y_ticks[-1]
        self.left = MARGIN_LEFT_PX
        self.right = WIDTH_PX - MARGIN_RIGHT_PX
        self.top = MARGIN_TOP_PX
        self.bottom = HEIGHT_PX - MARGIN_BOTTOM_PX

    def px_x(self, x_ns: np.ndarray) -> np.ndarray:
        fraction = (np.asarray(x_ns, dtype=np.float64) - self.x0_ns) / (self.x1_ns - self.x0_ns)
        return self.left + fraction * (self.right - self.left)

    def px_y(self, y: np.ndarray) -> np.ndarray:
        fraction = (np.asarray(y, dtype=np.float64) - self.y0) / (self.y1 - self.y0)
        return self.bottom - fraction * (self.bottom - self.top)

    def plot_rect(self) -> str:
        return (
            f'<rect x="{self.left}" y="{self.top}" width="{self.right - self.left}" '
            f'height="{self.bottom - self.top}"/>'
        )

    def y_axis(self, label: str) -> str:
        step = self.y_ticks[1] - self.y_ticks[0] if len(self.y_ticks) > 1 else 1.0
        parts = ['<g class="axis y-axis">']
        for tick in self.y_ticks:
            y_px = float(self.px_y(np.array([tick]))[0])
            grid_class = "grid zero" if tick == 0 else "grid"
            parts.append(
                f'<line class="{grid_class}" x1="{self.left}" x2="{self.right}" '
                f'y1="{y_px:.1f}" y2="{y_px:.1f}"/>'
                f'<text class="tick-label" x="{self.left - 6}" y="{y_px + 4:.1f}" '
                f'text-anchor="end">{format_tick(tick, step)}</text>'
            )
        middle = (self.top + self.bottom) / 2
        parts.append(
            f'<text class="axis-label" x="14" y="{middle:.1f}" text-anchor="middle" '
            f'transform="rotate(-90 14 {middle:.1f})">{html.escape(label)}</text>'
        )
        parts.append("</g>")
        return "".join(parts)

    def x_axis(self) -> str:
        parts = [
            '<g class="axis x-axis">',
            f'<line class="axis-line" x1="{self.left}" x2="{self.right}" '
            f'y1="{self.bottom}" y2="{self.bottom}"/>',
        ]
        for ts_ns, label in time_ticks(self.x0_ns, self.x1_ns):
            x_px = float(self.px_x(np.array([ts_ns]))[0])
            parts.append(
                f'<line class="tick" x1="{x_px:.1f}" x2="{x_px:.1f}" y1="{self.bottom}" '
                f'y2="{self.bottom + 5}"/>'
                f'<text class="tick-label" x="{x_px:.1f}" y="{self.bottom + 18}" '
                f'text-anchor="middle">{label}</text>'
            )
        parts.append(
            f'<text class="axis-label" x="{self.right}" y="{HEIGHT_PX - 4}" '
            'text-anchor="end">time (UTC)</text></g>'
        )
        return "".join(parts)

    def line_path(self, line: Line) -> str:
        x_px = self.px_x(line.x_ns)
        y_px = self.px_y(line.y)
        segments = _finite_segments(line.y)
        if line.is_area:
            zero_px = float(self.px_y(np.zeros(1))[0])
            area = "".join(
                _segment_path(x_px[s:e], y_px[s:e], line.is_step)
                + f"L{x_px[e - 1]:.1f},{zero_px:.1f}L{x_px[s]:.1f},{zero_px:.1f}Z"
                for s, e in segments
            )
            fill = f'<path class="area {line.css_class}" d="{area}"/>'
        else:
            fill = ""
        d = "".join(_segment_path(x_px[s:e], y_px[s:e], line.is_step) for s, e in segments)
        return fill + f'<path class="series {line.css_class}" d="{d}"/>'

    def marker_paths(self, markers: Markers) -> str:
        x_px = self.px_x(markers.x_ns)
        y_px = self.px_y(markers.y)
        tip = -7.0 if markers.points_up else 7.0
        base = -tip / 2
        parts = [f'<g class="markers {markers.css_class}">']
        for index, (x, y) in enumerate(zip(x_px, y_px, strict=True)):
            if not (math.isfinite(x) and math.isfinite(y)):
                continue
            title = f"<title>{html.escape(markers.titles[index])}</title>" if markers.titles else ""
            parts.append(
                f'<path class="marker" d="M{x - 4:.1f},{y + base:.1f}L{x + 4:.1f},{y + base:.1f}'
                f'L{x:.1f},{y + tip + base:.1f}Z">{title}</path>'
            )
        parts.append("</g>")
        return "".join(parts)


def _legend(lines: Sequence[Line], markers: Sequence[Markers]) -> str:
    parts = ['<g class="legend">']
    x_px = float(MARGIN_LEFT_PX)
    y_px = 16.0
    for line in lines:
        parts.append(
            f'<line class="swatch {line.css_class}" x1="{x_px:.0f}" x2="{x_px + 18:.0f}" '
            f'y1="{y_px - 4:.0f}" y2="{y_px - 4:.0f}"/>'
            f'<text class="legend-label" x="{x_px + 24:.0f}" y="{y_px:.0f}">'
            f"{html.escape(line.label)}</text>"
        )
        x_px += 36 + 7 * len(line.label)
    for marker_set in markers:
        tip = -7 if marker_set.points_up else 7
        base_y, tip_y = y_px - 4 - tip / 2, y_px - 4 + tip / 2
        parts.append(
            f'<path class="marker {marker_set.css_class}" d="M{x_px + 5:.0f},{base_y:.1f}'
            f'L{x_px + 13:.0f},{base_y:.1f}L{x_px + 9:.0f},{tip_y:.1f}Z"/>'
            f'<text class="legend-label" x="{x_px + 24:.0f}" y="{y_px:.0f}">'
            f"{html.escape(marker_set.label)}</text>"
        )
        x_px += 36 + 7 * len(marker_set.label)
    parts.append("</g>")
    return "".join(parts)


def _downsampled(line: Line, max_points: int) -> Line:
    x_ns, y = downsample_min_max(line.x_ns, line.y, max_points)
    return Line(line.label, x_ns, y, line.css_class, line.is_step, line.is_area)


def _thinned(markers: Markers, max_markers: int) -> Markers:
    count = len(markers.x_ns)
    if count <= max_markers:
        return markers
    keep = np.linspace(0, count - 1, max_markers).round().astype(np.int64)
    titles = [markers.titles[i] for i in keep] if markers.titles else ()
    return Markers(
        markers.label,
        markers.x_ns[keep],
        markers.y[keep],
        markers.css_class,
        markers.points_up,
        titles,
    )


def _thinning_note(markers: Sequence[Markers], drawn: Sequence[Markers]) -> str:
    notes = [
        f"{len(shown.x_ns):,} of {len(marker_set.x_ns):,} {marker_set.label.lower()}"
        for marker_set, shown in zip(markers, drawn, strict=True)
        if len(shown.x_ns) < len(marker_set.x_ns)
    ]
    if not notes:
        return ""
    return f' <span class="note">(markers: {html.escape(", ".join(notes))} shown)</span>'


def _x_extent(lines: Sequence[Line], markers: Sequence[Markers]) -> tuple[int, int] | None:
    arrays = [line.x_ns for line in lines] + [marker_set.x_ns for marker_set in markers]
    arrays = [array for array in arrays if len(array)]
    if not arrays:
        return None
    return int(min(array.min() for array in arrays)), int(max(array.max() for array in arrays))


def _finite_extent(arrays: Sequence[np.ndarray]) -> tuple[float, float] | None:
    finite = [array[np.isfinite(array)] for array in arrays]
    finite = [array for array in finite if len(array)]
    if not finite:
        return None
    return float(min(array.min() for array in finite)), float(max(array.max() for array in finite))


def _nice_y_domain(low: float, high: float) -> list[float]:
    if high - low <= abs(high) * 1e-12:
        pad = abs(high) * 0.01 or 1.0
        low, high = low - pad, high + pad
    return nice_ticks(low, high)


def _nice_step(raw_step: float) -> float:
    magnitude = 10 ** math.floor(math.log10(raw_step))
    residual = raw_step / magnitude
    if residual < 1.5:
        return magnitude
    if residual < 3:
        return 2 * magnitude
    if residual < 7:
        return 5 * magnitude
    return 10 * magnitude


def _round_step_at_least(raw_step_ns: float) -> int:
    magnitude = 10 ** max(0, math.floor(math.log10(max(raw_step_ns, 1.0))))
    return next(factor * magnitude for factor in (1, 2, 5, 10) if factor * magnitude >= raw_step_ns)


def _step_decimals(step: float) -> int:
    return max(0, -math.floor(math.log10(step) + 1e-9))


def _time_label(ts_ns: int, step_ns: int, span_ns: int) -> str:
    moment = dt.datetime.fromtimestamp(ts_ns // _NS_PER_S, tz=dt.UTC)
    if step_ns < _NS_PER_S:
        return f"{moment:%H:%M:%S}.{(ts_ns % _NS_PER_S) // 1_000_000:03d}"
    if span_ns > 86400 * _NS_PER_S:
        return f"{moment:%m-%d %H:%M}"
    if step_ns < 60 * _NS_PER_S:
        return f"{moment:%H:%M:%S}"
    return f"{moment:%H:%M}"


def _finite_segments(y: np.ndarray) -> list[tuple[int, int]]:
    finite = np.isfinite(y)
    edges = np.flatnonzero(np.diff(np.concatenate(([False], finite, [False])).astype(np.int8)))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def _segment_path(x_px: np.ndarray, y_px: np.ndarray, is_step: bool) -> str:
    points = [f"M{x_px[0]:.1f},{y_px[0]:.1f}"]
    if is_step:
        points.extend(
            f"H{x:.1f}V{y:.1f}" for x, y in zip(x_px[1:].tolist(), y_px[1:].tolist(), strict=True)
        )
    else:
        points.extend(
            f"L{x:.1f},{y:.1f}" for x, y in zip(x_px[1:].tolist(), y_px[1:].tolist(), strict=True)
        )
    return "".join(points)
