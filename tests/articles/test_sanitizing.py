"""Hostile Markdown comes out of articles.markdown harmless, and ordinary Markdown survives.

Output is parsed with the standard library's HTML parser, the way a browser would read it, so
the checks are about elements and attributes, not about how the text happens to be spelled.
"""

import re
import time
from html.parser import HTMLParser

import pytest
from django.templatetags.static import static

from articles.markdown import link_citations, render
from articles.preview import ArticlePreview
from tests.factories import make_article, make_section, make_source, publish

HOSTILE = [
    # Script, raw and disguised.
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "<textarea><script>alert(1)</script></textarea>",
    "<template><script>alert(1)</script></template>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    # Event handlers: casing, quoting, line breaks, unclosed tags.
    "<img src=x onerror=alert(1)>",
    '<IMG SRC=x OnErRoR="alert(1)">',
    "<img src='x' onerror='alert(1)'>",
    '<img src="x" alt="a" onerror\n=alert(1)>',
    "<img src=x onerror=alert(1)//",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    '<a href="https://example.org" onclick="alert(1)">x</a>',
    "<p onmouseover=alert(1)>hover</p>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>x</details>",
    "<xss onafterscriptexecute=alert(1)>x</xss>",
    # SVG and MathML.
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">x</math>',
    # Dangerous URLs in Markdown links and images.
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](<javascript:alert(1)>)",
    "[x](jav&#x61;script:alert(1))",
    "[x](jav&#97;script&colon;alert(1))",
    "[x][r]\n\n[r]: javascript:alert(1)",
    '[x][r]\n\n[r]: <vbscript:msgbox(1)> "title"',
    "[x]\n\n[x]: data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "<javascript:alert(1)>",
    "<vbscript:msgbox(1)>",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '![x](x" onerror="alert(1))',
    '[x](https://example.org "t\\" onclick=\\"alert(1)")',
    # Dangerous URLs in raw HTML, entity-encoded and padded.
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<img src="https://example.org/a.png" srcset="javascript:alert(1)">',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    # Styles, embedding, forms, document-level elements, comments.
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<style>body{display:none}</style>",
    '<iframe src="https://evil.example"></iframe>',
    '<object data="x.swf"></object>',
    '<embed src="x.swf">',
    '<form action="https://evil.example"><input name="q"><button>go</button></form>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<!-- hidden --><!--[if IE]><script>alert(1)</script><![endif]-->",
    # Forged citation placeholders.
    '<sup class="citation-mark" data-cite=\'"><script>alert(1)</script>\'>[@x]</sup>',
    '<sup class="citation-mark" data-cite="x" onclick="alert(1)">[@x]</sup>',
    '<sup class="citation-mark" data-cite="x"><a href="javascript:alert(1)">[@x]</a></sup>',
]

#: What article HTML may contain, written out here rather than read from articles.markdown so
#: that a loosened policy fails these tests.
SAFE_ATTRIBUTES = {
    "a": {"href", "title", "rel"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "sup": {"class", "data-cite"},
    "td": {"align"},
    "th": {"align"},
}
SAFE_TAGS = set(
    "abbr a b blockquote br code dd del dl dt em h3 h4 h5 h6 hr i img ins li ol p pre strong "
    "sub sup table tbody td th thead tr ul".split()
)
#: What Clonus itself adds around sanitized HTML: linked citation marks (page and preview) and
#: the page's section wrappers.
OWN_MARKUP = {
    "a": {"id", "aria-describedby", "role", "aria-label"},
    "h2": {"id"},
    "h4": {"class"},
    "li": {"id", "value"},
    "mark": {"class"},
    "ol": {"class"},
    "section": {"id", "aria-labelledby"},
    "span": {"class", "title", "role", "id", "aria-hidden"},
}
URL_ATTRIBUTES = {
    "href",
    "src",
    "srcset",
    "xlink:href",
    "action",
    "formaction",
    "data",
    "background",
}
SAFE_SCHEMES = {None, "http", "https", "mailto"}


class Inspector(HTMLParser):
    """Elements, attributes, text and comments of an HTML fragment, as a browser parses it.

    With ``within``, only what stands inside that element is recorded.
    """

    def __init__(self, html, within=None):
        super().__init__(convert_charrefs=True)
        self.within = within
        self.depth = 0 if within else 1
        self.elements, self.comments, self.text = [], [], []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.elements.append((tag, dict(attrs)))
        if tag == self.within:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == self.within:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)

    def handle_comment(self, data):
        if self.depth:
            self.comments.append(data)

    def tags(self):
        return [tag for tag, _ in self.elements]

    def text_content(self):
        return "".join(self.text)


def scheme(url):
    """The scheme a browser would see: it ignores whitespace and control characters in it."""
    match = re.match(r"([a-z][a-z0-9+.-]*):", re.sub(r"[\x00-\x20\x7f]", "", url).lower())
    return match.group(1) if match else None


def assert_harmless(html, within=None, extra=None):
    """``extra`` maps further elements to the attributes they may have."""
    extra = extra or {}
    page = Inspector(html, within)
    assert within or "<script" not in html.lower()
    assert "script" not in page.tags()
    unsafe_tags = set(page.tags()) - SAFE_TAGS - set(extra)
    assert not unsafe_tags, f"unsafe elements {unsafe_tags} in {html!r}"
    for tag, attrs in page.elements:
        unsafe_attrs = set(attrs) - SAFE_ATTRIBUTES.get(tag, set()) - extra.get(tag, set())
        assert not unsafe_attrs, f"unsafe attributes {unsafe_attrs} on <{tag}> in {html!r}"
        assert not any(name.startswith("on") or name == "style" for name in attrs)
        for name, value in attrs.items():
            if name in URL_ATTRIBUTES:
                assert scheme(value or "") in SAFE_SCHEMES, f"{name}={value!r} in {html!r}"
    assert not page.comments, f"comment left in {html!r}"


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_markdown_renders_harmless(payload):
    assert_harmless(render(payload).html)


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_markdown_previews_harmless(db, payload):
    assert_harmless(ArticlePreview.from_text(payload).html(), extra=OWN_MARKUP)


def test_hostile_section_is_harmless_on_the_public_page(client, db):
    article = make_article()
    for position, payload in enumerate(HOSTILE):
        make_section(article, body=payload, position=position)
    publish(article)

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert Inspector(response.text, within="section").tags().count("h2") == len(HOSTILE)
    # The page's only scripts are its own: the reader's script and the structured data.
    scripts = re.findall(r"<script\b[^>]*>", response.text, flags=re.IGNORECASE)
    assert scripts == ['<script type="application/ld+json">', f'<script src="{static("js/reader.js")}" defer>']
    assert_harmless(response.text, within="section", extra=OWN_MARKUP)


# The citation placeholder is an element the sanitizer lets through, so raw HTML can imitate it.


def test_forged_placeholder_keys_are_not_markup_when_linked():
    forged = """<sup class="citation-mark" data-cite='x"><script>alert(1)</script>'>1</sup>"""
    html = render(forged).html

    linked = link_citations(html, {"x": 1}, "s")

    assert_harmless(linked, extra=OWN_MARKUP)


@pytest.mark.parametrize(
    "items",
    [
        '[["<script>alert(1)</script>", "x", "p.", "<img src=x onerror=alert(1)>"]]',
        '[{"a": 1, "b": 2, "c": 3, "d": 4}]',
        '"<b>"',
        "[[1, 2, 3]]",
    ],
    ids=["markup in prefix and locator", "objects", "a string", "short items"],
)
def test_forged_placeholder_items_are_never_markup(items):
    forged = f'<sup class="citation-mark" data-cite="x" data-items=\'{items}\'>1</sup>'
    html = render(forged).html

    linked = link_citations(html, {"x": 1}, "s")

    assert_harmless(linked, extra=OWN_MARKUP)
    assert "<script" not in linked and "<img" not in linked


def test_forged_placeholder_keys_show_as_text_in_the_preview(db):
    preview = ArticlePreview.from_text('<sup class="citation-mark" data-cite="&lt;b&gt;x&lt;/b&gt;">1</sup>').html()

    page = Inspector(preview)
    assert ("mark", {"class": "citation-problem"}) in page.elements
    assert "b" not in page.tags()
    assert "&lt;b&gt;x&lt;/b&gt;" in page.text_content()


def test_forged_placeholder_cannot_add_a_reference(client, db):
    make_source(key="ghost2020")
    article = make_article()
    make_section(article, body='Claim.<sup class="citation-mark" data-cite="ghost2020">1</sup>')
    publish(article)

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert 'href="#ref-' not in response.text
    assert 'id="ref-' not in response.text


# Ordinary Markdown survives the sanitizer.


def test_emphasis_and_headings_render():
    page = Inspector(render("### Signs\n\n*rhythmic* and **involuntary**, <sub>2</sub>").html)

    assert {"h3", "em", "strong", "sub"} <= set(page.tags())


def test_lists_render_nested_and_numbered():
    page = Inspector(render("3. three\n4. four\n    - nested\n").html)

    assert page.tags() == ["ol", "li", "li", "ul", "li"]
    assert page.elements[0][1] == {"start": "3"}


def test_tables_keep_their_alignment():
    page = Inspector(render("| Sign | Sensitivity |\n|:--|--:|\n| Clonus | 0.7 |\n").html)

    assert {"table", "thead", "tbody", "tr", "th", "td"} <= set(page.tags())
    assert ("td", {"align": "right"}) in page.elements


@pytest.mark.parametrize(
    "markdown",
    [
        "```\n<script>alert(1)</script>\n```",
        "    <script>alert(1)</script>",
        "`<script>alert(1)</script>`",
    ],
    ids=["fenced", "indented", "inline"],
)
def test_code_shows_script_as_text(markdown):
    html = render(markdown).html
    page = Inspector(html)

    assert "code" in page.tags()
    assert "script" not in page.tags()
    assert "<script>alert(1)</script>" in page.text_content()
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "markdown, href",
    [
        ("[review](https://example.org/review?a=1&b=2)", "https://example.org/review?a=1&b=2"),
        ("<https://example.org/>", "https://example.org/"),
        ("[write](mailto:editor@example.org)", "mailto:editor@example.org"),
        ("[section](#causes)", "#causes"),
        ("[review][r]\n\n[r]: https://example.org/r", "https://example.org/r"),
    ],
)
def test_safe_links_keep_their_address(markdown, href):
    links = [attrs for tag, attrs in Inspector(render(markdown).html).elements if tag == "a"]

    assert [link["href"] for link in links] == [href]


@pytest.mark.parametrize("src", ["/media/uploads/2024/01/figure.png", "figure.png", "https://example.org/figure.png"])
def test_images_with_relative_or_https_source_survive(src):
    page = Inspector(render(f"![A figure]({src})").html)

    images = [attrs for tag, attrs in page.elements if tag == "img"]

    assert images == [{"src": src, "alt": "A figure"}]


def test_citation_mark_becomes_a_placeholder():
    page = Inspector(render("Clonus [@elwes1985; @smith2001].").html)

    assert ("sup", {"class": "citation-mark", "data-cite": "elwes1985 smith2001"}) in page.elements


# Malformed input renders, quickly, without an exception.

MALFORMED = {
    "unclosed fence": "```\n<script>alert(1)</script>\n\n# not a heading",
    "unclosed html": "<p><em><strong><table><tr><td>cell",
    "deep quote on one line": ">" * 500 + " deep",
    "deep quote over lines": "\n".join(">" * depth + f" level {depth}" for depth in range(1, 501)),
    "deep list": "\n".join("    " * depth + f"- item {depth}" for depth in range(500)),
    "deep list in quotes": "\n".join("    " * depth + f"- > item {depth}" for depth in range(300)),
    "deep emphasis": "*" * 3000 + "x" + "*" * 3000,
    "deep raw html": "<blockquote>" * 3000 + "x",
    "nul bytes": "a\x00b <scr\x00ipt>alert(1)</scr\x00ipt> [x](java\x00script:alert(1))",
    "control characters": "\x1b[31mred\x1b[0m \x02\x03 a\rb\x0bc\x0cd",
    "odd unicode": "\u202eevil\u202c \ufeff\u200d\u0301 \ufffe\uffff \U0010ffff \u2028\u2029 \U0001f9e0",
    "lone surrogates": "a\ud800b \udfff [@x]",
    "unbalanced brackets": "[" * 500 + "]" * 200 + "(" * 500,
}


@pytest.mark.parametrize("markdown", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_markdown_renders(markdown):
    start = time.monotonic()
    html = render(markdown).html

    assert time.monotonic() - start < 5
    assert_harmless(html)


def test_text_nested_too_deep_is_kept():
    html = render("\n".join("    " * depth + f"- item {depth}" for depth in range(500))).html

    assert "item 0" in html and "item 499" in html


def test_realistic_nesting_is_kept():
    markdown = "\n".join("    " * depth + f"- item {depth}" for depth in range(8))
    markdown += "\n\n" + "\n".join(">" * depth + f" quote {depth}" for depth in range(1, 9))

    tags = Inspector(render(markdown).html).tags()

    assert tags.count("ul") == 8
    assert tags.count("blockquote") == 8


ARTICLE_CHUNK = """### What causes clonus?

Clonus is a series of *involuntary*, **rhythmic** contractions [@elwes1985; @smith2001].
See [the review](https://example.org/review) and ![a figure](/media/uploads/fig.png).

- upper motor neurone lesions
- serotonin toxicity [@boyer2005]
    1. nested item

| Sign | Sensitivity |
|:-----|------------:|
| Ankle clonus | 0.7 |

```
<script>alert(1)</script>
```

> A quoted sentence with <abbr title="upper motor neurone">UMN</abbr>.

"""


def test_one_megabyte_body_renders():
    markdown = ARTICLE_CHUNK * (1_000_000 // len(ARTICLE_CHUNK) + 1)
    start = time.monotonic()

    rendered = render(markdown)

    # About 2 s on a laptop; the bound leaves room for a slow CI machine.
    assert time.monotonic() - start < 15
    assert rendered.html.count("<table>") == markdown.count("| Sign |")
    assert "<script" not in rendered.html
