"""The only Streamlit-aware helpers. Pages call these; the core (steunwijzer/) never sees Streamlit."""

from ui.shell import PageContext, page_setup, privacy_text

__all__ = ["PageContext", "page_setup", "privacy_text"]
