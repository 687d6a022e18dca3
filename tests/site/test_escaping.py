"""Text from records and Jira reaches the built site as text: no markup, no script, no javascript: links."""

from __future__ import annotations

import re
from pathlib import Path

from tests.site.conftest import commit_all, mkdocs_build

EVIL_CAMPAIGN = """\
id: evil-20261124-x0x0
name: <script>alert("name")</script> & co
production: dr1
kind: development
status: running
definer: Eve <eve@example.org>
operators:
  - name: <img src=x onerror=alert(1)>
jira: [DM-51301]
purpose: |
  <script>alert("purpose")</script> **bold stays bold**
  [a link](javascript:alert(1)) and [ok](https://example.org/) `code <b>` here.

  [ref]: javascript:alert(2)
reason: <iframe src="javascript:alert(3)"></iframe>
links:
  - title: <b>evil link</b>
    url: https://example.org/evil
journal:
  - date: 2026-11-24T08:00Z
    author: <svg onload=alert(5)>
    text: "<a href='javascript:alert(6)'>click</a>"
"""


def test_record_and_jira_text_is_escaped_in_the_built_site(
    notebook_root: Path, tmp_path: Path
) -> None:
    (notebook_root / "campaigns" / "evil-20261124-x0x0.yaml").write_text(
        EVIL_CAMPAIGN, encoding="utf-8"
    )
    commit_all(notebook_root, "Add a campaign with hostile text")
    site = tmp_path / "site"
    result = mkdocs_build(notebook_root, site)
    assert result.returncode == 0, result.stderr
    page = (site / "campaigns" / "evil-20261124-x0x0" / "index.html").read_text(encoding="utf-8")
    index = (site / "campaigns" / "index.html").read_text(encoding="utf-8")
    home = (site / "index.html").read_text(encoding="utf-8")
    for html in (page, index, home):
        assert "<script>alert" not in html
        # No element made from record text: no event handlers, no javascript: URLs in any tag.
        assert "<iframe" not in html
        assert not re.search(
            r"<[a-z]+\b[^>]*\s(on[a-z]+|href|src)\s*=\s*['\"]?\s*(javascript:|alert)", html, re.I
        )
    # The text is still there, shown literally.
    assert "&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt; &amp; co" in page
    assert '&lt;script&gt;alert("purpose")&lt;/script&gt;' in page
    assert "<strong>bold stays bold</strong>" in page
    assert '<a href="https://example.org/" rel="noopener noreferrer nofollow">ok</a>' in page
    assert "<code>code &lt;b&gt;</code>" in page
    # The Jira summary with HTML and a javascript: link (tests/site/fixtures/jira-snapshot.json).
    assert "step1 group 1 &lt;b&gt;submission&lt;/b&gt; [click](javascript:alert(1))" in page
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title and "<script" not in title.group(1)
