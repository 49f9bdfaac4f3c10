"""The pair review screen: a question's two turns with answers A and B, the judge's pair verdict,
and the reviewer's A / B / tie votes from the keyboard."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical

from mtbench_tui.core.pair_view import PairView
from mtbench_tui.core.store.pair_filter import PairFilter
from mtbench_tui.ui.bindings import APP_BINDINGS
from mtbench_tui.ui.screens.dialogs import GotoDialog
from mtbench_tui.ui.screens.help import key_names
from mtbench_tui.ui.screens.pair_bindings import HELP_ROWS, PAIR_BINDINGS, SCROLL_IDS
from mtbench_tui.ui.screens.pair_edits import PairEditsMixin
from mtbench_tui.ui.screens.pair_filter import PairFilterDialog
from mtbench_tui.ui.screens.pair_rejudge import PairRejudgeMixin
from mtbench_tui.ui.text import say
from mtbench_tui.ui.widgets.key_bar import KeyBar
from mtbench_tui.ui.widgets.pair_answers import PairConversation, PairTurnBlock
from mtbench_tui.ui.widgets.pair_header import PairHeader
from mtbench_tui.ui.widgets.pair_judge import PairJudgePanel
from mtbench_tui.ui.widgets.pair_votes import PairVotePanel, TurnVote


class PairReviewScreen(PairEditsMixin, PairRejudgeMixin):
    """Owns the pair review keys; calls the core session and renders what it returns."""

    BINDINGS: ClassVar[list[BindingType]] = [*PAIR_BINDINGS]

    def compose(self) -> ComposeResult:
        yield PairHeader(id="pair-header")
        with Horizontal(id="pair-main"):
            yield PairConversation(id="pair-conversation")
            with Vertical(id="pair-side"):
                votes = ("pair.vote-a", "pair.vote-b", "pair.tie")
                keys = key_names(votes, PAIR_BINDINGS, getattr(self.app, "keymap", {}))
                yield PairVotePanel(keys, id="pair-vote-panel")
                yield PairJudgePanel(id="pair-judge-panel")
        yield KeyBar(id="key-bar")

    def on_mount(self) -> None:
        """Open at the reviewer's first comparison with a turn left to vote on."""
        self._fit(self.app.size.width)
        view = self.session.start()
        self.progress = self.session.progress()
        self._open(view, turn=view.first_unvoted(self.session.filter.turns) if view else None)

    def help_rows(self) -> list[tuple[str, str]]:
        """The rows of the ? help screen, as remapped by ``--keys`` (the palette has each key's
        full sentence)."""
        keymap = getattr(self.app, "keymap", {})
        bindings = [*PAIR_BINDINGS, *APP_BINDINGS]
        rows = [(key_names(ids, bindings, keymap), text) for ids, text in HELP_ROWS]
        scroll = key_names(SCROLL_IDS, bindings, keymap, sep=" ")
        rows.insert(-2, (scroll, "scroll the answers"))
        return rows

    def help_mouse(self) -> str:
        """What the mouse does here, for the ? help."""
        return "Mouse: click a turn to focus it, click A, B or tie to vote."

    # -- moving ----------------------------------------------------------------------

    def action_switch_turn(self) -> None:
        """Focus the other turn (only the filtered turn when the filter names one)."""
        turns = self.session.filter.turns
        at = turns.index(self.turn) if self.turn in turns else -1
        self.turn = turns[(at + 1) % len(turns)]

    def on_pair_turn_block_selected(self, event: PairTurnBlock.Selected) -> None:
        """A click on a turn's text focuses it."""
        self.turn = event.turn

    def on_turn_vote_selected(self, event: TurnVote.Selected) -> None:
        """A click on a turn's vote row focuses it."""
        self.turn = event.turn

    def _go(self, view: PairView | None, when_none: str, turn: int | None = None) -> None:
        """Open ``view``, or say why there is nowhere to go."""
        if view is None:
            say(self, when_none)
            return
        self._open(view, turn=turn)

    def action_next(self) -> None:
        """The next comparison."""
        self._go(self.session.next(), "End of the queue")

    def action_previous(self) -> None:
        """The previous comparison."""
        self._go(self.session.previous(), "Start of the queue")

    def action_next_unvoted(self) -> None:
        """The next turn without this reviewer's vote."""
        current = self.view.item if self.view else None
        found = self.session.next_unvoted(self.view, self.turn)
        if found is None:
            say(self, "Every turn in this queue has your vote")
            return
        view, turn = found
        if view.item == current:
            self.turn = turn
        else:
            self._open(view, turn=turn)

    def action_goto(self) -> None:
        """Jump to a question id."""

        def jump(question_id: int | None) -> None:
            if question_id is not None:
                message = f"No question {question_id} in this queue"
                self._go(self.session.goto(question_id), message)

        example = self.view.item.question_id if self.view else None
        self.app.push_screen(GotoDialog(example), jump)

    # -- filtering and modes -------------------------------------------------------------

    def action_filter(self) -> None:
        """Edit the queue filter."""
        content = self.session.store.content
        models = None if self.hide_models else content.models()

        def apply(new_filter: PairFilter | None) -> None:
            if new_filter is not None:
                self._refilter(new_filter)

        dialog = PairFilterDialog(self.session.filter, content.categories(), models)
        self.app.push_screen(dialog, apply)

    def _refilter(self, new_filter: PairFilter) -> None:
        """Apply a filter, staying on the current comparison (and turn) when it still matches."""
        current = self.view.item if self.view else None
        view = self.session.refilter(new_filter)
        self.progress = self.session.progress()
        stays = view is not None and view.item == current and self.turn in new_filter.turns
        self._open(view, turn=self.turn if stays else None)

    def action_disagreement_order(self) -> None:
        """Toggle the disagreement queue: voted comparisons, most opposed to the judge first."""
        on_now = not self.session.filter.by_disagreement
        self._refilter(replace(self.session.filter, by_disagreement=on_now))
        if on_now:
            total = self.session.total
            say(self, f"Disagreement queue: {total} voted comparisons, most opposed first")
        else:
            say(self, "Back to question order")

    def compare_with(self, judge: str) -> None:
        """Compare votes with another pair judge from now on, staying on this comparison."""
        self.view = self.session.compare_with(judge)
        self.progress = self.session.progress()
        say(self, f"Comparing votes with {judge}")

    def action_toggle_blind(self) -> None:
        """Hide or show the judge's verdict on turns without a vote."""
        self.blind = not self.blind
        on = "Blind mode on: verdicts appear after you vote"
        say(self, on if self.blind else "Blind mode off")

    def action_toggle_reference(self) -> None:
        """Show or hide the reference answer under each turn."""
        self.show_reference = not self.show_reference
        if self.show_reference and self.view is not None and self.view.reference_turns() is None:
            say(self, "This question has no reference answer")

    def action_scroll(self, how: str) -> None:
        """Scroll the answers (they never take the focus)."""
        c = self.query_one(PairConversation)
        moves = {
            "up": c.scroll_up,
            "down": c.scroll_down,
            "page_up": c.scroll_page_up,
            "page_down": c.scroll_page_down,
            "home": c.scroll_home,
            "end": c.scroll_end,
        }
        moves[how](animate=False)

    def action_stats(self) -> None:
        """Open the statistics screen."""
        from mtbench_tui.ui.screens.stats import StatsScreen

        self.app.push_screen(StatsScreen(self.session.store))
