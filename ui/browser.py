"""What only the browser can do: read a text aloud with its own voices, save a typed answer
during a pause in typing, scroll to new results, and remember the open application in this tab
(for a reload). One small component of our own (`ui/browser_helper/`: plain HTML and
JavaScript, served from the app's origin, so the Content-Security-Policy allows it)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import streamlit.components.v1 as components

from steunwijzer import i18n

if TYPE_CHECKING:  # only for the type: the page shell itself draws with these helpers
    from ui.shell import PageContext

_helper = components.declare_component("steunwijzer_browser", path=str(Path(__file__).resolve().parent / "browser_helper"))


def read_aloud(ctx: PageContext, text: str, key: str) -> None:
    """A button that reads `text` in the page's language; where the browser has no voice for it,
    the button says so instead of staying silent."""
    _ = ctx.gettext
    _helper(mode="speak", text=text, lang=ctx.locale, ui_lang=ctx.locale, rtl=ctx.rtl, label=_("Read aloud"),
            no_voice=_("This phone or computer has no voice for {language}.").format(
                language=i18n.language_name(ctx.locale, ctx.locale)),
            key=key, default=None)


def scroll_to_top_of(selector: str, when: int) -> None:
    """Scroll the page so that the element `selector` is at the top, once for each new `when`
    (new results on a phone otherwise open where the last answer was, mid-list)."""
    if when:
        _helper(mode="scroll", target=selector, when=when, key="_scroll", default=None)


def save_while_typing(ctx: PageContext) -> None:
    """Once per page: answers are committed after a short pause in typing, not only when the
    field is left (a reload or a closed tab then loses at most the last second). It also names
    the upload buttons in the page's language (Streamlit's own name is the English "Upload")."""
    _helper(mode="autosave", upload_label=ctx.gettext("Choose a file"), key="_autosave", default=None)


def tab_memory(keep: dict | None, ask: bool = False) -> dict | None:
    """This tab's memory of its open application, in the tab's own sessionStorage (never
    localStorage, never the URL; gone when the tab closes). `keep` is written, None clears it;
    with `ask` nothing is changed and the stored value comes back once, when there is one: a
    dict, or None while the browser has not answered or has nothing (a new tab: no extra run of
    the page, so no button press can be lost to one; always None without a browser)."""
    return _helper(mode="tab", keep=keep, ask=ask, key="_tab", default=None)
