"""Labels (English msgids) for values the core keeps as codes; pages and documents translate them.
Status labels live with the workflow table (steunwijzer.workflow)."""

from steunwijzer.i18n import N_

PAYMENT_LABELS = {"advance": N_("In advance"), "after_report": N_("After the report")}
TIER_LABELS = {
    "story": N_("A short story of how it went"),
    "spending": N_("A short story and what was spent"),
    "full": N_("A story, the spending, and receipts or a financial statement"),
}
