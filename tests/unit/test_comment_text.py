"""linkify: everything escaped first, then only http(s) addresses become links."""
import pytest
from markupsafe import Markup

from pb.comments.text import clean_text, linkify

REL = 'rel="nofollow ugc noopener"'


def test_linkify_returns_markup_with_plain_text_escaped():
    html = linkify("Жол <b>бузулган</b> & 5 > 3")
    assert isinstance(html, Markup)
    assert html == "Жол &lt;b&gt;бузулган&lt;/b&gt; &amp; 5 &gt; 3"


def test_linkify_escapes_a_script_tag():
    html = linkify("<script>alert('x')</script>")
    assert "<script" not in html and "&lt;script&gt;" in html
    assert "'" not in html  # quotes escaped too


def test_linkify_wraps_http_and_https_addresses():
    html = linkify("See http://ak-dobo.kg/budget and HTTPS://example.kg/a?x=1&y=2 now")
    assert f'<a href="http://ak-dobo.kg/budget" {REL}>http://ak-dobo.kg/budget</a>' in html
    assert f'<a href="HTTPS://example.kg/a?x=1&amp;y=2" {REL}>' in html


@pytest.mark.parametrize("text", [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "<a href=\"javascript:alert(1)\">x</a>",
    "vbscript:msgbox(1)",
])
def test_linkify_never_links_other_schemes(text):
    html = linkify(text)
    assert "<a " not in html and "href" not in html.replace("href=&#34;", "")


def test_linkify_keeps_a_quote_out_of_the_link():
    html = linkify('http://evil.kg/"onmouseover="alert(1)')
    assert html.startswith(f'<a href="http://evil.kg/" {REL}>http://evil.kg/</a>')
    assert "onmouseover=&#34;alert(1)" in html
    assert html.count('"') == 4  # only the two attributes that we wrote


def test_linkify_keeps_a_single_quote_and_angle_brackets_out_of_the_link():
    html = linkify("http://evil.kg/'><img src=x onerror=alert(1)>")
    assert html.startswith(f'<a href="http://evil.kg/" {REL}>')
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_linkify_escapes_an_attribute_breakout():
    html = linkify('"><img src=x onerror=alert(1)>')
    assert html == "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"


def test_linkify_does_not_link_a_javascript_url_hidden_before_an_address():
    html = linkify("javascript:alert(1)//http://x.kg")
    assert 'href="javascript' not in html
    assert html.startswith("javascript:alert(1)//")


def test_linkify_leaves_sentence_punctuation_and_brackets_outside():
    html = linkify("Look (http://a.kg/x). And http://b.kg/p_(1), ok")
    assert f'(<a href="http://a.kg/x" {REL}>http://a.kg/x</a>).' in html
    assert f'<a href="http://b.kg/p_(1)" {REL}>http://b.kg/p_(1)</a>,' in html


def test_linkify_turns_newlines_into_breaks():
    assert linkify("one\r\ntwo\nthree") == "one<br>\ntwo<br>\nthree"


def test_linkify_does_not_link_a_bare_scheme():
    assert "<a " not in linkify("http:// and https://")


def test_clean_text_drops_control_characters_and_strips():
    assert clean_text("  Салам\x00 \r\nдос\x07\t!  ") == "Салам \nдос\t!"
    assert clean_text(None) == ""
