"""Open vs closed actions and the overdue count, week by week, plotted in the terminal."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Footer, Static
from textual_plotext import PlotextPlot

from tracker.queries.actions import change_counter
from tracker.queries.dashboard import WeekPoint, weekly_trends
from tui.messages import PaletteCommand
from tui.screens.live import LiveScreen
from tui.services import Services

WEEKS = 12


def week_ticks(points: list[WeekPoint], width: int) -> tuple[list[int], list[str]]:
    """Tick positions and labels; on narrow screens every other week, ending on this week."""
    step = 1 if width >= 120 else 2
    last = len(points)
    xs = [x for x in range(1, last + 1) if (last - x) % step == 0]
    return xs, [points[x - 1].week_end.strftime("%m-%d") for x in xs]


def count_ticks(top: int, most: int = 5) -> list[int]:
    """Whole-number ticks from 0 (counts of actions are never 30.8): at most `most` of them,
    a step of 1, 2 or 5 times a power of ten, the last at or above `top`."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            size = step * factor
            if -(-max(top, 1) // size) + 1 <= most:
                last = -(-max(top, 1) // size) * size
                return list(range(0, last + 1, size))
        step *= 10


def _y_axis(plt: Any, values: list[int]) -> None:
    ticks = count_ticks(max(values, default=0))
    plt.ylim(0, ticks[-1])
    plt.yticks([float(t) for t in ticks], [str(t) for t in ticks])


def trends_caption(points: list[WeekPoint]) -> Text:
    if not points:
        return Text("No data.", style="dim")
    last = points[-1]
    return Text(
        f"This week: {last.opened} opened, {last.closed} closed, "
        f"{last.open_at_end} open, !! {last.overdue_at_end} overdue",
    )


class TrendsScreen(LiveScreen):
    """Two plots over the last weeks; weeks end today (labels are the weeks' last days)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "back", "Back", id="trends.back", tooltip="Back to the list"),
    ]

    load_group = "trends"

    def __init__(self, services: Services) -> None:
        super().__init__(services, id="trends")
        self.points: list[WeekPoint] = []

    def compose(self) -> ComposeResult:
        yield Static(Text(f"Trends — last {WEEKS} weeks", style="bold"), id="trends-title")
        with Vertical(id="plots"):
            yield PlotextPlot(id="plot-open")
            yield PlotextPlot(id="plot-overdue")
        yield Static("", id="trends-caption")
        yield Footer()

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="trends", exit_on_error=False)
    def _load(self) -> None:
        with self.services.read_connection() as conn:
            points = weekly_trends(conn, self.services.ctx.today(), weeks=WEEKS)
            counter = change_counter(conn)
        self.post_message(self.Loaded(points, counter))

    class Loaded(Message):
        def __init__(self, points: list[WeekPoint], counter: int) -> None:
            self.points = points
            self.counter = counter
            super().__init__()

    def on_trends_screen_loaded(self, message: Loaded) -> None:
        self.points = message.points
        xs = list(range(1, len(self.points) + 1))
        ticks, labels = week_ticks(self.points, self.size.width)

        plot = self.query_one("#plot-open", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title("Open at week end vs closed per week")
        plt.plot(xs, [p.open_at_end for p in self.points], label="open", marker="braille")
        plt.bar(xs, [p.closed for p in self.points], label="closed", width=0.4)
        plt.xticks([float(x) for x in ticks], labels)
        _y_axis(plt, [p.open_at_end for p in self.points] + [p.closed for p in self.points])
        plot.refresh()

        plot2 = self.query_one("#plot-overdue", PlotextPlot)
        plt2 = plot2.plt
        plt2.clear_data()
        plt2.clear_figure()
        plt2.title("Overdue at week end")
        plt2.bar(xs, [p.overdue_at_end for p in self.points], label="overdue", width=0.5)
        plt2.xticks([float(x) for x in ticks], labels)
        _y_axis(plt2, [p.overdue_at_end for p in self.points])
        plot2.refresh()
        self.query_one("#trends-caption", Static).update(trends_caption(self.points))
        self.loaded(message.counter)

    def action_back(self) -> None:
        self.dismiss(None)

    def palette_commands(self) -> list[PaletteCommand]:
        return [("Back to the list", "Escape", self.action_back)]
