"""``make template-code`` (run by ``make site``, ``test`` and ``bench``): write the package's
templates compiled (``template_code.json``, see ``template_code``) for the Jinja installed here,
when the file does not already hold exactly that."""

from __future__ import annotations

import json
import sys

from jinja2 import TemplateError, TemplateSyntaxError

from generator.site.template_code import CODE_FILE, template_code
from generator.site.templating import PACKAGE_TEMPLATES, Templates


def main() -> int:
    try:
        stored = template_code(Templates().shipped, PACKAGE_TEMPLATES)
    except TemplateSyntaxError as broken:
        print(f"{broken.filename or broken.name}:{broken.lineno}: error: {broken}", file=sys.stderr)
        return 1
    except TemplateError as broken:
        print(f"error: {broken}", file=sys.stderr)
        return 1
    except ValueError as refused:  # a filter Jinja would run while compiling
        print(f"error: {refused}", file=sys.stderr)
        return 1
    text = json.dumps(stored, indent=1, sort_keys=True) + "\n"
    if CODE_FILE.is_file() and CODE_FILE.read_text(encoding="utf-8") == text:
        return 0
    CODE_FILE.write_text(text, encoding="utf-8")
    print(f"wrote {CODE_FILE} ({len(stored['templates'])} templates)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
