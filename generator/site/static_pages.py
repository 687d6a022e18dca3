"""Pages whose content the browser or the theme fills in: compare and tags."""

from __future__ import annotations

from generator.site.markup import front_matter
from generator.site.templating import Templates, render, safe


def render_compare(templates: Templates) -> str:
    """``compare.md``: ``compare.js`` fills the page from ``api/campaigns.json`` (``compare.md.j2``)."""
    return render(
        templates,
        "compare.md.j2",
        front_matter=safe(
            front_matter({"title": "Compare campaigns", "hide": ["navigation", "toc"]})
        ),
    )


def render_tags(templates: Templates) -> str:
    """``tags.md``: Material's tags plugin lists the pages by tag (``tags.md.j2``)."""
    return render(templates, "tags.md.j2", front_matter=safe(front_matter({"title": "Tags"})))
