"""Page shell: every page starts with `page_setup(...)`.

It sets the locale (browser language as first guess, the choice kept for the session), turns the
layout right-to-left for Arabic, draws the translated menu, and stops officer pages for anyone
who is not logged in. A page opened directly by its URL runs this too, so it is exactly as safe.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Callable

import streamlit as st

from steunwijzer import auth, i18n
from steunwijzer.config import LOCALES, Settings
from steunwijzer.errors import SteunwijzerError
from steunwijzer.models import Officer
from sqlalchemy.orm import Session

from steunwijzer.store import Database
from ui import menu, resources
from ui.text import md

LOCALE_KEY = "locale"
OFFICER_KEY = "officer"
OFFICER_SEEN_KEY = "officer_seen"

# Every paragraph and field takes its direction from its own first letter, so an Arabic answer
# reads right-to-left on a Dutch page and a Dutch answer left-to-right on an Arabic page.
# Captions (help texts, examples) get a darker grey: Streamlit's own failed axe-core's contrast check.
BASE_CSS = """
<style>
.stMain textarea, .stMain input, .stMain [data-testid="stMarkdownContainer"] p { unicode-bidi: plaintext; }
[data-testid="stCaptionContainer"] { color: #4b5058 !important; opacity: 1 !important; }
</style>
"""

RTL_CSS = """
<style>
.stMain, [data-testid="stSidebar"] { direction: rtl; }
.stMain p, .stMain h1, .stMain h2, .stMain h3, .stMain label, .stMain li,
[data-testid="stSidebar"] p, [data-testid="stSidebar"] label, [data-testid="stSidebar"] span { text-align: right; }
</style>
"""


@dataclass
class PageContext:
    """What a page needs: the locale and its translations, the database, settings, the officer."""

    locale: str
    gettext: Callable[[str], str]
    db: Database
    settings: Settings
    officer: Officer | None

    @property
    def rtl(self) -> bool:
        return i18n.is_rtl(self.locale)

    def money(self, amount: Decimal | int | None) -> str:
        return i18n.format_money(amount, self.locale)

    def day(self, value: date | None) -> str:
        return i18n.format_day(value, self.locale)

    def local(self, value: datetime | None) -> datetime | None:
        """A stored (naive UTC) moment in the municipality's time zone (STEUNWIJZER_TIMEZONE)."""
        return i18n.to_timezone(value, self.settings.timezone)

    def moment(self, value: datetime | None) -> str:
        return i18n.format_moment(self.local(value), self.locale)

    def error(self, exc: SteunwijzerError) -> None:
        st.error(exc.translated(self.gettext), icon=":material/error:")

    def attempt(self, action: Callable[[Session], object]) -> bool:
        """Run `action(session)` as one unit of work. A refusal from the core is shown in the
        user's language and nothing is stored; returns whether it worked."""
        try:
            with self.db.session() as session:
                action(session)
        except SteunwijzerError as exc:
            self.error(exc)
            return False
        return True


def current_locale(settings: Settings) -> str:
    """The session's language: chosen before, else ?lang=, else the browser's, else the default."""
    chosen = st.session_state.get(LOCALE_KEY)
    if chosen in LOCALES:
        return chosen
    guess = st.query_params.get("lang") or _browser_locale()
    locale = i18n.normalize_locale(guess, settings.locale)
    st.session_state[LOCALE_KEY] = locale
    return locale


def _browser_locale() -> str | None:
    try:
        return st.context.locale
    except Exception:  # no browser context (AppTest, scripts)
        return None


def _language_label(gettext: Callable[[str], str]) -> str:
    """'Taal · Language': also findable by someone who cannot read the current language."""
    here = gettext("Language")
    return here if here == "Language" else f"{here} · Language"


def _pick_language() -> None:
    st.session_state[LOCALE_KEY] = st.session_state["_language_picker"]


def language_picker(locale: str, gettext: Callable[[str], str], where=st.sidebar) -> None:
    st.session_state["_language_picker"] = locale
    where.selectbox(
        _language_label(gettext),
        options=list(LOCALES),
        format_func=i18n.native_name,
        key="_language_picker",
        on_change=_pick_language,
    )


def _pick_language_button() -> None:
    chosen = st.session_state.get("_language_buttons")
    if chosen in LOCALES:
        st.session_state[LOCALE_KEY] = chosen


def language_buttons(ctx: "PageContext") -> None:
    """All languages as buttons in their own script, on the page itself: on a phone the sidebar
    is closed, and someone who reads no Dutch must still find their language at once."""
    st.session_state["_language_buttons"] = ctx.locale
    st.segmented_control(_language_label(ctx.gettext), list(LOCALES), format_func=i18n.native_name,
                         key="_language_buttons", on_change=_pick_language_button, label_visibility="collapsed")


def sso_configured() -> bool:
    """Single sign-on (OIDC through st.login) is on when .streamlit/secrets.toml has [auth]."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _officer_from_sso() -> Officer | None:
    """The officer account whose username is the e-mail address the identity provider gave."""
    if not sso_configured() or not st.user.get("is_logged_in"):
        return None
    email = str(st.user.get("email") or "")
    db = resources.database()
    try:
        with db.session() as s:
            officer = auth.get_officer(s, email)
            from steunwijzer import audit

            audit.record(s, officer.username, "officer.login_sso")
    except SteunwijzerError:
        st.session_state["_sso_unknown"] = email
        return None
    st.session_state[OFFICER_KEY] = officer.model_dump()
    st.session_state[OFFICER_SEEN_KEY] = time.time()
    return officer


def current_officer(settings: Settings) -> Officer | None:
    data = st.session_state.get(OFFICER_KEY)
    if not data:
        return _officer_from_sso()
    idle = time.time() - st.session_state.get(OFFICER_SEEN_KEY, 0)
    if idle > settings.officer_session_minutes * 60:
        logout()
        st.session_state["_logged_out_idle"] = True
        return None
    st.session_state[OFFICER_SEEN_KEY] = time.time()
    return Officer.model_validate(data)


def logout() -> None:
    st.session_state.pop(OFFICER_KEY, None)
    st.session_state.pop(OFFICER_SEEN_KEY, None)
    if sso_configured() and st.user.get("is_logged_in"):
        st.logout()


def _login_form(ctx: PageContext) -> None:
    _ = ctx.gettext
    st.header(_("Log in for officers"))
    if st.session_state.pop("_logged_out_idle", False):
        st.info(_("You were logged out because you were inactive for a while."))
    if sso_configured():
        unknown = st.session_state.pop("_sso_unknown", None)
        if unknown is not None:
            st.error(_("{email} has no officer account in Steunwijzer. Ask an administrator to add it.").format(email=md(unknown)))
        st.button(_("Log in with your organisation account"), on_click=st.login, type="primary", icon=":material/badge:")
        st.caption(_("Or log in with a Steunwijzer account:"))
    with st.form("officer_login"):
        username = st.text_input(_("Username"), max_chars=64)
        password = st.text_input(_("Password"), type="password", max_chars=256)
        submitted = st.form_submit_button(_("Log in"), type="primary")
    if submitted:
        try:
            with ctx.db.session() as s:
                officer = auth.login(s, username, password)
        except SteunwijzerError as exc:
            ctx.error(exc)
        else:
            st.session_state[OFFICER_KEY] = officer.model_dump()
            st.session_state[OFFICER_SEEN_KEY] = time.time()
            st.rerun()


def _sidebar(ctx: PageContext) -> None:
    _ = ctx.gettext
    with st.sidebar:
        language_picker(ctx.locale, _)
        role = None if ctx.officer is None else ("admin" if ctx.officer.is_admin else "officer")
        for item in menu.visible_items(role):
            st.page_link(item.path, label=_(item.label), icon=item.icon)
        st.divider()
        if ctx.officer is None:
            st.page_link(menu.OFFICER_LOGIN_PAGE, label=_("Log in for officers"), icon=":material/login:")
        else:
            st.caption(_("Logged in as {name}").format(name=md(ctx.officer.username)))
            if st.button(_("Log out"), key="_logout"):
                logout()
                st.rerun()


def page_setup(title: str, role: str | None = None, layout: str = "centered") -> PageContext:
    """Start a page. `title` is an English msgid; `role` is None, "officer" or "admin"."""
    settings = resources.settings()
    locale = current_locale(settings)
    gettext = i18n.gettext_for(locale)
    st.set_page_config(page_title=f"{gettext(title)} · Steunwijzer", page_icon=":material/explore:", layout=layout)
    st.html(BASE_CSS + (RTL_CSS if i18n.is_rtl(locale) else ""))
    ctx = PageContext(locale=locale, gettext=gettext, db=resources.database(), settings=settings,
                      officer=current_officer(settings))
    _sidebar(ctx)
    if role is not None and ctx.officer is None:
        _login_form(ctx)
        st.stop()
    if role == "admin" and ctx.officer is not None and not ctx.officer.is_admin:
        st.error(gettext("Only administrators can open this page."))
        st.stop()
    return ctx
