"""Pages whose content the browser or the theme fills in: compare and tags."""

from __future__ import annotations

from generator.site.markup import (
    front_matter,
)


def render_compare() -> str:
    """``compare.md``: ``compare.js`` fills the div from ``api/compare.json``, the records as
    ``generator.comparison`` sees them (``compare_export.py``, README-contract.md)."""
    return (
        front_matter({"title": "Compare campaigns", "hide": ["navigation", "toc"]})
        + "# Compare campaigns\n\n"
        "Pick two campaigns to see the fields in which their records differ: the definition "
        "first (software, pipeline, Butler collections, selection), then people, workflows and "
        "the rest; run facts (ids, times, statuses, journal) are folded away. Lists are matched "
        "as `campaigns diff` matches them: workflows and operators by name, links by title.\n\n"
        '<link rel="stylesheet" href="../assets/notebook/compare.css">\n\n'
        '<div id="cn-compare" data-api="../api/compare.json"></div>\n\n'
        '<script src="../assets/notebook/compare.js" defer></script>\n\n'
        "<noscript>Comparing needs JavaScript.</noscript>\n\n"
        "Every record is also available as JSON for other tools: [api/campaigns.json](api/campaigns.json).\n"
    )


def render_tags() -> str:
    return (
        front_matter({"title": "Tags"})
        + "# Tags\n\nCampaigns by kind, status, production and tag.\n\n<!-- material/tags -->\n"
    )
