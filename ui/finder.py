"""Widgets for "Find money for your plan": the tapped questionnaire, filters, result cards with
reasons, and a fund's details. The rules live in steunwijzer.matching; this only draws."""

from __future__ import annotations

import gc
import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from urllib.parse import quote

import streamlit as st

from steunwijzer import forms, funds, i18n, matching
from steunwijzer.errors import InvalidInput
from steunwijzer.i18n import N_
from steunwijzer.matching import (
    LEGAL_ENTITY_CHOICES,
    OTHER_MUNICIPALITY,
    OTHER_MUNICIPALITY_LABEL,
    TARGET_GROUP_LABELS,
    THEME_LABELS,
    FinderFilters,
    FundIndex,
    FundingProfile,
    Kind,
    Match,
)
from steunwijzer.models import (
    KEY_FACTS,
    TARGET_GROUPS,
    THEMES,
    FactSource,
    Form,
    Fund,
    FundStatus,
    HelpKind,
    SourceKind,
    pick,
)
from ui import browser, menu
from ui.shell import PageContext
from ui.text import md

PROFILE_KEY = "funding_profile"       # FundingProfile.model_dump(mode="json"); the application page copies it
START_FUND_KEY = "start_fund_id"      # read by the application page
_MEMORY_KEY = "_finder_memory"        # answers and filters, kept while other pages are open
_OPEN_KEY = "_finder_open"            # ids of the funds whose details are shown
_SHOWN_KEY = "_finder_shown"          # how many cards each list shows
_FRESH_KEY = "_finder_fresh"          # counts the answers given: new results scroll into view
PAGE_SIZE = 15
MARKS = {Kind.fit: ":green[✓]", Kind.caution: ":orange[⚠]", Kind.deal_breaker: ":red[✗]"}
FILTER_AMOUNTS = ("0", "500", "1500", "5000", "25000")


# ---- data --------------------------------------------------------------------------------------

@st.cache_resource(max_entries=4, show_spinner=False)
def _fund_index(_db, url: str, version: str) -> FundIndex:
    with _db.session() as s:
        index = FundIndex(funds.all_funds(s))
    # The index lives as long as the process: keep the garbage collector from walking its
    # objects on every collection (measured: that caused the ~100 ms outliers with 10,000 funds).
    gc.collect()
    gc.freeze()
    return index


def fund_index(ctx: PageContext) -> FundIndex:
    """The catalogue prepared for matching, rebuilt only when the catalogue changes (one cheap
    query per run decides that)."""
    with ctx.db.session() as s:
        version = funds.catalogue_version(s)
    return _fund_index(ctx.db, ctx.db.url, version)


def profile_form() -> Form:
    return forms.load_form("funding_profile")


def saved_profile() -> FundingProfile | None:
    data = st.session_state.get(PROFILE_KEY)
    if not data:
        return None
    try:
        return FundingProfile.model_validate(data)
    except ValueError:
        return None


# ---- remembering answers across reruns and pages -------------------------------------------------
# Streamlit forgets a widget's value when a run does not draw it (another page, the form folded
# away). We keep our own copy and hand it back before the widget is drawn.

def _memory() -> dict:
    return st.session_state.setdefault(_MEMORY_KEY, {})


def _recall(key: str, default) -> None:
    if key not in st.session_state:
        st.session_state[key] = _memory().get(key, default)


def _keep(*keys: str) -> None:
    memory = _memory()
    for key in keys:
        if key in st.session_state:
            memory[key] = st.session_state[key]


# ---- the questionnaire ---------------------------------------------------------------------------

def _band_label(ctx: PageContext, label: str, value: str) -> str:
    band = matching.parse_band(value)
    return ctx.gettext(label).format(
        low=matching.format_euros(band.low, ctx.locale),
        high=matching.format_euros(band.high, ctx.locale) if band.high is not None else "")


def _ask(ctx: PageContext, question, widget, **kwargs):
    value = widget(ctx.gettext(question.text), key=f"fp_{question.id}", **kwargs)
    if question.help:
        st.caption(ctx.gettext(question.help))
    return value


def questionnaire(ctx: PageContext, form: Form, index: FundIndex) -> None:
    """The six questions, all tappable, in one form. On "Show the funds that fit" the profile is
    saved in st.session_state["funding_profile"] and the page starts again to show the results."""
    _ = ctx.gettext
    q = {question.id: question for question in form.questions}
    places = matching.municipality_choices(index.funds, ctx.settings.municipality)
    defaults = {"fp_themes": [], "fp_municipality": places[0] if len(places) > 1 else None, "fp_amount": None,
                "fp_amount_exact": "", "fp_legal_entity": None, "fp_target_groups": [], "fp_needed_by": None}
    for key, default in defaults.items():
        _recall(key, default)

    with st.form("funding_profile_form", border=True):
        _ask(ctx, q["themes"], st.pills, options=list(THEMES), selection_mode="multi",
             format_func=lambda t: _(THEME_LABELS[t]))
        _ask(ctx, q["municipality"], st.pills, options=places, selection_mode="single",
             format_func=lambda m: _(OTHER_MUNICIPALITY_LABEL) if m == OTHER_MUNICIPALITY else md(m))  # pill labels are Markdown
        amount_labels = {c.value: _band_label(ctx, c.label, c.value) for c in q["amount"].choices}
        _ask(ctx, q["amount"], st.pills, options=list(amount_labels), selection_mode="single", format_func=amount_labels.get)
        st.text_input(_("Or type the amount (you can skip this)"), key="fp_amount_exact", max_chars=20,
                      placeholder=i18n.money_example(ctx.locale))
        legal_labels = {c.value: _(c.label) for c in q["legal_entity"].choices}
        _ask(ctx, q["legal_entity"], st.segmented_control, options=list(legal_labels), format_func=legal_labels.get)
        _ask(ctx, q["target_groups"], st.pills, options=list(TARGET_GROUPS), selection_mode="multi",
             format_func=lambda g: _(TARGET_GROUP_LABELS[g]))
        when_labels = {c.value: _(c.label) for c in q["needed_by"].choices}
        _ask(ctx, q["needed_by"], st.pills, options=list(when_labels), selection_mode="single", format_func=when_labels.get)
        submitted = st.form_submit_button(_("Show the funds that fit"), type="primary", icon=":material/search:",
                                          key="fp_submit", use_container_width=True)
    _keep(*defaults)
    if not submitted:
        return

    state = st.session_state
    exact = (state.get("fp_amount_exact") or "").strip()
    try:
        amount = i18n.parse_money(exact, ctx.locale) if exact else None
    except InvalidInput as exc:
        ctx.error(exc)
        return
    profile = FundingProfile(
        themes=state.get("fp_themes") or [],
        municipality=state.get("fp_municipality"),
        amount_eur=amount,
        amount_band=state.get("fp_amount"),
        legal_entity=LEGAL_ENTITY_CHOICES.get(state.get("fp_legal_entity") or "not_sure"),
        target_groups=state.get("fp_target_groups") or [],
        needed_by=matching.needed_by_from_choice(state.get("fp_needed_by"), date.today()),
    )
    state[PROFILE_KEY] = profile.model_dump(mode="json")
    state[_OPEN_KEY] = set()
    state[_FRESH_KEY] = state.get(_FRESH_KEY, 0) + 1  # new results: the page scrolls to their top
    st.rerun()  # draw the results with the answers folded away


# ---- filters -------------------------------------------------------------------------------------

def filters(ctx: PageContext) -> FinderFilters:
    """Filters over the matched list, folded away until wanted."""
    _ = ctx.gettext
    defaults = {"ff_themes": [], "ff_region": "all", "ff_amount": "0", "ff_no_legal_entity": False, "ff_spoken": False,
                "ff_deadline": "all"}
    for key, default in defaults.items():
        _recall(key, default)
    state = st.session_state
    # A fixed title: a changing one would fold the expander away at every tap.
    with st.expander(_("Filter the list"), icon=":material/filter_list:"):
        st.pills(_.pgettext("what the plan is about", "Subject"), list(THEMES), selection_mode="multi", key="ff_themes", format_func=lambda t: _(THEME_LABELS[t]))
        regions = {"all": _("Everywhere"), "local": _("Only funds for one area"), "national": _("Only funds for the whole country")}
        st.segmented_control(_("Where"), list(regions), key="ff_region", format_func=regions.get)
        amounts = {v: (_("Any amount") if v == "0" else matching.format_euros(Decimal(v), ctx.locale)) for v in FILTER_AMOUNTS}
        st.segmented_control(_("The fund gives at least"), list(amounts), key="ff_amount", format_func=amounts.get)
        st.toggle(_("Only funds you can ask without a foundation"), key="ff_no_legal_entity")
        st.toggle(_("Only funds where you can tell your plan out loud"), key="ff_spoken")
        deadlines = {"all": _("Any deadline"), "open": _("Open now"), "any_time": _("Apply at any time")}
        st.segmented_control(_("Deadline"), list(deadlines), key="ff_deadline", format_func=deadlines.get)
    _keep(*defaults)
    amount = state.get("ff_amount") or "0"
    return FinderFilters(
        themes=state.get("ff_themes") or [],
        region=state.get("ff_region") or "all",
        min_amount_eur=Decimal(amount) if amount != "0" else None,
        no_legal_entity=bool(state.get("ff_no_legal_entity")),
        spoken=bool(state.get("ff_spoken")),
        deadline=state.get("ff_deadline") or "all",
    )


# ---- results -------------------------------------------------------------------------------------

def _first_sentence(text: str | None) -> str:
    if not text:
        return ""
    return re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=1)[0]


def _reason_lines(ctx: PageContext, reasons) -> str:
    return "  \n".join(f"{MARKS[r.kind]} {md(matching.reason_text(r, ctx.gettext, ctx.locale))}" for r in reasons)


def _toggle_open(fund_id: str) -> None:
    opened = st.session_state.setdefault(_OPEN_KEY, set())
    opened.symmetric_difference_update({fund_id})


def _show_more(section: str) -> None:
    shown = st.session_state.setdefault(_SHOWN_KEY, {})
    shown[section] = shown.get(section, PAGE_SIZE) + PAGE_SIZE


def results(ctx: PageContext, matches: list[Match], chosen: FinderFilters, index: FundIndex | None = None) -> None:
    """Cards: first the funds that may fit, then those that probably do not, with the reasons.
    With the index, a successor's card names the closed funds it replaced."""
    _ = ctx.gettext
    replaced = index.replaced if index is not None else {}
    shown = matching.filter_matches(matches, chosen)
    hidden = len(matches) - len(shown)
    fitting = [m for m in shown if m.eligible]
    other = [m for m in shown if not m.eligible]
    with st.container(key="results_top"):  # the summary first: on a phone the page scrolls here
        if fitting:
            st.subheader(_.ngettext("{count} fund may fit your plan", "{count} funds may fit your plan",
                                    len(fitting)).format(count=len(fitting)))
            st.markdown(_("The best fit: **{fund}**").format(fund=md(fitting[0].fund.name)))
        elif shown:
            st.subheader(_("No fund fits your plan well"))
        if hidden:
            st.caption(_.ngettext("Your filters hide {count} fund.", "Your filters hide {count} funds.",
                                  hidden).format(count=hidden))
    browser.scroll_to_top_of(".st-key-results_top", when=st.session_state.get(_FRESH_KEY, 0))
    if not shown:
        st.info(_("No funds match these filters. Remove a filter to see more."), icon=":material/filter_list_off:")
        return
    if fitting:
        st.caption(_("The best fit comes first. ✓ fits your plan, ⚠ check this first."))
    _card_list(ctx, "fitting", fitting, replaced)
    if other:
        st.subheader(_.ngettext("{count} fund probably does not fit", "{count} funds probably do not fit",
                                len(other)).format(count=len(other)))
        st.caption(_("✗ shows why. If you think it does fit, ask the fund."))
        _card_list(ctx, "other", other, replaced)


def _card_list(ctx: PageContext, section: str, matches: list[Match], replaced: dict[str, list[Fund]]) -> None:
    limit = st.session_state.get(_SHOWN_KEY, {}).get(section, PAGE_SIZE)
    for match in matches[:limit]:
        _card(ctx, match, replaced.get(match.fund.id, []))
    if len(matches) > limit:
        st.button(ctx.gettext("Show more funds"), key=f"more_{section}", on_click=_show_more, args=(section,),
                  icon=":material/expand_more:")


def _card(ctx: PageContext, match: Match, replaced: list[Fund]) -> None:
    """A fund that may fit: name, one line, amount, ✓ and ⚠. One that does not: name and ✗ only.
    Every card says when its facts were checked, and marks facts to check with the fund."""
    _ = ctx.gettext
    fund = match.fund
    opened = fund.id in st.session_state.get(_OPEN_KEY, set())
    with st.container(border=True, key=f"fund_{fund.id}"):
        st.subheader(md(fund.name), anchor=False)
        st.caption(" · ".join([md(fund.provider), md(matching.fund_amount_text(fund, _, ctx.locale)),
                               md(_("fit {score} of 100").format(score=match.score))]))
        if match.eligible:
            summary = fund_text(ctx, fund.summary)
            st.markdown(md(summary if opened else _first_sentence(summary)))
            st.markdown(_reason_lines(ctx, [*match.fits, *match.cautions]))
        else:
            st.markdown(_reason_lines(ctx, match.deal_breakers))
        checked_line(ctx, fund)
        st.button(_("Hide details") if opened else _("Details"), key=f"details_{fund.id}", on_click=_toggle_open,
                  args=(fund.id,), icon=":material/expand_less:" if opened else ":material/info:")
        if opened:
            if not match.eligible:
                st.markdown(_reason_lines(ctx, [*match.fits, *match.cautions]))
            fund_detail(ctx, fund, with_summary=not match.eligible, replaced=replaced)


# ---- a fund's details ----------------------------------------------------------------------------

FACT_LABELS = {"amount": N_("Amount"), "who_may_apply": N_("Who may apply"), "area": N_("Where"), "deadline": N_("Deadline")}
SOURCE_KIND_LABELS = {SourceKind.fund_page: N_("the fund's own page"), SourceKind.regulation: N_("the official regulation"),
                      SourceKind.news: N_("a news report"), SourceKind.third_party: N_("another website about funds")}
HELP_LABELS = {HelpKind.phone: N_("Phone"), HelpKind.office_hours: N_("Consultation hours"), HelpKind.advisers: N_("Advisers"),
               HelpKind.email: N_("E-mail")}
CHECK_WITH_FUND = N_("Check this with the fund")
assert set(FACT_LABELS) == set(KEY_FACTS)


def fund_text(ctx: PageContext, texts: dict | None) -> str:
    """A catalogue text in the reader's language (or a fallback), amounts written the reader's way.
    Plain text: pass it through md() before it reaches Markdown."""
    return matching.catalogue_text(pick(texts, ctx.locale), ctx.locale)


_URL_SAFE = ":/?#&=%+@,;~!$*'"  # not ( ) < > [ ] or spaces: those could end or break the link


def _link(label: str, url: str) -> str:
    """A Markdown link with an escaped label and a destination that cannot end early."""
    return f"[{md(label)}]({quote(url, safe=_URL_SAFE)})"


def _heading(text: str) -> None:
    st.markdown(f"**{md(text)}**")


def checked_line(ctx: PageContext, fund: Fund) -> None:
    """'Checked on 7 December 2026 · source', with ⚠ "check this with the fund" when a key fact is
    older than a year or no source could confirm it."""
    _ = ctx.gettext
    if not fund.facts:
        st.caption(md(_("Checked on {date}").format(date=ctx.day(fund.last_checked))))
        return
    oldest = min(fund.facts.values(), key=lambda f: f.checked)
    due = any(funds.fact_is_due(f, date.today()) for f in fund.facts.values())
    parts = [md(_("Checked on {date}").format(date=ctx.day(oldest.checked))), _link(_("Source"), str(oldest.url))]
    if due:
        parts.append(":orange[⚠ " + md(_(CHECK_WITH_FUND)) + "]")
    st.caption(" · ".join(parts))


def _fact_line(ctx: PageContext, name: str, fact: FactSource) -> str:
    _ = ctx.gettext
    parts = [f"**{md(_(FACT_LABELS[name]))}**", md(_("checked on {date}").format(date=ctx.day(fact.checked))),
             _link(_(SOURCE_KIND_LABELS[fact.kind]), str(fact.url))]
    if fact.source_date:
        parts.append(md(_("source from {year}").format(year=fact.source_date[:4])))
    if funds.fact_is_due(fact, date.today()):
        parts.append(":orange[⚠ " + md(_(CHECK_WITH_FUND)) + "]")
    return " · ".join(parts)


def _status_text(ctx: PageContext, fund: Fund, replaced: Sequence[Fund]) -> str:
    _ = ctx.gettext
    if fund.status is FundStatus.open:
        if replaced:
            return _("Open for applications. It replaces: {names}.").format(names=", ".join(f.name for f in replaced))
        return _("Open for applications")
    if fund.status_since is not None:
        return _("Closed since {date}").format(date=ctx.day(fund.status_since))
    return _("Closed")


def _deadline_text(ctx: PageContext, fund: Fund) -> str:
    _ = ctx.gettext
    parts = []
    note = fund_text(ctx, fund.deadline_text)
    if fund.any_time and not note:  # the catalogue's own words say more than "any time"
        parts.append(_("You can apply at any time."))
    elif fund.next_deadline is not None:
        parts.append(_("Next deadline: {date}.").format(date=ctx.day(fund.next_deadline)))
    if note:
        parts.append(note)
    return " ".join(parts) or _("We don't know. Check the fund's website.")


def help_routes(ctx: PageContext, fund: Fund) -> None:
    """"Call for help": the people a group can ask, with phone numbers that dial on a phone."""
    if not fund.help:
        return
    _ = ctx.gettext
    _heading(_("Call for help"))
    lines = []
    for route in fund.help:
        parts = [f"**{md(_(HELP_LABELS[route.kind]))}**", md(route.who)]
        if route.phone:
            parts.append(_link(route.phone, "tel:" + re.sub(r"[^0-9+]", "", route.phone)))
        if route.email:
            parts.append(_link(route.email, "mailto:" + route.email))
        if route.url:
            parts.append(_link(_("Website"), str(route.url)))
        hours = fund_text(ctx, route.hours)
        if hours:
            parts.append(md(hours))
        lines.append("- " + " · ".join(parts))
    st.markdown("\n".join(lines))


def fund_detail(ctx: PageContext, fund: Fund, with_summary: bool = True, replaced: Sequence[Fund] = ()) -> None:
    """How to apply, step by step; what to have ready; what the fund asks afterwards; help; where
    the facts come from; the link; and "Prepare my application". Catalogue text is shown as text."""
    _ = ctx.gettext
    st.divider()
    if ctx.locale not in fund.how_to_apply:
        st.caption(_("This fund's information is not yet in your language. We show it in another language."))
    if with_summary:
        st.markdown(md(fund_text(ctx, fund.summary)))
    facts = [(_("Amount"), matching.fund_amount_text(fund, _, ctx.locale)), (_("Where"), fund.region),
             (_("Deadline"), _deadline_text(ctx, fund)), (_("Status"), _status_text(ctx, fund, replaced))]
    st.markdown("  \n".join(f"**{md(label)}:** {md(value)}" for label, value in facts))

    _heading(_("How to apply, step by step"))
    steps = pick(fund.how_to_apply, ctx.locale) or []
    st.markdown("\n".join(f"{n}. {md(matching.catalogue_text(step, ctx.locale))}" for n, step in enumerate(steps, start=1)))

    _heading(_("What you need to have ready"))
    needs = pick(fund.what_you_need, ctx.locale)
    st.markdown("\n".join(f"- {md(matching.catalogue_text(item, ctx.locale))}" for item in needs) if needs
                else md(_("The fund does not say. Ask the fund.")))

    _heading(_("What the fund asks afterwards"))
    st.markdown(md(fund_text(ctx, fund.accountability) or _("The fund does not say. Ask the fund.")))

    help_routes(ctx, fund)

    if fund.facts:
        _heading(_("Where these facts come from"))
        st.markdown("\n".join("- " + _fact_line(ctx, name, fund.facts[name]) for name in KEY_FACTS if name in fund.facts))

    st.link_button(_("Website of the fund"), str(fund.url), icon=":material/open_in_new:")
    if fund.in_app:
        st.write(_("You can apply for this fund right here. You can type or speak, in your own language."))
    else:
        st.write(_("This fund does not take applications in Steunwijzer. We help you write your application. "
                   "You get a Word file to send to the fund."))
    if st.button(_("Prepare my application"), key=f"prepare_{fund.id}", type="primary", icon=":material/edit_note:"):
        st.session_state[START_FUND_KEY] = fund.id
        st.switch_page(menu.APPLICATION)
