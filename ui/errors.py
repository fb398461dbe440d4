"""No user ever sees a traceback: an unexpected error becomes one sentence in the user's
language, and its traceback goes to the log with a short reference the user can quote.

How Streamlit 1.67 handles an uncaught exception: the page script, widget callbacks (on_change,
on_click) and fragments all run inside `exec_func_with_error_handling` (or the fragment
wrapper), which calls `error_util.handle_user_script_exception(ex, ctx.on_script_error)`. That
logs the traceback, calls `on_script_error` and shows Streamlit's exception box unless the
handler returns True. `on_script_error` is the public hook of `st.App(..., on_script_error=...)`;
with a plain `streamlit run app.py` (our deployment, and AppTest) it is None.

Why not simpler:
- a try/except in `page_setup` cannot see errors of page code, which runs after it returns;
- setting `get_script_run_ctx().on_script_error` from page_setup covers only the rest of that
  run: each rerun gets a fresh ScriptRunner and context, and widget callbacks run at its start,
  before page_setup (that is where saving an answer fails);
- `st.App` would need another entry point and is not used by AppTest.
So `install()` makes our handler the *default* for that one call site: where no handler was
given (None), ours is used; a handler given to `st.App` still wins. It replaces the name in the
two modules that call it and nothing else; the AppTest replays in tests/security/test_tracebacks.py
fail if a Streamlit upgrade moves it. `client.showErrorDetails = "none"` in .streamlit/config.toml
stays as the fallback (Streamlit's generic English sentence, no details).
"""

from __future__ import annotations

import logging
import secrets

import streamlit as st

from steunwijzer import i18n
from steunwijzer.errors import SteunwijzerError
from steunwijzer.i18n import N_

LOG = logging.getLogger("steunwijzer.ui")
SORRY = N_("Something went wrong on our side, and it was not saved. What you saved before is safe. "
           "Please try again in a moment (reference {reference}).")


def on_script_error(exc: Exception) -> bool:
    """Show one translated sentence instead of a traceback; log the traceback with a reference."""
    reference = secrets.token_hex(4)
    if isinstance(exc, SteunwijzerError):  # a refusal the page forgot to catch: its own message
        LOG.warning("refusal not handled by the page [%s]: %s", reference, exc, exc_info=exc)
    else:
        LOG.error("unexpected error [%s]", reference, exc_info=exc)
    try:
        from ui import resources

        locale = st.session_state.get("locale") or resources.settings().locale
        gettext = i18n.gettext_for(locale)
        text = exc.translated(gettext) if isinstance(exc, SteunwijzerError) else gettext(SORRY).format(reference=reference)
        st.error(text, icon=":material/error:")
    except Exception:  # never let the error message fail: Streamlit then shows its generic box
        LOG.exception("could not show the error message [%s]", reference)
        return False
    return True


def install() -> None:
    """Make `on_script_error` the default handler (idempotent; see the module text)."""
    from streamlit.runtime import fragment
    from streamlit.runtime.scriptrunner import exec_code

    for module in (exec_code, fragment):
        original = module.handle_user_script_exception
        if getattr(original, "steunwijzer_default", False):
            continue

        def with_default(ex, handler, _original=original):
            return _original(ex, handler if handler is not None else on_script_error)

        with_default.steunwijzer_default = True
        module.handle_user_script_exception = with_default
