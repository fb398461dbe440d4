"""Labels (English msgids) for values the core keeps as codes; pages and documents translate them.
Status labels live with the workflow table (steunwijzer.workflow)."""

from steunwijzer.i18n import N_

PAYMENT_LABELS = {"advance": N_("In advance"), "after_report": N_("After the report")}
# The decision as the group reads it: one whole sentence per way of paying
GRANT_SENTENCES = {None: N_("You get {amount}."), "advance": N_("You get {amount}. We pay it in advance."),
                   "after_report": N_("You get {amount}. We pay it after your report.")}
# What the group is asked to send, as whole sentences (the report page)
TIER_REQUESTS = {
    "story": N_("Tell us in a short story how it went."),
    "spending": N_("Tell us in a short story how it went and what you spent."),
    "full": N_("Tell us how it went and what you spent. Add the receipts or a list of costs."),
}
TIER_LABELS = {
    "story": N_("A short story of how it went"),
    "spending": N_("A short story and what was spent"),
    "full": N_("A story, the spending, and receipts or a financial statement"),
}
