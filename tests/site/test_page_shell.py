"""The page shell's pieces: the icon file matches Material's icons, every icon the partials name
is in it, and folding the shell's white space never touches the page's content."""

from __future__ import annotations

import re
from pathlib import Path

import material

from generator.site.pageshell import compact_shell

OVERRIDES = Path(__file__).resolve().parents[2] / "overrides"
SPRITE = OVERRIDES / "assets" / "notebook-theme" / "icons.svg"
MATERIAL_ICONS = Path(material.__file__).parent / "templates" / ".icons"
SOURCES = {
    "logo": "material/library",
    "menu": "material/menu",
    "dark": "material/weather-night",
    "light": "material/weather-sunny",
    "search": "material/magnify",
    "repo": "fontawesome/brands/git-alt",
    "top": "material/arrow-up",
}


def symbols() -> dict[str, str]:
    text = SPRITE.read_text(encoding="utf-8")
    return dict(re.findall(r'<symbol id="cn-([\w-]+)" viewBox="[^"]+">(.*?)</symbol>', text))


def test_the_icon_file_holds_materials_icons() -> None:
    found = symbols()
    assert set(found) == set(SOURCES)
    for name, source in SOURCES.items():
        original = (MATERIAL_ICONS / f"{source}.svg").read_text(encoding="utf-8")
        paths = re.findall(r'<path d="[^"]+"/>', original)
        assert found[name] == "".join(paths), name


def test_every_icon_the_partials_name_is_in_the_file() -> None:
    named = set()
    for template in OVERRIDES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        named |= set(re.findall(r'cn\.icon\("([\w-]+)"', text))
        named |= set(re.findall(r'cn\.icon\("([\w-]+)" if', text))
        named |= set(re.findall(r'else "([\w-]+)"\)', text))
    assert named and named <= set(symbols())


def test_folding_keeps_the_content_byte_for_byte() -> None:
    content = (
        '<article class="md-content__inner">\n<pre><code>a\n    b\n\n</code></pre>\n</article>'
    )
    page = f"<html>\n  <head>\n\n    <title>x</title>\n  </head>\n  <body>\n    {content}\n  </body>\n</html>"
    folded = compact_shell(page)
    assert content in folded
    assert (
        folded == f"<html>\n<head>\n<title>x</title>\n</head>\n<body>\n{content}\n</body>\n</html>"
    )
    assert compact_shell("<p>\n  no article\n</p>") == "<p>\n  no article\n</p>"
