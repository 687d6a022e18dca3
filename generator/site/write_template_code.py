"""``make template-code``: store the package's templates compiled again (``template_code.json``),
after one of them, Jinja or the plain environment changed."""

from __future__ import annotations

import json

from generator.site.template_code import CODE_FILE, template_code
from generator.site.templating import PACKAGE_TEMPLATES, Templates


def main() -> None:
    stored = template_code(Templates().shipped, PACKAGE_TEMPLATES)
    CODE_FILE.write_text(json.dumps(stored, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {CODE_FILE} ({len(stored['templates'])} templates)")


if __name__ == "__main__":
    main()
