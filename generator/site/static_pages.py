"""Pages whose content the browser or the theme fills in: compare and tags."""

from __future__ import annotations

from generator.site.markup import (
    front_matter,
)


def render_compare() -> str:
    """``compare.md``: the browser script fills the div from the JSON export (README-contract.md)."""
    return (
        front_matter({"title": "Compare campaigns", "hide": ["navigation", "toc"]})
        + "# Compare campaigns\n\n"
        "Pick two campaigns to see only the fields in which their records differ.\n\n"
        '<div id="cn-compare" data-api="../api/campaigns.json"></div>\n\n'
        "<noscript>Comparing needs JavaScript.</noscript>\n\n"
        "Every record is also available as JSON for other tools: [api/campaigns.json](api/campaigns.json).\n"
    )


def render_tags() -> str:
    return (
        front_matter({"title": "Tags"})
        + "# Tags\n\nCampaigns by kind, status, production and tag.\n\n<!-- material/tags -->\n"
    )
