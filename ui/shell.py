"""Page shell: every page starts with `page_setup(...)`.

It sets the locale (browser language as first guess, the choice kept for the session), turns the
layout right-to-left for Arabic, draws the translated menu, and stops officer pages for anyone
who is not logged in. A page opened directly by its URL runs this too, so it is exactly as safe.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Callable

import streamlit as st

from steunwijzer import audit, auth, i18n
from steunwijzer.config import LOCALES, Settings
from steunwijzer.errors import SessionEnded, SteunwijzerError
from steunwijzer.models import Officer
from sqlalchemy.orm import Session

from steunwijzer.store import Database
from ui import client, errors, menu, resources
from ui.text import md

LOCALE_KEY = "locale"
OFFICER_KEY = "officer"
OFFICER_SEEN_KEY = "officer_seen"
OFFICER_SINCE_KEY = "officer_since"
OFFICER_ALIVE_KEY = "_officer_alive"
SESSION_ENDED_KEY = "_session_ended"
PAGE_KEY = "_page_shown"
RUN_KEY = "_page_runs"  # whole runs of a page in this session (a fragment's run is not counted)

# Every paragraph and field takes its direction from its own first letter, so an Arabic answer
# reads right-to-left on a Dutch page and a Dutch answer left-to-right on an Arabic page.
# Captions (help texts, examples) get a darker grey: Streamlit's own failed axe-core's contrast check.
BASE_CSS = """
<style>
.stMain textarea, .stMain input, .stMain [data-testid="stMarkdownContainer"] p { unicode-bidi: plaintext; }
[data-testid="stCaptionContainer"] { color: #4b5058 !important; opacity: 1 !important; }
/* "Press Enter to apply" is English and not needed: answers are saved while typing. */
[data-testid="InputInstructions"] { display: none; }
/* Streamlit's upload box says "Drag and drop file here · Limit … per file" in English; a translated line sits under it. */
[data-testid="stFileUploaderDropzoneInstructions"] { display: none; }
/* Big enough to tap (WCAG 2.5.5: 44 × 44 px): buttons, the recorder's button, the language buttons, the menu toggle. */
.stMain button, [data-testid="stSidebar"] button, [data-testid="stAudioInput"] button,
[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapseButton"] button { min-height: 44px; min-width: 44px; }
[data-testid="stAudioInput"] button svg { width: 28px; height: 28px; }
[data-testid="stPageLink-NavLink"] { min-height: 44px; align-items: center; }
/* Menu items wrap instead of being cut off with "…" (a phone's menu is 300 px; Ukrainian labels are long). */
[data-testid="stPageLink-NavLink"] span, [data-testid="stPageLink-NavLink"] p { white-space: normal; overflow: visible; text-overflow: clip; line-height: 1.35; }
/* After a reload the start screen stays hidden for the moment the tab needs to open its application again (ui/browser_helper). */
body[data-steunwijzer-resuming] [data-testid="stMainBlockContainer"] { visibility: hidden; }
/* New finder results scroll to their summary: keep it clear of the bar at the top (menu button). */
.st-key-results_top { scroll-margin-top: 4.5rem; }
/* The browser helper's invisible parts (tab memory, saving while typing, scrolling) take no room. */
.st-key-_tab, .st-key-_autosave, .st-key-_scroll { position: absolute; width: 1px; height: 0; overflow: hidden; }
</style>
"""

RTL_CSS = """
<style>
.stMain, [data-testid="stSidebar"] { direction: rtl; }
.stMain p, .stMain h1, .stMain h2, .stMain h3, .stMain label, .stMain li,
[data-testid="stSidebar"] p, [data-testid="stSidebar"] label, [data-testid="stSidebar"] span { text-align: right; }
/* Streamlit draws its segmented buttons (the language buttons) for left to right: mirror their overlap and rounded ends */
.stMain button[data-variant="segmented_control"] { margin-right: 0 !important; margin-left: -1px !important; }
.stMain button[data-variant="segmented_control"]:first-of-type { border-radius: 0 8px 8px 0 !important; }
.stMain button[data-variant="segmented_control"]:last-of-type { border-radius: 8px 0 0 8px !important; margin-left: 0 !important; }
.stMain button[data-variant="segmented_control"]:first-of-type:last-of-type { border-radius: 8px !important; }
/* …and the border Streamlit hides next to the chosen one (it hides the one on the left, for left to right) */
.stMain button[data-variant="segmented_control"]:not([aria-checked="true"]) { border-color: rgba(47, 45, 43, 0.2) !important; }
.stMain button[data-variant="segmented_control"]:not([aria-checked="true"]):is(:hover, :focus-visible) { border-color: #1f6f5c !important; }
.stMain button[data-variant="segmented_control"][aria-checked="true"],
.stMain button[data-variant="segmented_control"]:is(:hover, :focus-visible) { position: relative; z-index: 1; }
/* list bullets and numbers on the right, inside the card (Streamlit indents lists on the left only) */
.stMain [data-testid="stMarkdownContainer"] li { margin-left: 0; margin-right: 1.15em; padding-left: 0; padding-right: 0.3em; }
/* icons that show a way to go point the way the page reads (the arrows are chosen per direction: PageContext.next_icon) */
.stMain [class*="st-key-send_"] [data-testid="stIconMaterial"], .stMain .st-key-start_application [data-testid="stIconMaterial"],
.stMain .st-key-stop_for_now [data-testid="stIconMaterial"] { transform: scaleX(-1); }
/* the progress bar fills from the right */
.stMain [data-testid="stProgress"] [role="progressbar"] { transform: scaleX(-1); }
</style>
"""


def _uploader_css(gettext: Callable[[str], str]) -> str:
    """Streamlit's upload button says "Upload" in English whatever the language; our words take
    its place on screen; ui.browser.save_while_typing sets the same words as the button's name."""
    label = gettext("Choose a file").replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return ("<style>[data-testid=\"stFileUploaderDropzone\"] button [data-testid=\"stMarkdownContainer\"] p { display: none; }"
            f"[data-testid=\"stFileUploaderDropzone\"] button [data-testid=\"stMarkdownContainer\"]::after {{ content: \"{label}\"; }}</style>")


@dataclass
class PageContext:
    """What a page needs: the locale and its translations, the database, settings, the officer."""

    locale: str
    gettext: Callable[[str], str]
    db: Database
    settings: Settings
    officer: Officer | None
    arrived: bool = True  # the first run of this page since another page (or the login) was shown
    run: int = 0          # the number of this whole run in the session

    @property
    def rtl(self) -> bool:
        return i18n.is_rtl(self.locale)

    @property
    def back_icon(self) -> str:
        """Arrows point the way the page reads: mirrored right to left."""
        return ":material/arrow_forward:" if self.rtl else ":material/arrow_back:"

    @property
    def next_icon(self) -> str:
        return ":material/arrow_back:" if self.rtl else ":material/arrow_forward:"

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
            audit.record(s, officer.username, "officer.login_sso")
    except SteunwijzerError:
        st.session_state["_sso_unknown"] = email
        return None
    st.session_state[OFFICER_KEY] = officer.model_dump()
    st.session_state[OFFICER_SEEN_KEY] = time.time()
    return officer


def _moment(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, timezone.utc).replace(tzinfo=None)


def _start_officer_session(officer: Officer) -> None:
    now = time.time()
    st.session_state[OFFICER_KEY] = officer.model_dump()
    st.session_state[OFFICER_SINCE_KEY] = now
    st.session_state[OFFICER_SEEN_KEY] = now
    # Download buttons build their file later, in another thread, where st.session_state cannot
    # be read; they keep this dict and see `open` turn False when the session ends.
    st.session_state[OFFICER_ALIVE_KEY] = {"open": True}


def current_officer(settings: Settings, db: Database | None = None) -> Officer | None:
    """The logged-in officer, read from the database on every rerun: only the username is kept
    in the session, never the permissions. Ends the session when it has been idle too long,
    is older than the absolute lifetime, or the account was disabled or removed."""
    data = st.session_state.get(OFFICER_KEY)
    if not data:
        return _officer_from_sso()
    now = time.time()
    if OFFICER_SINCE_KEY not in st.session_state:  # only a session seeded by a test or benchmark
        st.session_state[OFFICER_SINCE_KEY] = now
    st.session_state.setdefault(OFFICER_ALIVE_KEY, {"open": True})
    try:
        with (db or resources.database()).session() as s:
            officer = auth.session_officer(
                s, str(data.get("username", "")), _moment(st.session_state[OFFICER_SINCE_KEY]),
                _moment(st.session_state.get(OFFICER_SEEN_KEY, 0)), _moment(now),
                settings.officer_session_minutes, settings.officer_session_max_hours)
    except SessionEnded as exc:
        logout(reason=str(exc.params.get("reason", "ended")))
        st.session_state[SESSION_ENDED_KEY] = exc
        return None
    st.session_state[OFFICER_SEEN_KEY] = now
    st.session_state[OFFICER_KEY] = officer.model_dump()
    return officer


def session_snapshot() -> dict:
    """What a download button needs to check the session again when it is clicked."""
    return {"username": (st.session_state.get(OFFICER_KEY) or {}).get("username"),
            "since": st.session_state.get(OFFICER_SINCE_KEY, 0.0),
            "seen": st.session_state.get(OFFICER_SEEN_KEY, 0.0),
            "alive": st.session_state.get(OFFICER_ALIVE_KEY, {"open": False})}


def check_snapshot(snapshot: dict, db: Database, settings: Settings) -> Officer:
    """Raise SessionEnded unless the session of `snapshot` may still act (used off the script thread)."""
    if not snapshot["alive"].get("open") or not snapshot["username"]:
        raise SessionEnded("Your session has ended. Please log in again.")
    with db.session() as s:
        return auth.session_officer(s, snapshot["username"], _moment(snapshot["since"]), _moment(snapshot["seen"]),
                                    _moment(time.time()), settings.officer_session_minutes, settings.officer_session_max_hours)


def logout(reason: str = "button") -> None:
    data = st.session_state.pop(OFFICER_KEY, None)
    st.session_state.pop(OFFICER_SEEN_KEY, None)
    st.session_state.pop(OFFICER_SINCE_KEY, None)
    alive = st.session_state.pop(OFFICER_ALIVE_KEY, None)
    if alive is not None:
        alive["open"] = False
    if data and data.get("username"):
        with resources.database().session() as s:
            audit.record(s, data["username"], "officer.logout", reason=reason)
    if sso_configured() and st.user.get("is_logged_in"):
        st.logout()


def _login_form(ctx: PageContext) -> None:
    _ = ctx.gettext
    st.header(_("Log in for officers"))
    ended = st.session_state.pop(SESSION_ENDED_KEY, None)
    if ended is not None:
        st.info(ended.translated(_))
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
                officer = auth.login(s, username, password, client.client_address())
        except SteunwijzerError as exc:
            ctx.error(exc)
        else:
            _start_officer_session(officer)
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
                logout(reason="button")
                st.rerun()


def privacy_text(ctx: PageContext) -> str:
    """What we keep and for how long, as the retention job really does it (steunwijzer.retention)."""
    _ = ctx.gettext
    days = ctx.settings.retention_days
    if days % 365 == 0:
        when = _.ngettext("We delete them {years} year after your application is finished.",
                          "We delete them {years} years after your application is finished.", days // 365).format(years=days // 365)
    else:
        when = _.ngettext("We delete them {days} day after your application is finished.",
                          "We delete them {days} days after your application is finished.", days).format(days=days)
    return " ".join((_("We keep your answers and recordings only for your application. Officers of {municipality} read them.")
                     .format(municipality=md(ctx.settings.municipality)), when,
                     _("Do you want us to delete them sooner? Ask us.")))


def page_setup(title: str, role: str | None = None, layout: str = "centered") -> PageContext:
    """Start a page. `title` is an English msgid; `role` is None, "officer" or "admin"."""
    settings = resources.settings()
    locale = current_locale(settings)
    gettext = i18n.gettext_for(locale)
    errors.install()
    st.set_page_config(page_title=f"{gettext(title)} · Steunwijzer", page_icon="🧭", layout=layout)
    # volunteer pages: our words on the upload button (the browser helper gives it the same name
    # for assistive technology); officer pages keep Streamlit's "Upload"
    st.html(BASE_CSS + (RTL_CSS if i18n.is_rtl(locale) else "") + (_uploader_css(gettext) if role is None else ""))
    run = st.session_state[RUN_KEY] = st.session_state.get(RUN_KEY, 0) + 1
    ctx = PageContext(locale=locale, gettext=gettext, db=resources.database(), settings=settings,
                      officer=current_officer(settings, resources.database()), run=run)
    resources.transcription_worker()  # once per process: jobs left by a restart go on
    _sidebar(ctx)
    if st.query_params.get("lang") != locale:
        st.query_params["lang"] = locale  # a reload keeps the language
    if role is None:
        language_buttons(ctx)  # on every volunteer page: on a phone the sidebar is closed
    resources.freeze_after_startup()
    if role is not None and ctx.officer is None:
        st.session_state.pop(PAGE_KEY, None)
        _login_form(ctx)
        st.stop()
    if role == "admin" and ctx.officer is not None and not ctx.officer.is_admin:
        with ctx.db.session() as s:
            audit.record(s, ctx.officer.username, "page.refused", page=title)
        st.error(gettext("Only administrators can open this page."))
        st.stop()
    ctx.arrived = st.session_state.get(PAGE_KEY) != title
    st.session_state[PAGE_KEY] = title
    return ctx
