"""Every editor's screen of the articles app; the modules register their admins on import."""

from . import articles, records, sections

__all__ = ["articles", "records", "sections"]
