"""The workflow as one table: every status of an application, what it is called for officers and
for the group, and every action that may happen from it — who may do it, and where it leads.

Pages ask `may(app, action)` instead of comparing statuses; the core moves an application only
through `step()` (in steunwijzer.applications), which looks its move up here. The report has its
own small table below. Labels are English msgids, translated where they are shown."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from steunwijzer.i18n import N_
from steunwijzer.models import Outcome, Status


class Action(StrEnum):
    edit = "edit"                    # change answers of a draft
    submit = "submit"                # send the application
    ask = "ask"                      # an officer asks the group a question
    answer = "answer"                # the group answers the open question
    decide = "decide"                # grant, refuse or refer (the outcome picks the target)
    correct = "correct"              # a new decision replaces the last one (it keeps its own letter)
    change = "change"                # the group makes a new version after sending
    report = "report"                # the group writes and sends its report
    approve_report = "approve_report"
    ask_about_report = "ask_about_report"
    delete = "delete"                # forget at the group's request
    purge = "purge"                  # forget after the retention period


Actor = str  # "group", "officer" or "system"


@dataclass(frozen=True)
class StatusInfo:
    officer_label: str               # msgid, precise
    group_text: str | None           # msgid, B1, what the group reads about its application
    finished: bool = False           # the retention clock starts when an application gets here
    in_queue: bool = True            # officers see it


STATUSES: dict[Status, StatusInfo] = {
    Status.draft: StatusInfo(N_("Draft"), None, in_queue=False),
    Status.submitted: StatusInfo(
        N_("Sent, waiting for the officer"),
        N_("Your application was sent. An officer will read it. You will hear from us within 4 weeks.")),
    Status.waiting_for_group: StatusInfo(
        N_("Waiting for the group"), N_("The officer has a question for you. Please answer it below.")),
    Status.granted: StatusInfo(N_("Granted"), N_("Good news: your application was granted.")),
    Status.refused: StatusInfo(N_("Refused"), N_("Your application was not granted."), finished=True),
    Status.referred: StatusInfo(
        N_("Referred"), N_("Your application was passed on to another fund or service."), finished=True),
    Status.report_submitted: StatusInfo(N_("Report sent"), N_("Thank you for telling us how it went.")),
    Status.closed: StatusInfo(N_("Closed"), N_("This application is finished."), finished=True),
    Status.withdrawn: StatusInfo(
        N_("Withdrawn"), N_("This application was replaced or withdrawn."), finished=True),
}


@dataclass(frozen=True)
class Move:
    action: Action
    sources: frozenset[Status]
    target: Status | None            # None: the status stays (the action changes something else)
    actors: frozenset[Actor]
    label: str                       # msgid of the button or history line
    outcome: Outcome | None = None   # for `decide`: which outcome this move stands for


_OPEN = frozenset({Status.submitted, Status.waiting_for_group})
_DECIDED = frozenset({Status.granted, Status.refused, Status.referred})  # a report not yet sent
_GROUP, _OFFICER, _SYSTEM = frozenset({"group"}), frozenset({"officer"}), frozenset({"system"})

MOVES: tuple[Move, ...] = (
    Move(Action.edit, frozenset({Status.draft}), None, _GROUP, N_("Change an answer")),
    Move(Action.submit, frozenset({Status.draft}), Status.submitted, _GROUP, N_("Send my application")),
    Move(Action.ask, _OPEN, Status.waiting_for_group, _OFFICER, N_("Ask the group a question")),
    Move(Action.answer, frozenset({Status.waiting_for_group}), Status.submitted, _GROUP, N_("Send my answer")),
    Move(Action.decide, _OPEN, Status.granted, _OFFICER, N_("Grant"), Outcome.grant),
    Move(Action.decide, _OPEN, Status.refused, _OFFICER, N_("Refuse"), Outcome.refuse),
    Move(Action.decide, _OPEN, Status.referred, _OFFICER, N_("Refer to another fund or service"), Outcome.refer),
    *(Move(Action.correct, _DECIDED, target, _OFFICER, N_("Correct the decision"), outcome)
      for target, outcome in ((Status.granted, Outcome.grant), (Status.refused, Outcome.refuse), (Status.referred, Outcome.refer))),
    Move(Action.change, _OPEN, Status.withdrawn, _GROUP, N_("Change my application")),
    Move(Action.report, frozenset({Status.granted}), Status.report_submitted, _GROUP, N_("Send my report")),
    Move(Action.approve_report, frozenset({Status.report_submitted}), Status.closed, _OFFICER,
         N_("Approve the report and close the grant")),
    Move(Action.ask_about_report, frozenset({Status.report_submitted}), Status.granted, _OFFICER,
         N_("Ask the group a question about the report")),
    # Forgetting ends whatever was going on; an application that had ended keeps its status.
    *(Move(action, sources, target, actors, label) for action, actors, label in (
        (Action.delete, _OFFICER, N_("Delete this application at the group's request")),
        (Action.purge, _SYSTEM, N_("Deleted after the retention period")))
      for sources, target in (
        (frozenset({Status.draft}) | _OPEN, Status.withdrawn),
        (frozenset({Status.granted, Status.report_submitted}), Status.closed),
        (frozenset({Status.refused, Status.referred, Status.closed, Status.withdrawn}), None))),
)


def _status(app_or_status) -> Status:
    return Status(getattr(app_or_status, "status", app_or_status))


def find_move(app_or_status, action: Action | str, outcome: Outcome | str | None = None) -> Move | None:
    """The move `action` (with `outcome` for a decision) from the application's status, if any."""
    status, action = _status(app_or_status), Action(action)
    outcome = Outcome(outcome) if outcome is not None else None
    for move in MOVES:
        if move.action == action and status in move.sources and (outcome is None or move.outcome == outcome):
            return move
    return None


def may(app_or_status, action: Action | str, actor: Actor | None = None) -> bool:
    """Whether `action` may happen now (and, when given, whether `actor` may do it)."""
    move = find_move(app_or_status, action)
    return move is not None and (actor is None or actor in move.actors)


def officer_label(status: Status | str) -> str:
    return STATUSES[Status(status)].officer_label


def group_text(status: Status | str) -> str | None:
    return STATUSES[Status(status)].group_text


FINISHED = frozenset(s for s, info in STATUSES.items() if info.finished)
IN_QUEUE = tuple(s for s, info in STATUSES.items() if info.in_queue)


# ---- the report's own table ------------------------------------------------------------------

class ReportState(StrEnum):
    due = "draft"          # stored as "draft": the group is writing it
    submitted = "submitted"
    approved = "approved"


REPORT_MOVES: dict[Action, tuple[frozenset[ReportState], ReportState]] = {
    Action.report: (frozenset({ReportState.due}), ReportState.submitted),
    Action.approve_report: (frozenset({ReportState.submitted}), ReportState.approved),
    Action.ask_about_report: (frozenset({ReportState.submitted}), ReportState.due),
}


def report_target(state: ReportState | str, action: Action) -> ReportState | None:
    sources, target = REPORT_MOVES[action]
    return target if ReportState(state) in sources else None
