"""The one way to show text that a group, an officer or a catalogue editor wrote.

Streamlit renders Markdown (links, images, emphasis) in titles, headers, captions, `st.markdown`,
`st.write`, chat messages and widget labels. Text from people is never Markdown: `md()` escapes
every ASCII punctuation character (CommonMark allows a backslash before each of them) and keeps
line breaks. Escaping is not enough against GitHub-style auto-links: Streamlit's Markdown finds
`https://…`, `www.…` and `name@host` in the text *after* parsing, escapes or not (seen in
Chromium, tests/security/test_shown_as_text.py). So `md()` also puts an invisible WORD JOINER
(U+2060) inside each of those three patterns: the reader sees the same characters, no link."""

from __future__ import annotations

import re
import string

_SPECIAL = frozenset(string.punctuation)
_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)(?<=[a-z]:)(?=//)|(?<=www)(?=\.)|(?=@)")


def md(text: object) -> str:
    """User text as a Markdown fragment that shows exactly these characters, nothing more."""
    plain = _AUTOLINK.sub(_JOINER, str("" if text is None else text))
    escaped = "".join("\\" + c if c in _SPECIAL else c for c in plain)
    return escaped.replace("\n", "  \n")
