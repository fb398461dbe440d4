"""Issue 13 in AppTest: the inbox page (needs action, filters that stay and can be saved, batch
actions on selected rows) and the review page (notes, advice, four eyes, warnings, two officers
at once, what changed between versions, the report's total and the retention notice)."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from streamlit.testing.v1 import AppTest

from steunwijzer import applications, auth, cases, funds, reports, review
from steunwijzer.config import get_settings
from steunwijzer.i18n import gettext_for
from steunwijzer.models import Officer, Status
from steunwijzer.store import Database
from tests.app.conftest import APP
from tests.factories import send

nl = gettext_for("nl")
ANNA, BRAM = Officer(username="anna-cases"), Officer(username="bram-cases")


@pytest.fixture(scope="module")
def world():
    db = Database(get_settings().sqlalchemy_url)
    db.migrate()
    with db.session() as s:
        funds.save_funds(s, funds.demo_catalogue())
        existing = {o.username for o in auth.list_officers(s)}
        for officer in (ANNA, BRAM):
            if officer.username not in existing:
                auth.add_officer(s, officer.username, "a long password for cases")
    yield db
    db.dispose()


def new_case(db, name: str, amount: str = "1400") -> int:
    key = get_settings().resolved_secret_key()
    with db.session() as s:
        app, _ = applications.start(s, "initiatievenfonds-voorbeeld", "nl", key)
        applications.save_answer(s, app.id, "group_name", name)
        applications.save_answer(s, app.id, "amount_asked", Decimal(amount))
        send(s, app.id)
    return app.id


def run_page(page, officer, state=None, at=None):
    if at is None:
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.session_state["locale"] = "nl"
        at.session_state["officer"] = officer.model_dump()
    at.session_state["officer_seen"] = time.time()
    for k, v in (state or {}).items():
        at.session_state[k] = v
    at.switch_page(page)
    return at.run()


def button(at, label):
    return next(b for b in at.button if b.label == label)


def test_inbox_needs_action_by_default_search_and_filters_stay_after_opening_a_case(world):
    app_id = new_case(world, "Inbox Zonnebloem")
    at = run_page("pages/5_officer_queue.py", ANNA)
    assert not at.exception, at.exception
    assert at.session_state["q_view"] == "needs_action"
    table = at.dataframe[0].value
    assert {nl("Number"), nl("Needs action"), nl("Unread"), nl("Answer promised by"), nl("Age (days)")} <= set(table.columns)
    at.text_input(key="q_text").input(f"#{app_id}").run()
    table = at.dataframe[0].value
    assert table[nl("Group")].tolist() == ["Inbox Zonnebloem"] and table[nl("Needs action")].tolist() == [nl("New")]
    assert table[nl("Unread")].tolist() == ["●"]
    assert any(nl("Times are in the time zone {zone}.").format(zone="Europe/Amsterdam") in c.value
               for c in at.caption)
    # away to the case and back: the search is still there, and the case is read now
    at = run_page("pages/6_officer_review.py", ANNA, {"review_id": app_id}, at=at)
    assert at.title[0].value.endswith("Inbox Zonnebloem")
    at = run_page("pages/5_officer_queue.py", ANNA, at=at)
    assert at.text_input(key="q_text").value == f"#{app_id}"
    assert at.dataframe[0].value[nl("Unread")].tolist() == [""]


def test_saved_filter_comes_back_by_name(world):
    at = run_page("pages/5_officer_queue.py", ANNA)
    at.text_input(key="q_text").input("Zonnebloem").run()
    at.toggle(key="q_mine").set_value(True).run()
    at.text_input(key="q_save_name").input("Mijn zonnebloemen").run()
    at.button(key="q_save").click().run()
    assert not at.error
    at.text_input(key="q_text").input("").run()
    at.toggle(key="q_mine").set_value(False).run()
    at.selectbox(key="q_saved").set_value("Mijn zonnebloemen").run()
    assert at.text_input(key="q_text").value == "Zonnebloem" and at.toggle(key="q_mine").value is True
    with world.session() as s:
        assert "Mijn zonnebloemen" in cases.saved_filters(s, ANNA) and "Mijn zonnebloemen" not in cases.saved_filters(s, BRAM)


def test_batch_take_and_mark_read_on_selected_rows(world):
    first, second = new_case(world, "Batch Een"), new_case(world, "Batch Twee")
    at = run_page("pages/5_officer_queue.py", BRAM)
    at.text_input(key="q_text").input("Batch").run()
    at.session_state["q_table"] = {"selection": {"rows": [0, 1], "columns": []}}
    at.run()
    assert any(nl.ngettext("{n} selected", "{n} selected", 2).format(n=2) in c.value for c in at.caption)
    button(at, nl("Take")).click().run()
    assert not at.error, [e.value for e in at.error]
    at.session_state["q_table"] = {"selection": {"rows": [0, 1], "columns": []}}
    at.run()
    button(at, nl("Mark read")).click().run()
    with world.session() as s:
        rows, _ = review.queue(s, BRAM, review.QueueFilter(view="all", text="Batch"))
        assert {r.id: (r.assigned_to, r.unread) for r in rows} == {first: ("bram-cases", False), second: ("bram-cases", False)}
        mine, _ = review.queue(s, BRAM, review.QueueFilter(view="all", mine=True, text="Batch"))
        assert len(mine) == 2


def test_grant_above_ask_and_maximum_needs_reason_and_waits_for_a_second_officer(world):
    app_id = new_case(world, "Vier Ogen", amount="1400")
    at = run_page("pages/6_officer_review.py", ANNA, {"review_id": app_id})
    at.radio[0].set_value("grant").run()
    next(t for t in at.text_input if t.label == nl("Amount granted")).input("9.000").run()
    warnings = [w.value for w in at.warning]
    assert any(nl("This is more than the group asked for.") in w for w in warnings)
    assert any(nl("This is more than the fund's maximum.") in w for w in warnings)
    button(at, nl("Save the decision")).click().run()
    assert at.error[0].value == nl("This grant is more than asked or more than the fund's maximum. Confirm it with a reason.")
    at.text_area(key="confirm_reason").input("Twee buurten samen").run()
    button(at, nl("Save the decision")).click().run()
    assert not at.error, [e.value for e in at.error]
    with world.session() as s:
        assert applications.load(s, app_id).status == Status.awaiting_approval
    assert at.info[-1].value == nl("A second officer must approve this grant. You proposed it yourself.") or any(
        i.value == nl("A second officer must approve this grant. You proposed it yourself.") for i in at.info)
    second = run_page("pages/6_officer_review.py", BRAM, {"review_id": app_id})
    button(second, nl("Approve the grant (second officer)")).click().run()
    assert not second.error
    with world.session() as s:
        app = applications.load(s, app_id)
        assert app.status == Status.granted and app.decision.approved_by == "bram-cases"


def test_two_officers_deciding_at_once_the_second_is_told(world):
    app_id = new_case(world, "Tegelijk")
    anna = run_page("pages/6_officer_review.py", ANNA, {"review_id": app_id})
    bram = run_page("pages/6_officer_review.py", BRAM, {"review_id": app_id})
    anna.radio[0].set_value("grant").run()
    next(t for t in anna.text_input if t.label == nl("Amount granted")).input("1.000").run()
    bram.radio[0].set_value("refuse").run()
    next(t for t in bram.text_area if t.label == nl("Own reason (optional; the group reads it as you write it)")).input("Past niet").run()
    button(anna, nl("Save the decision")).click().run()
    assert not anna.error and not anna.warning
    button(bram, nl("Save the decision")).click().run()
    told = nl("Another officer changed this application a moment ago (it is now: {status}). Nothing was saved. "
              "Look at it again.").format(status=nl("Granted"))
    assert told in [w.value for w in bram.warning] + [e.value for e in bram.error]
    with world.session() as s:
        assert applications.load(s, app_id).decision.officer == "anna-cases"


def test_notes_and_second_opinion_on_the_case(world):
    app_id = new_case(world, "Notitie")
    at = run_page("pages/6_officer_review.py", ANNA, {"review_id": app_id})
    next(t for t in at.text_area if t.label == nl("Private note")).input("Ken de groep van vorig jaar")
    button(at, nl("Save the note")).click().run()
    assert any("Ken de groep van vorig jaar" in m.value for m in at.markdown)
    next(t for t in at.text_area if t.label == nl("Your question to the colleague")).input("Is dit redelijk?")
    next(s for s in at.selectbox if s.label == nl("Colleague")).set_value("bram-cases")
    button(at, nl("Ask for advice")).click().run()
    assert not at.error
    inbox = run_page("pages/5_officer_queue.py", BRAM)
    assert any("Is dit redelijk" in w.value for w in inbox.warning)
    review_page = run_page("pages/6_officer_review.py", BRAM, {"review_id": app_id})
    next(t for t in review_page.text_area if t.label == nl("Your advice")).input("Ja, prima")
    button(review_page, nl("Give my advice")).click().run()
    with world.session() as s:
        assert [n.kind for n in cases.notes(s, ANNA, app_id)] == ["note", "advice_request", "advice"]


def test_a_changed_version_shows_what_changed_and_keeps_the_number(world):
    app_id = new_case(world, "Versie Groep", amount="800")
    with world.session() as s:
        review.ask_group(s, ANNA, app_id, None, "Wat kost de zaal?")
        new = applications.new_version(s, app_id)
        applications.save_answer(s, new.id, "amount_asked", Decimal("950"))
        send(s, new.id)
    at = run_page("pages/6_officer_review.py", ANNA, {"review_id": app_id})  # the old number opens the case
    assert not at.exception
    assert at.title[0].value.startswith(f"\\#{app_id}")
    assert any(nl.ngettext("Version {n}: the group changed {count} answer.", "Version {n}: the group changed {count} answers.", 1).format(n=2, count=1) in w.value for w in at.warning)
    assert any("Wat kost de zaal" in m.value for m in at.markdown)  # the thread came along


def test_report_total_and_retention_notice(world):
    from steunwijzer.models import Decision

    app_id = new_case(world, "Verslag Groep", amount="6000")
    with world.session() as s:  # above the fund's maximum: a reason and a second officer
        review.decide(s, ANNA, app_id, Decision(outcome="grant", amount_eur=Decimal("6000"), payment="advance",
                                                report_tier="spending"), confirm_reason="Groot buurtfeest")
        review.approve_decision(s, BRAM, app_id)
        form = reports.report_form("spending")
        given = {}
        for q in form.questions:
            if q.type == "spending":
                lines = reports.planned_spending(applications.load(s, app_id))
                given[q.id] = {"raw": reports.spending_raw(lines, ["350"] * len(lines))}
            elif q.type in ("short_text", "long_text"):
                given[q.id] = {"raw": "Goed gegaan"}
            elif q.type == "people":
                given[q.id] = {"raw": "20"}
        import io

        from PIL import Image

        buffer = io.BytesIO()
        Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
        reports.add_photo(s, app_id, buffer.getvalue(), "image/png", "bon.png", 10_000_000)
        reports.send_report(s, app_id, given, "nl")
    at = run_page("pages/6_officer_review.py", ANNA, {"review_id": app_id})
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[nl("Spent")].replace("\xa0", " ").endswith("350,00"), metrics
    assert metrics[nl("Granted")].replace("\xa0", " ").endswith("6.000,00"), metrics
    button(at, nl("Approve the report and close the grant")).click().run()
    assert any(nl("The report is approved. The retention period started on {start}: the personal data of this "
                  "application will be deleted on {date}.").split("{")[0] in m.value for m in at.success)


def test_the_group_cancels_its_change_and_the_sent_version_counts_again(world):
    app_id = new_case(world, "Buurtgroep Terug")
    with world.session() as s:
        new = applications.new_version(s, app_id)
        applications.save_answer(s, new.id, "amount_asked", Decimal("2000"))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["locale"] = "nl"
    at.session_state["application_id"] = new.id
    at.switch_page("pages/2_application.py")
    at.run()
    assert [e.label for e in at.expander if e.label == nl("Cancel my change")]
    [b for b in at.button if b.label == nl("Yes, cancel my change")][0].click().run()
    assert not at.exception and not at.error
    assert at.session_state["application_id"] == app_id
    assert at.success[0].value == nl("Your change was cancelled. The application you sent before counts again.")
    with world.session() as s:
        app = applications.load(s, app_id)
        assert app.status == Status.submitted and app.answers["amount_asked"].value == Decimal("1400.00")
