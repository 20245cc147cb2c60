"""A revision as Pandoc Markdown: the marks as written, the sources as CSL in the metadata.

``pandoc article.md --citeproc --csl american-medical-association.csl -o article.docx`` makes
the article with its references in any CSL style. The marks are Pandoc's own syntax
(``articles.marks``), locators and prefixes included, with keys in the case they are stored
in (Pandoc matches keys by case); every cited source goes into the
metadata's ``references`` as a CSL-JSON item, and JSON is YAML, so nothing else is needed.
"""

import json

from references.csl import item as csl_item

from .marks import with_keys_as_stored
from .snapshots import SECTION_FIELDS


def pandoc_markdown(data):
    """The article of snapshot ``data`` as one Pandoc Markdown file."""
    article = data.get("article", {})
    sources = data.get("sources", {})
    metadata = {
        "title": article.get("title", ""),
        "abstract": article.get("summary", ""),
        "author": article.get("byline", ""),
    }
    cited = sorted({c["source"] for s in data.get("sections", []) for c in s.get("citations", [])})
    metadata["references"] = [csl_item(sources[str(pk)]) for pk in cited if str(pk) in sources]
    lines = [
        "---",
        *(f"{name}: {json.dumps(value, ensure_ascii=False)}" for name, value in metadata.items() if value),
        "---",
        "",
    ]
    for section in data.get("sections", []):
        fields = {name: section.get(name, "") for name in SECTION_FIELDS}
        lines += [
            f"## {fields['heading']} {{#{fields['anchor']}}}" if fields["anchor"] else f"## {fields['heading']}",
            "",
        ]
        lines += [with_keys_as_stored(fields["body"]).strip(), ""]
        whole = [
            sources[str(c["source"])]["key"]
            for c in section.get("citations", [])
            if not c.get("in_text") and str(c["source"]) in sources
        ]
        if whole:
            lines += [f"Sources for this section: [{'; '.join(f'@{key}' for key in whole)}].", ""]
    return "\n".join(lines)
