"""Plain text that people write, made safe for a page: escaped first, then links and line breaks."""
import re
import unicodedata

from markupsafe import Markup, escape

# Matched in already escaped text: a URL never runs into an escaped < > " ' (or a raw one).
_URL = re.compile(r"\bhttps?://(?:(?!&lt;|&gt;|&#34;|&#39;|&quot;)[^\s<>\"'`])+", re.IGNORECASE)
_TRAILING = ".,;:!?"


def _split_trailing(url):
    """Leave sentence punctuation and an unbalanced closing bracket outside the link."""
    tail = ""
    while url:
        last = url[-1]
        if last in _TRAILING or (last == ")" and url.count("(") < url.count(")")):
            url, tail = url[:-1], last + tail
        elif url.endswith("&amp;"):
            url, tail = url[:-5], "&amp;" + tail
        else:
            break
    return url, tail


def _link(match):
    url, tail = _split_trailing(match.group(0))
    if "://" not in url or url.endswith("://"):
        return match.group(0)
    return f'<a href="{url}" rel="nofollow ugc noopener">{url}</a>{tail}'


def linkify(text):
    """Escape the text, then turn http(s) addresses into links and newlines into <br>."""
    escaped = str(escape(text or ""))
    linked = _URL.sub(_link, escaped)
    return Markup(linked.replace("\r\n", "\n").replace("\n", "<br>\n"))


def clean_text(text):
    """Newlines made uniform, control characters (NUL and the like) dropped, ends stripped."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in {"Cc", "Cs"}
    ).strip()
