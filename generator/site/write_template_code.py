"""``make template-code`` (and the Makefile's setup): write the package's templates compiled
(``template_code.json``, see ``template_code``) for the Jinja installed here."""

from __future__ import annotations

import json
import sys

from generator.site.template_code import CODE_FILE, template_code
from generator.site.templating import PACKAGE_TEMPLATES, Templates


def main() -> int:
    try:
        stored = template_code(Templates().shipped, PACKAGE_TEMPLATES)
    except ValueError as refused:  # a filter Jinja would run while compiling
        print(f"error: {refused}", file=sys.stderr)
        return 1
    CODE_FILE.write_text(json.dumps(stored, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {CODE_FILE} ({len(stored['templates'])} templates)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
