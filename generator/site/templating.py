"""Jinja2 templates for every page: the package's own, overridable by the notebook repository.

Pages are data → template: a page module gathers what the page shows into plain values and
already-safe fragments, and ``render`` lays them out with a template from
``generator/site/templates/`` (Markdown with raw HTML where needed). A notebook repository can
replace any template, or extend one and fill its blocks, by placing a file of the same name in the
folder that ``templates_dir`` in ``notebook.yaml`` names (default ``overrides/templates``). The
package's templates stay reachable as ``default/<name>``, so an override can extend the template
it replaces (``{% extends "default/home.md.j2" %}``).

Safety: autoescaping is on, so a plain ``{{ value }}`` is HTML-escaped; the filters below are the
only way values become Markdown or HTML, and each goes through ``generator.escaping`` or, for
Markdown that people write, the one rendering path of ``generator.site.usertext``. A repository's
templates run in Jinja2's sandbox: they cannot reach Python internals during a CI build. The
package's own templates are trusted code and run in a plain ``Environment`` with the same settings
(the sandbox's check on every attribute was about a third of the rendering time); a page whose
template, or any template it includes, imports or extends, comes from the repository is rendered
wholly in the sandbox. The plain environment writes autoescaped output through
``escape_output`` (markupsafe's escaping, without a ``Markup`` object per piece), loads the
package's templates already compiled when ``template_code.json`` matches them
(``template_code``), and calls a macro given its arguments by position without Jinja's generic
call machinery (``_ShippedContext``).
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable, Mapping, MutableMapping
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    Template,
    meta,
)
from jinja2.compiler import CodeGenerator, Frame
from jinja2.environment import TemplateModule
from jinja2.nodes import Expr
from jinja2.runtime import Context, Macro, new_context
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import internalcode

__all__ = ["Templates", "environment", "escape_output", "render", "safe"]
import markupsafe
from markupsafe import Markup, escape

from generator.escaping import (
    code_block,
    code_span,
    encode_path,
    escape_html,
    href,
    markdown_text,
    one_line,
    table_code_span,
)
from generator.site.markup import (
    CAMPAIGN_STATUS_ICONS,
    JIRA_CATEGORY_ICONS,
    WORKFLOW_STATUS_ICONS,
    badge,
    day,
    duration,
    when,
)
from generator.site.template_code import ShippedCode
from generator.site.usertext import user_markdown

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"
DEFAULT_PREFIX = "default"


def _markup(fragment: str) -> Markup:
    """``Markup(fragment)`` for the text an escaping helper made: ``str.__new__`` skips
    ``Markup.__new__``'s look for an ``__html__`` method, which a ``str`` has not (the filters
    run half a million times in a build of 1,000 campaigns)."""
    return str.__new__(Markup, fragment)


def _text(value: Any) -> Markup:
    """Plain text for inline Markdown (a table cell, a heading, a list item)."""
    return _markup(markdown_text("" if value is None else str(value)))


def _html(value: Any) -> Markup:
    """Plain text for raw HTML (element content or a double-quoted attribute), on one line: a
    blank line would end the raw HTML block and let Markdown read what follows."""
    return _markup(escape_html(one_line("" if value is None else str(value))))


def _code(value: Any) -> Markup:
    return _markup(code_span("" if value is None else str(value)))


def _cell_code(value: Any) -> Markup:
    """Inline code inside a Markdown table row (its pipes escaped, so they cannot split the row)."""
    return _markup(table_code_span("" if value is None else str(value)))


def _code_block(value: Any, language: str = "") -> Markup:
    return _markup(code_block("" if value is None else str(value), language))


_BADGE_ICONS = {
    "campaign": CAMPAIGN_STATUS_ICONS,
    "workflow": WORKFLOW_STATUS_ICONS,
    "ticket": {"missing": "⚠"},
}


def _badge(status: Any, kind: str) -> Markup:
    """A status of ours (``kind``: campaign, workflow, ticket) as icon and word."""
    return _markup(badge(str(status), _BADGE_ICONS[kind]))


def _jira_badge(status: Any, category: str, markdown: bool = True) -> Markup:
    """A Jira status (free text) with its category's icon and colour; ``markdown=False`` inside
    raw HTML blocks."""
    return _markup(badge(str(status or ""), JIRA_CATEGORY_ICONS, str(category), markdown=markdown))


def _number(value: int) -> str:
    return f"{value:,}"


def _markdown(value: Any, jira_browse: str = "") -> Markup:
    """Markdown a person wrote: parsed, sanitized and embedded as one raw HTML line; Jira keys
    in it link to ``jira_browse`` + key when given."""
    return _markup(user_markdown("" if value is None else str(value), str(jira_browse or "")))


def _href(value: Any) -> Markup:
    """An outside URL for an ``href`` attribute; empty when the URL is not http(s)/mailto."""
    return _markup(href(str(value or "")) or "")


def _path(value: Any) -> Markup:
    """A path inside the site for a link target (percent-encoded)."""
    return _markup(encode_path(str(value or "")))


def _duration(span: tuple[datetime | None, datetime | None]) -> str:
    return duration(*span)


FILTERS = {
    "text": _text,
    "cell_code": _cell_code,
    "code_block": _code_block,
    "badge": _badge,
    "jira_badge": _jira_badge,
    "number": _number,
    "duration": _duration,
    "html": _html,
    "code": _code,
    "markdown": _markdown,
    "href": _href,
    "path": _path,
    "when": when,
    "day": day,
}


def loader(repository_folder: Path | None) -> BaseLoader:
    """The repository's folder first (when it exists), then the package's templates; the
    package's also as ``default/<name>`` for overrides that extend them."""
    package = FileSystemLoader(PACKAGE_TEMPLATES)
    loaders: list[BaseLoader] = []
    if repository_folder is not None and repository_folder.is_dir():
        loaders.append(FileSystemLoader(repository_folder))
    loaders += [package, PrefixLoader({DEFAULT_PREFIX: package})]
    return ChoiceLoader(loaders)


_SETTINGS: dict[str, Any] = {
    "autoescape": True,
    "undefined": StrictUndefined,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
    "auto_reload": False,
}


def _public_escape_text(value: str, /) -> str:
    return str(escape(value))


# The C function behind markupsafe.escape (markupsafe 2.1 to 3.x); else the public one, same text.
_escape_text: Callable[[str], str] = getattr(markupsafe, "_escape_inner", _public_escape_text)


def escape_output(value: Any) -> str:
    """What autoescaping writes for ``{{ value }}``: the text of ``markupsafe.escape(value)``,
    without a ``Markup`` object made for each piece (Jinja joins the pieces at once; making
    them was about a fifth of the time of rendering a campaign page)."""
    kind = type(value)  # type(), as markupsafe.escape: a proxy may report another __class__
    if kind is str:
        return _escape_text(value)
    if kind is Markup:  # a filter's output (already safe), as escape would return it
        return value  # type: ignore[no-any-return]  # (no cast(): a call per piece)
    return escape(value)


class _OutputCodeGenerator(CodeGenerator):
    """Jinja's code generator, writing ``escape_output`` where autoescaping writes ``escape``
    (``code_generator_class``); the escaping itself is markupsafe's, unchanged."""

    def _output_child_pre(self, node: Expr, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            super()._output_child_pre(node, frame, finalize)
            return
        self.write("environment.escape_output(")
        if finalize.src is not None:
            self.write(finalize.src)


class _ShippedTemplate(Template):
    """A package template. On every ``{% import %}`` Jinja looks for globals the importing
    page has that the imported template lacks, by a set difference with a ``ChainMap``'s keys
    (made in Python each time); when the page has only the environment's globals, which every
    template has, the answer is known without it: none."""

    @internalcode  # left out of a template error's traceback, as Jinja's own is
    def _get_default_module(self, ctx: Context | None = None) -> TemplateModule:
        if ctx is not None and ctx.globals_keys.issubset(self.environment.globals):
            ctx = None
        return super()._get_default_module(ctx)

    def new_context(
        self,
        vars: dict[str, Any] | None = None,
        shared: bool = False,
        locals: Mapping[str, Any] | None = None,
    ) -> Context:
        """Jinja's, given the template's globals (a ``ChainMap`` of its own over the
        environment's) as one dict: the context copies them, and a ``ChainMap`` is copied key by
        key in Python, on every page and every include."""
        globals: MutableMapping[str, Any] = self.globals
        if isinstance(globals, ChainMap):
            flat: dict[str, Any] = {}
            for mapping in reversed(globals.maps):
                flat.update(mapping)
            globals = flat
        return new_context(self.environment, self.name, self.blocks, vars, shared, globals, locals)


class _ShippedContext(Context):
    """The context of a package template. ``{{ m.link(title, url) }}`` compiles to
    ``context.call(macro, ...)``, which inspects the callee and passes the arguments on to
    ``Macro.__call__``, which matches them to parameters: three times the cost of the macro's own
    output for a link (tens of thousands of calls a build). A macro given all its arguments by
    position (and the body of a ``{% call %}`` as ``caller``, if it takes one), without
    ``varargs`` or ``kwargs`` (nearly every call), goes straight to the macro's function, with
    the same result as those steps give; any other call takes them."""

    @internalcode
    def call(self, callee: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        if type(callee) is Macro:
            kwargs.pop("_loop_vars", None)  # for functions that take the context; not macros
            kwargs.pop("_block_vars", None)
            caller = kwargs.get("caller") if callee.caller else None
            if (
                len(kwargs) == (caller is not None)
                and (caller is not None) == callee.caller
                and len(args) == callee._argument_count
                and not (callee.explicit_caller or callee.catch_kwargs or callee.catch_varargs)
                and not self.environment.is_async
            ):
                try:
                    output = callee._func(*args, caller) if callee.caller else callee._func(*args)
                except StopIteration:  # as Context.call
                    return self.environment.undefined(
                        "value was undefined because a callable raised a StopIteration exception"
                    )
                return safe(output) if self.eval_ctx.autoescape else output
        return super().call(callee, *args, **kwargs)


class _ShippedEnvironment(Environment):
    """The plain environment of the package's own templates (the sandbox keeps Jinja's code)."""

    code_generator_class = _OutputCodeGenerator
    template_class = _ShippedTemplate
    context_class = _ShippedContext
    escape_output = staticmethod(escape_output)


def _package_loader() -> BaseLoader:
    package = FileSystemLoader(PACKAGE_TEMPLATES)
    return ChoiceLoader([package, PrefixLoader({DEFAULT_PREFIX: package})])


def _template_names(folder: Path | None) -> frozenset[str]:
    if folder is None or not folder.is_dir():
        return frozenset()
    return frozenset(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


class Templates:
    """The page templates of one build: the package's in a plain environment, and every page
    that uses a template of the repository's in the sandbox (templates compiled once per build;
    an edited template is read again). The plain environment's loader reads the package's
    folder only, so a repository's template can never be compiled outside the sandbox, even if
    the look at what a template pulls in missed something."""

    def __init__(self, repository_folder: Path | None = None) -> None:
        self.sandboxed = SandboxedEnvironment(loader=loader(repository_folder), **_SETTINGS)
        self.sandboxed.filters.update(FILTERS)
        self.shipped = _ShippedEnvironment(
            # An unbounded cache (a dict, not Jinja's locked LRU): the package has a few dozen.
            loader=_package_loader(),
            bytecode_cache=ShippedCode(),
            cache_size=-1,
            **_SETTINGS,
        )
        self.shipped.filters.update(FILTERS)
        self.overridden = _template_names(repository_folder)
        self._trusted: dict[str, bool] = {}

    def environment_for(self, name: str) -> Environment:
        """The plain environment when ``name`` and everything it pulls in are the package's."""
        return self.shipped if self._only_package(name) else self.sandboxed

    def get_template(self, name: str) -> Template:
        return self.environment_for(name).get_template(name)

    def _only_package(self, name: str, seen: frozenset[str] = frozenset()) -> bool:
        if not self.overridden:
            return True
        if name in self._trusted:
            return self._trusted[name]
        package_name = name.removeprefix(f"{DEFAULT_PREFIX}/")
        source = PACKAGE_TEMPLATES / package_name
        trusted = (name != package_name or name not in self.overridden) and source.is_file()
        if trusted:
            referenced = list(
                meta.find_referenced_templates(
                    self.shipped.parse(source.read_text(encoding="utf-8"))
                )
            )
            trusted = all(
                reference is not None  # a name computed at render time: the sandbox decides
                and (reference in seen or self._only_package(reference, seen | {name}))
                for reference in referenced
            )
        self._trusted[name] = trusted
        return trusted


def environment(repository_folder: Path | None = None) -> Templates:
    """One per build: the package's templates, overridable by ``repository_folder``'s."""
    return Templates(repository_folder)


def render(templates: Templates, name: str, **values: Any) -> str:
    """The page ``name`` (e.g. ``campaign.md.j2``) filled with ``values``."""
    return templates.get_template(name).render(**values)


def safe(fragment: str) -> Markup:
    """A fragment a page module built with the escaping helpers (already safe Markdown/HTML)."""
    return _markup(fragment) if type(fragment) is str else Markup(fragment)
