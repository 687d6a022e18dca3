"""What changed, newest first: Atom feeds (site-wide and per production) and the "What's new" page.

Both come from the same list of events: journal entries and the status changes of workflows (a
workflow started; a workflow finished, with its final status), each at the time the record gives,
and the status changes of campaigns (a campaign added, or its status changed), at the time of the
commit that made them: the records hold no time for those, git does (githistory.record_edits,
the same changes the home page's "Recently changed" lists, so only from the newest commits). Feeds are written by ElementTree, which escapes every text and
attribute; control characters (not allowed in XML 1.0) are stripped first. Entry ids are stable
tag URIs, so a feed reader shows an entry once however often the site is rebuilt.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

import jinja2

from generator.escaping import encode_path, markdown_text, one_line, strip_controls
from generator.model.records import Campaign
from generator.site.context import SiteContext
from generator.site.markup import site_link, when
from generator.site.usertext import render_html

ATOM = "http://www.w3.org/2005/Atom"
FEED_ENTRIES = 100  # newest entries per feed: a feed is a "what changed lately", not an archive
PAGE_ENTRIES = 100
SITE_FEED = "feeds/all.atom.xml"
TEMPLATES = Path(__file__).parent / "templates"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Event(NamedTuple):
    """One change worth telling: a journal entry or a workflow's status change. A named tuple,
    not a frozen dataclass: a build makes one per journal entry and workflow start and finish
    (40,000 at 1,000 campaigns), and a tuple is made in a fraction of the time. Its ``title``
    is written when asked: a feed and the page show a few hundred of them."""

    when: datetime
    campaign: Campaign
    kind: str  # "journal" | "started" | "finished" | "status"
    key: str  # unique within the campaign: the entry's number, the workflow's name, the commit
    subject: str  # the workflow's name; for "status", what changed; unused for "journal"
    author: str = ""
    text: str = ""  # record Markdown (journal entries)
    outcome: str = ""  # "finished": the workflow's status

    @property
    def anchor(self) -> str:
        anchors = {"journal": "journal", "status": "record-history"}
        return anchors.get(self.kind, "workflows")

    @property
    def title(self) -> str:
        """``<campaign name>: <what happened>``, on one line."""
        name = one_line(self.campaign.name) or self.campaign.id
        if self.kind == "journal":
            return f"{name}: {one_line(self.text.strip().split(chr(10), 1)[0])}"
        if self.kind == "started":
            return f"{name}: workflow {one_line(self.subject)} started"
        if self.kind == "finished":
            return f"{name}: workflow {one_line(self.subject)} {one_line(self.outcome)}"
        return f"{name}: {self.subject}"


def collect_events(context: SiteContext) -> list[Event]:
    """Every event of every campaign, newest first (ties in a stable order)."""
    events: list[Event] = []
    for campaign in context.campaigns.values():
        for number, entry in enumerate(campaign.journal, start=1):
            events.append(
                Event(
                    entry.when,
                    campaign,
                    "journal",
                    f"journal-{number}",
                    "",
                    author=entry.author,
                    text=entry.text,
                )
            )
        for workflow in campaign.workflows:
            if workflow.started:
                events.append(
                    Event(
                        workflow.started,
                        campaign,
                        "started",
                        f"workflow-{workflow.name}-started",
                        workflow.name,
                    )
                )
            if workflow.finished:
                events.append(
                    Event(
                        workflow.finished,
                        campaign,
                        "finished",
                        f"workflow-{workflow.name}-finished",
                        workflow.name,
                        outcome=workflow.status,
                    )
                )
    events.extend(status_events(context))
    events.sort(key=lambda e: (e.when, e.campaign.id, e.key), reverse=True)
    return events


def status_events(context: SiteContext) -> list[Event]:
    """Campaigns added or whose status changed, at their commit's time (newest commits only)."""
    if context.history is None:
        return []
    by_path = {c.path: c for c in context.campaigns.values()}
    events = []
    for commit_edits in context.history.edits:
        commit = commit_edits.commit
        for edit in commit_edits.edits:
            campaign = by_path.get(edit.path) if edit.kind == "campaign" else None
            if campaign is None or not edit.new_status:  # no page to link to, or no status news
                continue
            what = (
                f"added ({one_line(edit.new_status)})"
                if edit.change == "added"
                else f"status {one_line(edit.old_status)} → {one_line(edit.new_status)}"
            )
            events.append(
                Event(
                    commit.date,
                    campaign,
                    "status",
                    f"status-{commit.sha}",
                    what,
                    author=commit.author,
                )
            )
    return events


def entry_id(event: Event) -> str:
    """A tag URI (RFC 4151): stable across builds and hosts."""
    return f"tag:campaign-notebook,2026:{encode_path(event.campaign.id)}/{encode_path(event.key)}"


def page_url(base: str, event: Event) -> str:
    return f"{base}campaigns/{encode_path(event.campaign.id)}/#{event.anchor}"


def _text(value: str) -> str:
    return strip_controls(value)


def atom_feed(title: str, feed_path: str, base: str, events: list[Event], now: datetime) -> bytes:
    """An Atom 1.0 document of ``events`` (newest first); ``base`` is the site's URL ("" if
    unknown: then links are relative to the site root, resolved by xml:base)."""
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed")
    if base:
        feed.set("{http://www.w3.org/XML/1998/namespace}base", base)

    def child(parent: ElementTree.Element, tag: str, text: str = "", **attributes: str) -> None:
        node = ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
        if text:
            node.text = _text(text)

    shown = events[:FEED_ENTRIES]
    updated = shown[0].when if shown else now
    child(feed, "id", f"tag:campaign-notebook,2026:{feed_path}")
    child(feed, "title", title)
    child(feed, "updated", _rfc3339(updated))
    child(feed, "link", rel="self", href=f"{base}{feed_path}")
    child(feed, "link", rel="alternate", href=f"{base}whats-new/")
    child(feed, "generator", "Campaign Notebook")
    for event in shown:
        entry = ElementTree.SubElement(feed, f"{{{ATOM}}}entry")
        child(entry, "id", entry_id(event))
        child(entry, "title", event.title)
        child(entry, "updated", _rfc3339(event.when))
        child(entry, "link", rel="alternate", href=page_url(base, event))
        author = ElementTree.SubElement(entry, f"{{{ATOM}}}author")
        child(author, "name", event.author or "Campaign Notebook")
        child(entry, "category", term=_text(event.campaign.status))
        if event.text:  # the record's Markdown through the one rendering path, then escaped XML
            child(entry, "content", render_html(event.text), type="html")
    document: bytes = ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def _rfc3339(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def production_feed_path(production_id: str) -> str:
    return f"feeds/productions/{encode_path(production_id)}.atom.xml"


def render_feeds(context: SiteContext, events: list[Event]) -> dict[str, bytes]:
    """``feeds/all.atom.xml`` and one feed per production."""
    base = context.repository.config.site_url
    if base and not base.endswith("/"):
        base += "/"
    now = context.now
    title = one_line(context.repository.config.title)
    files = {SITE_FEED: atom_feed(f"{title}: what's new", SITE_FEED, base, events, now)}
    by_production: dict[str, list[Event]] = {}  # one pass: there are ~40 events per campaign
    for event in events:
        by_production.setdefault(event.campaign.production, []).append(event)
    for production in context.repository.productions.values():
        path = production_feed_path(production.id)
        own = by_production.get(production.id, [])
        name = one_line(production.name) or production.id
        files[path] = atom_feed(f"{title}: {name}", path, base, own, now)
    return files


def _environment() -> jinja2.Environment:
    # Markdown output: autoescape is off, and every value from a record passes a filter of the
    # escaping module (`text`) or is a link built by markup.site_link.
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    environment.filters["text"] = markdown_text
    environment.filters["when"] = when
    environment.filters["path"] = encode_path
    return environment


def render_whats_new(context: SiteContext, events: list[Event]) -> str:
    """``whats-new.md``: the newest events, grouped by day, with the feeds linked."""
    rows = [
        {
            "when": event.when,
            "day": event.when.strftime("%Y-%m-%d"),
            "campaign": site_link(
                event.campaign.name or event.campaign.id, f"campaigns/{event.campaign.id}.md"
            ),
            "kind": event.kind,
            "what": event.title.split(": ", 1)[-1],
            "author": event.author,
        }
        for event in events[:PAGE_ENTRIES]
    ]
    productions = [
        {"name": p.name or p.id, "feed": production_feed_path(p.id)}
        for p in context.repository.productions.values()
    ]
    template = _environment().get_template("whats_new.md.j2")
    return template.render(
        rows=rows, total=len(events), shown=len(rows), site_feed=SITE_FEED, productions=productions
    )
