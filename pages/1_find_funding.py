"""Find money for your plan: six tapped questions, then the funds that fit, with the reasons."""

import streamlit as st

import ui
from steunwijzer import matching
from steunwijzer.i18n import N_
from ui import alerts, finder

ctx = ui.page_setup(N_("Find money for your plan"))
_ = ctx.gettext
form = finder.profile_form()
index = finder.fund_index(ctx)

st.title(_("Find money for your plan"))
st.write(_(form.intro))
if not len(index):
    st.info(_("There are no funds yet. An officer can add them."))
    st.stop()

answered = finder.saved_profile() is not None
with st.expander(_("Your answers"), expanded=not answered, icon=":material/checklist:"):
    finder.questionnaire(ctx, form, index)

profile = finder.saved_profile()
if profile is None:
    st.stop()
matches = matching.match_funds(profile, index)
chosen = finder.filters(ctx)
finder.results(ctx, matches, chosen, index)
alerts.signup(ctx, profile)
