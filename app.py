"""Home: what Steunwijzer is, and three doors."""

import streamlit as st

import ui
import ui.alerts
from ui import menu
from steunwijzer.i18n import N_

ctx = ui.page_setup(N_("Home"))
_ = ctx.gettext

DOORS = (
    (menu.FIND_FUNDING, ":material/search:", N_("Find money for your plan"),
     N_("Answer a few questions. We show which funds fit your group, and why.")),
    (menu.APPLICATION, ":material/edit_note:", N_("Continue my application"),
     N_("Write or say your plan. Use your code to go on where you stopped.")),
    (menu.REPORT, ":material/task_alt:", N_("Tell how it went"),
     N_("You got money? Tell us in a few sentences what you did.")),
)

ui.alerts.handle_link(ctx)  # ?alert=confirm|stop|seen&token=… from a fund-alert mail
st.title("Steunwijzer")
st.markdown("### " + _("Money for your group's plan: find it, ask for it, and tell how it went."))
st.write(_("For groups of volunteers and residents, also without a foundation. Type or speak, in your own language."))

for path, icon, title, text in DOORS:
    with st.container(border=True):
        st.subheader(_(title))
        st.write(_(text))
        st.page_link(path, label=_(title), icon=icon, use_container_width=True)

if ctx.officer is None:
    st.page_link(menu.OFFICER_LOGIN_PAGE, label=_("Log in for officers"), icon=":material/login:")
st.caption(ctx.settings.municipality)
