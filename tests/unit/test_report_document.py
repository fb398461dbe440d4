"""The report .docx from the page and from the command line is one function (bugs 3 and 4)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from decimal import Decimal

from docx import Document
from PIL import Image

from steunwijzer import applications, funds, reports, review
from steunwijzer.models import Decision, Officer
from tests.factories import send

ADMIN = Officer(username="admin", is_admin=True)


def _text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _reported(db) -> int:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "JPEG")
    with db.session() as s:
        funds.save_funds(s, funds.demo_catalogue())
        app, _ = applications.start(s, "initiatievenfonds-voorbeeld", "nl", b"k")
        send(s, app.id)
        review.decide(s, ADMIN, app.id, Decision(outcome="grant", amount_eur=Decimal("400"), payment="advance"))
        reports.add_photo(s, app.id, buffer.getvalue(), "image/jpeg", "buurtfeest.jpg", 10_000_000)
        given = {"what_happened": {"raw": "We kookten samen."}, "people_reached": {"raw": "30"}, "went_well": {"raw": "Alles."}}
        reports.send_report(s, app.id, given, "nl")
    return app.id


def test_photos_are_captioned_by_their_name_not_their_type(db):
    app_id = _reported(db)
    with db.session() as s:
        text = _text(reports.report_document(s, app_id, "en"))
    assert "buurtfeest.jpg" in text and "image/jpeg" not in text


def test_the_command_line_report_shows_the_questions_not_their_ids(db, tmp_path):
    app_id = _reported(db)
    out = tmp_path / "r.docx"
    env = {**os.environ, "STEUNWIJZER_DATABASE_URL": db.url}
    done = subprocess.run([sys.executable, "-m", "steunwijzer", "render", "report", "--id", str(app_id), "--locale", "en",
                           "-o", str(out)], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    text = _text(out.read_bytes())
    assert "What went well?" in text or "went well" in text.lower()
    assert "went_well" not in text and "people_reached" not in text
