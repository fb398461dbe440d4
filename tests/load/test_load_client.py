"""bench/bench_load.py's websocket client, with 3 sessions at once against a real server: every
journey must finish and every application must be in the database, sent, with all its answers.
(No timings are asserted; the figures are in the README.)"""

from __future__ import annotations

from decimal import Decimal

from deploy.replicas import start_streamlit, stop
from tests.load.conftest import bench_load, run_async, submitted_applications


def test_three_sessions_send_three_whole_applications(app_env):
    proc, url = start_streamlit(app_env)
    try:
        result = run_async(bench_load.run_load(url, 3, [proc.pid], prefix="Rot check"))
    finally:
        stop(proc)

    assert result.errors == []
    assert result.finished == 3
    # open + Start + code box + the fields of 11 screens with their "Save and go on" + consent + Send
    fields = sum(len(v) for v in bench_load.ANSWERS.values())
    assert len(result.clicks) == 3 * (2 + fields + bench_load.SCREENS + 2)
    assert result.cpu > 0 and result.memory_mb > 0

    found = submitted_applications(app_env, "Rot check")
    assert sorted(row.group_name for row, _ in found) == ["Rot check 3-0", "Rot check 3-1", "Rot check 3-2"]
    for row, answers in found:
        assert row.status == "submitted" and row.consent_at is not None and row.submitted_at is not None
        assert row.amount_asked == Decimal("400")
        assert {a.question_id for a in answers} == {"group_name", "who_you_are", "plan", "why", "when_where", "participants",
                                                     "budget", "amount_asked", "other_support", "contact", "bank"}
        budget = next(a for a in answers if a.question_id == "budget").value["budget"]
        assert [(line["item"], Decimal(line["amount"])) for line in budget] == [("Room rent", 300), ("Books and pencils", 150)]
