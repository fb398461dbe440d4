"""The one way to show text that a group, an officer or a catalogue editor wrote.

Streamlit renders Markdown (links, images, emphasis) in titles, headers, captions, `st.markdown`,
`st.write`, chat messages and widget labels. Text from people is never Markdown: `md()` escapes
every ASCII punctuation character (CommonMark allows a backslash before each of them), which also
breaks plain-URL and e-mail auto-links (`https\\://`, `www\\.`, `a\\@b`), and keeps line breaks."""

from __future__ import annotations

import string

_SPECIAL = frozenset(string.punctuation)


def md(text: object) -> str:
    """User text as a Markdown fragment that shows exactly these characters, nothing more."""
    escaped = "".join("\\" + c if c in _SPECIAL else c for c in str("" if text is None else text))
    return escaped.replace("\n", "  \n")
