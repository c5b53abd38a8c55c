"""The place over time as an inline SVG's geometry (drawn on the server, no JavaScript): the
member's page gives the snapshots, this gives the points in a fixed viewBox that scales to any
width (320 px included). Position 1 is at the top: moving up the chart is moving up the list.
Days the entry was not active have no point; the text equivalent (a table) lists every day."""

from __future__ import annotations

from dataclasses import dataclass

from portal.domain.housing.membership import PlaceAt

WIDTH, HEIGHT = 300, 140
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 10, 24  # room for the axis labels


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    place: PlaceAt


@dataclass(frozen=True)
class Chart:
    points: list[Point]
    best: int  # the axis's top label (the best position shown)
    worst: int  # its bottom label
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def first(self) -> PlaceAt | None:
        return self.points[0].place if self.points else None

    @property
    def last(self) -> PlaceAt | None:
        return self.points[-1].place if self.points else None

    top, bottom, left, right = TOP, HEIGHT - BOTTOM, LEFT, WIDTH - RIGHT


def chart_of(history: list[PlaceAt]) -> Chart | None:
    """The chart's points, or None with fewer than one active day to draw."""
    active = [p for p in history if p.position is not None]
    if not active:
        return None
    best = min(p.position for p in active)
    worst = max(p.position for p in active)
    span_days = (active[-1].on - active[0].on).days or 1
    span_places = (worst - best) or 1
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    points = []
    for p in active:
        x = LEFT + (p.on - active[0].on).days / span_days * inner_w if len(active) > 1 \
            else LEFT + inner_w / 2
        y = TOP + (p.position - best) / span_places * inner_h if worst != best \
            else TOP + inner_h / 2
        points.append(Point(round(x, 1), round(y, 1), p))
    return Chart(points, best, worst)
