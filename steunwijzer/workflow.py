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
    change = "change"                # the group makes a new version after sending (the old one is kept)
    resend = "resend"                # the group sends its changed application (a new version)
    cancel_change = "cancel_change"  # the new version is dropped before it was sent ...
    restore = "restore"              # ... and the version sent before counts again
    propose = "propose"              # a grant that needs four eyes waits for a second officer
    approve_decision = "approve_decision"      # the second officer agrees: the grant stands
    send_back_decision = "send_back_decision"  # the second officer (or the first) takes the proposal back
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
    # Versions keep the thread: the group changes a sent application in a new version of the same
    # case; the old version stays for the diff and the history, but is no case of its own.
    Status.changing: StatusInfo(
        N_("The group is changing its application"),
        N_("You are changing your application. Send it again when you are ready.")),
    Status.superseded: StatusInfo(N_("Older version"), N_("This is an older version of your application."), in_queue=False),
    Status.awaiting_approval: StatusInfo(
        N_("Decision waiting for a second officer"),
        N_("Your application was sent. An officer will read it. You will hear from us within 4 weeks.")),
}


@dataclass(frozen=True)
class Move:
    action: Action
    sources: frozenset[Status]
    target: Status | None            # None: the status stays (the action changes something else)
    actors: frozenset[Actor]
    label: str                       # msgid of the button or history line
    outcome: Outcome | None = None   # for `decide`: which outcome this move stands for
    needs: str | None = None         # what the officers must do after this move (a key of NEEDS)
    second_officer: bool = False     # only an officer other than the one who proposed may do it


_OPEN = frozenset({Status.submitted, Status.waiting_for_group})
_DECIDED = frozenset({Status.granted, Status.refused, Status.referred})  # a report not yet sent
_GROUP, _OFFICER, _SYSTEM = frozenset({"group"}), frozenset({"officer"}), frozenset({"system"})

_CHANGING = frozenset({Status.changing})
_PENDING = frozenset({Status.awaiting_approval})

# What needs an officer's action after a move (the inbox). "overdue" is not a move: the queue
# computes it from the report's due date.
NEEDS: dict[str, str] = {
    # TRANSLATORS: what needs an officer's action: a new application (an adjective, in the queue)
    "new": N_("New"),
    "changed": N_("The group changed its application"),
    "answered": N_("The group answered your question"),
    "report": N_("Report sent"),
    "overdue": N_("Report overdue"),
    "second_officer": N_("Decision waiting for a second officer"),
    "sent_back": N_("Proposed decision sent back"),
    "change_not_sent": N_("The change was not sent"),
}

MOVES: tuple[Move, ...] = (
    Move(Action.edit, frozenset({Status.draft}) | _CHANGING, None, _GROUP, N_("Change an answer")),
    Move(Action.submit, frozenset({Status.draft}), Status.submitted, _GROUP, N_("Send my application"), needs="new"),
    Move(Action.ask, _OPEN, Status.waiting_for_group, _OFFICER, N_("Ask the group a question")),
    Move(Action.answer, frozenset({Status.waiting_for_group}), Status.submitted, _GROUP, N_("Send my answer"),
         needs="answered"),
    # TRANSLATORS: an officer's decision: give the group the money it asked for (a verb, on a button)
    Move(Action.decide, _OPEN, Status.granted, _OFFICER, N_("Grant"), Outcome.grant),
    # TRANSLATORS: an officer's decision: do not give the money (a verb, on a button)
    Move(Action.decide, _OPEN, Status.refused, _OFFICER, N_("Refuse"), Outcome.refuse),
    Move(Action.decide, _OPEN, Status.referred, _OFFICER, N_("Refer to another fund or service"), Outcome.refer),
    *(Move(Action.correct, _DECIDED, target, _OFFICER, N_("Correct the decision"), outcome)
      for target, outcome in ((Status.granted, Outcome.grant), (Status.refused, Outcome.refuse), (Status.referred, Outcome.refer))),
    # Four eyes, also when a decision is corrected into a large grant.
    Move(Action.propose, _OPEN | _DECIDED, Status.awaiting_approval, _OFFICER, N_("Grant"), Outcome.grant,
         needs="second_officer"),
    Move(Action.approve_decision, _PENDING, Status.granted, _OFFICER, N_("Approve the grant (second officer)"),
         second_officer=True),
    # Sent back: open again, or (a correction) back to the decision that still stands.
    *(Move(Action.send_back_decision, _PENDING, target, _OFFICER, N_("Send the proposed grant back"), needs="sent_back")
      for target in (Status.submitted, Status.granted, Status.refused, Status.referred)),
    # The old version is kept as "older version"; the new one is the case from now on.
    Move(Action.change, _OPEN, Status.superseded, _GROUP, N_("Change my application")),
    # Sent again: back to the officer, or still waiting for the group when a question is open.
    Move(Action.resend, _CHANGING, Status.submitted, _GROUP, N_("Send my application"), needs="changed"),
    Move(Action.resend, _CHANGING, Status.waiting_for_group, _GROUP, N_("Send my application"), needs="changed"),
    # A change not sent: by the group, or by the retention when nobody touched it for the draft
    # period (never sent on the group's behalf). The version sent before is back where it was.
    Move(Action.cancel_change, _CHANGING, None, _GROUP | _SYSTEM, N_("Cancel my change")),
    *(Move(Action.restore, frozenset({Status.superseded}), target, _GROUP | _SYSTEM,
           N_("The change was not sent. The version sent before counts again."), needs=needs)
      for target, needs in ((Status.submitted, "change_not_sent"), (Status.waiting_for_group, None))),
    Move(Action.report, frozenset({Status.granted}), Status.report_submitted, _GROUP, N_("Send my report"), needs="report"),
    Move(Action.approve_report, frozenset({Status.report_submitted}), Status.closed, _OFFICER,
         N_("Approve the report and close the grant")),
    Move(Action.ask_about_report, frozenset({Status.report_submitted}), Status.granted, _OFFICER,
         N_("Ask the group a question about the report")),
    # Forgetting ends whatever was going on; an application that had ended keeps its status.
    *(Move(action, sources, target, actors, label) for action, actors, label in (
        (Action.delete, _OFFICER, N_("Delete this application at the group's request")),
        (Action.purge, _SYSTEM, N_("Deleted after the retention period")))
      for sources, target in (
        (frozenset({Status.draft}) | _OPEN | _CHANGING | _PENDING, Status.withdrawn),
        (frozenset({Status.granted, Status.report_submitted}), Status.closed),
        (frozenset({Status.refused, Status.referred, Status.closed, Status.withdrawn, Status.superseded}), None))),
)


def _status(app_or_status) -> Status:
    return Status(getattr(app_or_status, "status", app_or_status))


def find_move(app_or_status, action: Action | str, outcome: Outcome | str | None = None,
              target: Status | str | None = None) -> Move | None:
    """The move `action` (with `outcome` for a decision, `target` where one action has several
    targets) from the application's status, if any."""
    status, action = _status(app_or_status), Action(action)
    outcome = Outcome(outcome) if outcome is not None else None
    target = Status(target) if target is not None else None
    for move in MOVES:
        if (move.action == action and status in move.sources and (outcome is None or move.outcome == outcome)
                and (target is None or move.target == target)):
            return move
    return None


def may(app_or_status, action: Action | str, actor: Actor | None = None) -> bool:
    """Whether `action` may happen now (and, when given, whether `actor` may do it)."""
    move = find_move(app_or_status, action)
    return move is not None and (actor is None or actor in move.actors)


def decided_status(outcome: Outcome | str) -> Status:
    """The status a final decision with this outcome gives."""
    return find_move(Status.submitted, Action.decide, outcome).target


def officer_label(status: Status | str) -> str:
    return STATUSES[Status(status)].officer_label


def group_text(app_or_status) -> str | None:
    """What the group reads about its application (msgid). A correction that waits for a second
    officer is no decision yet: the group reads about the decision that stands."""
    status = _status(app_or_status)
    standing = getattr(app_or_status, "standing_decision", None)
    if status == Status.awaiting_approval and standing is not None:
        status = decided_status(standing.outcome)
    return STATUSES[status].group_text


def may_second(proposer: str | None, officer: str) -> bool:
    """Four eyes: the approving officer is not the one who proposed."""
    return bool(proposer) and proposer != officer


def needs_label(key: str | None) -> str | None:
    return NEEDS.get(key) if key else None


FINISHED = frozenset(s for s, info in STATUSES.items() if info.finished)
IN_QUEUE = tuple(s for s, info in STATUSES.items() if info.in_queue)
UNDECIDED = frozenset({Status.submitted, Status.waiting_for_group, Status.changing, Status.awaiting_approval})


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
