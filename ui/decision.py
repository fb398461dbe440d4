"""A decision, drawn the same way for the group and for the officer."""

from __future__ import annotations

from typing import assert_never

import streamlit as st

from steunwijzer.labels import PAYMENT_LABELS, TIER_LABELS
from steunwijzer.models import Decision, Outcome
from ui.shell import PageContext
from ui.text import md


def summary(ctx: PageContext, d: Decision, for_officer: bool = False) -> None:
    _ = ctx.gettext
    match d.outcome:
        case Outcome.grant:
            amount = ctx.money(d.amount_eur)
            line = _("Granted: {amount}").format(amount=amount) if for_officer else _("You get {amount}.").format(amount=amount)
            if d.payment:
                line += " " + _(PAYMENT_LABELS[d.payment])
            st.write(line)
            if d.conditions:
                st.markdown(_("Conditions:") + " " + md(d.conditions))
            if d.report_tier:
                st.write(_(TIER_LABELS[d.report_tier]))
        case Outcome.refuse:
            st.markdown(_("Reason:") + " " + md(d.reason or ""))
        case Outcome.refer:
            st.markdown(_("We passed your application on to: {name}").format(name=md(d.referred_to or "")))
        case _ as never:
            assert_never(never)
