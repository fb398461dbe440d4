"""Labels (English msgids) for values the core keeps as codes; pages and documents translate them."""

from steunwijzer.i18n import N_

STATUS_LABELS = {
    "draft": N_("Draft"),
    "submitted": N_("Sent, waiting for the officer"),
    "waiting_for_group": N_("Waiting for the group"),
    "granted": N_("Granted"),
    "refused": N_("Refused"),
    "referred": N_("Referred"),
    "report_submitted": N_("Report sent"),
    "closed": N_("Closed"),
    "withdrawn": N_("Withdrawn"),
}

PAYMENT_LABELS = {"advance": N_("In advance"), "after_report": N_("After the report")}
TIER_LABELS = {
    "story": N_("A short story of how it went"),
    "spending": N_("A short story and what was spent"),
    "full": N_("A story, the spending, and receipts or a financial statement"),
}
