"""The judge's pair verdict on the focused turn, in the reviewer's A/B terms, with the
explanation of each answer order; an order-dependent verdict is flagged."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from mtbench_tui.core.pair_view import OrderVerdict, TurnVerdict
from mtbench_tui.ui.text import literal

_VERDICT = {
    "A": "A is better",
    "B": "B is better",
    "tie": "tie",
    "inconsistent": "inconsistent: the two orders disagree (counts as a tie)",
    "error": "no verdict: an order failed",
}


def verdict_text(verdict: TurnVerdict) -> Text:
    """The combined verdict line; an order-dependent verdict is flagged, naming the position
    the judge favoured when both orders say so."""
    said = _VERDICT.get(verdict.choice, verdict.choice)
    if not verdict.orders_disagree:
        return Text(said, style="bold")
    picks = [o.choice == o.first for o in verdict.orders if o.choice in ("A", "B")]
    if verdict.choice == "inconsistent" and len(picks) == 2 and picks[0] == picks[1]:
        position = "first" if picks[0] else "second"
        said = f"inconsistent: the judge preferred whichever answer it read {position}"
        said += " (counts as a tie)"
    text = Text("⚠ ", style="bold")
    text.append(said, style="bold")
    if verdict.choice != "inconsistent":
        text.append("\nthe two answer orders disagree", style="italic")
    return text


def order_text(index: int, order: OrderVerdict) -> Text:
    """An order's heading: which of the reviewer's answers the judge read first (calling it
    Assistant A in its explanation), and what it chose, in the reviewer's terms."""
    said = _VERDICT.get(order.choice or "", order.choice or "verdict not recorded")
    if order.choice in ("A", "B"):
        said = f"{order.choice} is better"
    return Text.assemble(
        (f"Order {index}", "bold"),
        f" · its Assistant A was your {order.first} → ",
        (said, "bold"),
    )


class PairJudgePanel(VerticalScroll, can_focus=False):
    """Shows one turn's pair verdict, or a placeholder while blind mode hides it."""

    def compose(self) -> ComposeResult:
        yield Static(id="pair-judge-title")
        yield Static(id="pair-judge-status")
        yield Static(id="pair-judge-verdict")
        yield Static(id="pair-judge-meta")
        yield Static(id="pair-judge-orders")

    def show(
        self,
        turn: int,
        verdict: TurnVerdict | None,
        judge: str | None,
        hidden: bool,
        vote: str | None,
        status: str = "",
    ) -> None:
        """Display the verdict for a turn.

        Args:
            turn: the focused turn.
            verdict: the judge's verdict relative to A/B, or None when it has none.
            judge: the pair judge the session compares against.
            hidden: True in blind mode until the reviewer has voted on this turn.
            vote: the reviewer's vote on the turn (``A``, ``B``, ``tie``), if any.
            status: a re-judge in progress ("" when none).
        """
        title = self.query_one("#pair-judge-title", Static)
        title.update(Text(f"Judge · turn {turn}", style="bold"))
        note = self.query_one("#pair-judge-status", Static)
        note.update(literal(status))
        note.display = bool(status)
        line = self.query_one("#pair-judge-verdict", Static)
        meta = self.query_one("#pair-judge-meta", Static)
        orders = self.query_one("#pair-judge-orders", Static)
        self.set_class(hidden, "-hidden")
        self.set_class(verdict is not None and verdict.orders_disagree and not hidden, "-bias")
        if hidden:
            line.update(Text("hidden", style="italic"))
            meta.update(Text("Blind mode: the verdict appears once you vote on this turn."))
            orders.update("")
        elif verdict is None:
            line.update(Text("no judgment", style="italic"))
            if judge is None:
                meta.update(Text("No pair verdicts in this database: import a *_pair.jsonl file."))
            else:
                meta.update(literal(f"{judge} has not judged this turn."))
            orders.update("")
        else:
            line.update(verdict_text(verdict))
            meta.update(self._meta(verdict, vote))
            orders.update(self._orders(verdict))
        self.scroll_home(animate=False)

    def _meta(self, verdict: TurnVerdict, vote: str | None) -> Text:
        """Judge, prompt and whether the reviewer's vote agrees."""
        who = verdict.judge
        if verdict.judge_model != verdict.judge:
            who += f" · {verdict.judge_model}"
        text = literal(f"{who} · prompt {verdict.prompt}")
        if vote is not None and verdict.choice in ("A", "B", "tie", "inconsistent"):
            judged = "tie" if verdict.choice == "inconsistent" else verdict.choice
            text.append("\nyour vote " + ("agrees" if judged == vote else "differs"))
        return text

    def _orders(self, verdict: TurnVerdict) -> Text:
        """Both orders' headings and explanations (the explanations are shown literally)."""
        if all(o.choice is None and not o.judgment for o in verdict.orders):
            return Text("Only the combined verdict is recorded for this judge.", style="italic")
        text = Text()
        for index, order in enumerate(verdict.orders, 1):
            text.append("\n" if index > 1 else "")
            text.append_text(order_text(index, order))
            text.append("\n")
            text.append_text(literal(order.judgment or "(no explanation)"))
            text.append("\n")
        return text
