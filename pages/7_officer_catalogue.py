"""Admins: the fund catalogue — which funds this municipality handles, edit, archive, import, export."""

from datetime import date

import streamlit as st
import yaml

import ui
import ui.downloads
from steunwijzer import funds
from steunwijzer.errors import SteunwijzerError
from steunwijzer.i18n import N_
from ui import finder

ctx = ui.page_setup(N_("Fund catalogue"), role="admin", layout="wide")
_ = ctx.gettext
actor = ctx.officer.username

st.title(_("Fund catalogue"))
with ctx.db.session() as s:
    catalogue = funds.all_funds(s, include_archived=True)
    archived = funds.archived_ids(s)

today = date.today()
st.dataframe([{
    _("Id"): f.id, _("Fund name"): f.name, _("Region"): f.region,
    _("Status"): _("Open for applications") if f.is_open else _("Closed"),
    _("Handled in Steunwijzer"): "✓" if f.in_app else "",
    _("Archived"): "✓" if f.id in archived else "",
    _("Last checked"): ctx.day(f.last_checked),
    _("Check this with the fund"): ", ".join(_(finder.FACT_LABELS[name]) for name, fact in f.facts.items()
                                             if funds.fact_is_due(fact, today)),
} for f in catalogue], hide_index=True, use_container_width=True)
st.caption(_("Facts older than a year, or not confirmed by a source, are marked on the fund card. "
             "The command python -m steunwijzer funds check lists everything that is due."))

by_id = {f.id: f for f in catalogue}


def change_one_fund() -> None:
    st.subheader(_("Change one fund"))
    fund_id = st.selectbox(_("Fund"), list(by_id), format_func=lambda i: by_id[i].name)
    fund = by_id[fund_id]
    c1, c2 = st.columns(2)
    in_app = c1.toggle(_("Applications are handled in Steunwijzer"), value=fund.in_app, key=f"inapp_{fund_id}")
    is_archived = c2.toggle(_("Archived (not shown to groups)"), value=fund_id in archived, key=f"arch_{fund_id}")
    st.caption(_("All fields as YAML. Texts are per language (nl, en, ar, tr, pl, uk)."))
    text = st.text_area(_("Fund data"), value=funds.dump_catalogue([fund]), height=400, key=f"yaml_{fund_id}")
    if st.button(_("Save this fund"), type="primary", icon=":material/save:"):
        try:
            (edited,) = funds.parse_catalogue(text, source=fund_id)
            if edited.id != fund_id:
                raise SteunwijzerError("The id of a fund cannot be changed.")
            edited = edited.model_copy(update={"in_app": in_app})
            with ctx.db.session() as s:
                funds.save_funds(s, [edited], actor=actor, action="funds.edit")
                if is_archived != (fund_id in archived):
                    funds.set_archived(s, fund_id, is_archived, actor=actor)
        except (SteunwijzerError, ValueError) as exc:
            ctx.error(exc) if isinstance(exc, SteunwijzerError) else st.error(str(exc))
        else:
            st.success(_("Saved."))
            st.rerun()


if catalogue:
    change_one_fund()

st.subheader(_("Import and export"))
upload = st.file_uploader(_("Import funds from a YAML file (funds with the same id are replaced)"), type=["yaml", "yml"])
st.caption(_("Choose a file with the button above."))
if upload is not None and st.button(_("Import"), icon=":material/upload:"):
    try:
        if upload.size > 5 * 1024 * 1024:
            raise SteunwijzerError("This file is too large.")
        imported = funds.parse_catalogue(upload.getvalue().decode("utf-8", errors="replace"), source=upload.name)
        with ctx.db.session() as s:
            funds.save_funds(s, imported, actor=actor)
    except SteunwijzerError as exc:
        ctx.error(exc)
    else:
        st.success(_.ngettext("{count} fund imported.", "{count} funds imported.", len(imported)).format(count=len(imported)))
st.download_button(_("Export the whole catalogue as YAML"),
                   data=ui.downloads.officer_download(ctx, lambda: funds.dump_catalogue(catalogue), "funds.export"),
                   file_name="funds.yaml", mime="application/x-yaml", icon=":material/download:")

with st.expander(_("Add a new fund")):
    template = yaml.safe_dump({"funds": [{"id": "new-fund", "name": "", "provider": "", "kind": "private_fund",
                                          "themes": ["meeting"], "legal_entity": "unknown", "summary": {"nl": ""},
                                          "how_to_apply": {"nl": [""]}, "url": "https://", "sources": ["https://"],
                                          "last_checked": None}]}, allow_unicode=True, sort_keys=False)
    new_text = st.text_area(_("Fund data"), value=template, height=300, key="new_fund_yaml")
    if st.button(_("Add"), icon=":material/add:"):
        try:
            new_funds = funds.parse_catalogue(new_text, source="new")
            if any(f.id in by_id for f in new_funds):
                raise SteunwijzerError("A fund with this id already exists.")
            with ctx.db.session() as s:
                funds.save_funds(s, new_funds, actor=actor)
        except SteunwijzerError as exc:
            ctx.error(exc)
        else:
            st.rerun()
