"""What a change does to the records: two loaded repositories in, one structured diff out.

``compare_repositories(base, head)`` works on two validated ``Repository`` objects
(``generator.revisions`` loads them from git commits). A pure comparison: no git, no files but
the DataId lists it counts rows of. Records are compared
by id, field by field, on their raw YAML data, so a diff speaks the reviewer's language:
``software.version: w_2026_40 → w_2026_41``, not line numbers. Rendering lives in
``generator.render.diffreport``.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from generator.errors import Problem
from generator.loading.repository import Repository
from generator.loading.yamlsafe import plain
from generator.model.records import WORKFLOW_RUN_FIELDS as WORKFLOW_SYSTEM_FIELDS
from generator.model.records import Campaign, JournalEntry

if TYPE_CHECKING:
    from generator.dataids import DataIdList

FieldChange = tuple[str, Any, Any]  # (dotted path, old value, new value); None = absent
Change = Literal["added", "removed", "changed"]

# Keys that identify an item in a list of mappings, in order of preference: lists keyed like
# this are compared item by item (``workflows[step1].status``), others position by position.
ITEM_KEYS = ("name", "id", "title")  # what names a list item, in the order tried


def changed_fields(
    old: Mapping[str, Any], new: Mapping[str, Any], *, prefix: str = ""
) -> list[FieldChange]:
    """Every value that differs between two records, as ``(path, old, new)``, in record order.

    Paths are dotted (``butler.output``); items of a list of mappings are named by their
    ``name``/``id``/``title`` when every item has a distinct one (``workflows[step1].status``),
    else by position (``links[0].url``). A key present on one side only has ``None`` on the
    other. Lists of plain values (``tags``, ``query``) are compared as a whole.
    """
    changes: list[FieldChange] = []
    for key in _ordered_union(old, new):
        path = f"{prefix}.{key}" if prefix else str(key)
        changes.extend(_compare(path, old.get(key), new.get(key)))
    return changes


def _ordered_union(first: Iterable[Any], second: Iterable[Any]) -> list[Any]:
    return list(dict.fromkeys([*first, *second]))


def _compare(path: str, old: Any, new: Any) -> list[FieldChange]:
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        return changed_fields(old, new, prefix=path)
    if isinstance(old, list) and isinstance(new, list) and _all_mappings(old + new):
        item_key = _item_key(old, new)
        if item_key:
            old_items = {item[item_key]: item for item in old}
            new_items = {item[item_key]: item for item in new}
            changes: list[FieldChange] = []
            for name in _ordered_union(old_items, new_items):
                changes.extend(
                    _compare(f"{path}[{name}]", old_items.get(name), new_items.get(name))
                )
            return changes
        return [
            change
            for index in range(max(len(old), len(new)))
            for change in _compare(
                f"{path}[{index}]",
                old[index] if index < len(old) else None,
                new[index] if index < len(new) else None,
            )
        ]
    if old == new and type(old) is type(new):
        return []
    return [(path, plain(old), plain(new))]


def _all_mappings(items: list[Any]) -> bool:
    return bool(items) and all(isinstance(item, Mapping) for item in items)


def _item_key(old: list[Mapping[str, Any]], new: list[Mapping[str, Any]]) -> str | None:
    for key in ITEM_KEYS:
        if all(key in item and isinstance(item[key], str | int) for item in old + new) and all(
            len({item[key] for item in side}) == len(side) for side in (old, new)
        ):
            return key
    return None


# --- two campaigns side by side: the compare page ----------------------------------------------

# What a reader asks first of two campaigns is "what changed that matters": the definition, then
# the people, then the workflows, then names and references; run facts (ids, times, statuses,
# the journal) differ between any two runs by nature and are folded away. The compare page reads
# these names from the export (generator/site/compare_export.py): one grouping on both sides.
GROUPS = ("definition", "people", "workflows", "other", "run")
DEFINITION_FIELDS = ("software", "pipeline", "butler", "selection")
PEOPLE_FIELDS = ("definer", "operators")
RUN_FIELDS = ("id", "status", "started", "finished", "journal")
# A workflow's run facts: what the workflow system filled in (model), and its status.
WORKFLOW_RUN_FIELDS = ("status", *WORKFLOW_SYSTEM_FIELDS)
# Not compared: the id differs between any two campaigns (campaigns diff matches records by it).
_NOT_COMPARED = ("id",)


# The field's first name, the bracket after it, the name after that: workflows, [step1], status.
_PATH_HEAD = re.compile(r"^([^.\[]*)(\[[^\]]*\])?\.?([^.\[]*)")


def group_of(path: str) -> str:
    """The group a changed field belongs to, from its path (``workflows[step1].status`` → run).
    ``assets/compare.js`` reads the same path the same way."""
    match = _PATH_HEAD.match(path)
    top, bracket, inner = match.groups() if match else (path, None, "")
    if top in DEFINITION_FIELDS:
        return "definition"
    if top in PEOPLE_FIELDS:
        return "people"
    if top in RUN_FIELDS:
        return "run"
    if top == "workflows":
        return "run" if bracket and inner in WORKFLOW_RUN_FIELDS else "workflows"
    return "other"


def journal_key(note: JournalNote) -> str:
    """How a journal entry is named in a path: notes are compared as a multiset of (date, author,
    text), as ``campaigns diff`` does, so the name holds all three (the text as a short hash)."""
    digest = hashlib.sha1(note.text.encode("utf-8")).hexdigest()[:8]
    return f"{note.date} {note.author} #{digest}"


def journal_keys(journal: Iterable[JournalEntry]) -> list[tuple[str, JournalNote]]:
    """Each entry with its key; an identical entry written twice gets ``(2)``, ``(3)``…"""
    seen: Counter[str] = Counter()
    keyed = []
    for entry in journal:
        note = _note(entry)
        key = journal_key(note)
        seen[key] += 1
        keyed.append((key if seen[key] == 1 else f"{key} ({seen[key]})", note))
    return keyed


def campaign_differences(old: Campaign, new: Campaign) -> list[FieldChange]:
    """Every field in which two campaigns differ, as ``(path, old, new)``: the changes
    ``compare_campaigns`` (``campaigns diff``) finds, flattened into one list, without the id.

    Status and workflows come out of ``changed_fields`` like any field (workflows matched by
    name); journal entries added or removed are one change each, ``journal[<key>]``."""
    changes = changed_fields(
        _without(old.raw, ("journal", *_NOT_COMPARED)),
        _without(new.raw, ("journal", *_NOT_COMPARED)),
    )
    old_notes = dict(journal_keys(old.journal))
    new_notes = dict(journal_keys(new.journal))
    for key in _ordered_union(old_notes, new_notes):
        if key not in old_notes or key not in new_notes:
            before, after = old_notes.get(key), new_notes.get(key)
            changes.append((f"journal[{key}]", _note_fields(before), _note_fields(after)))
    return changes


def _note_fields(note: JournalNote | None) -> dict[str, str] | None:
    return None if note is None else {"date": note.date, "author": note.author, "text": note.text}


def flat_change_paths(change: CampaignChange | None) -> list[str]:
    """The paths of a ``compare_campaigns`` result, named as ``campaign_differences`` names them:
    the check that the compare page and ``campaigns diff`` find the same changes."""
    if change is None:
        return []
    paths = [path for path, _, _ in change.fields if path not in _NOT_COMPARED]
    if change.old_status:
        paths.append("status")
    for workflow in change.workflows:
        prefix = f"workflows[{workflow.name}]"
        if workflow.change != "changed":
            paths.append(prefix)
            continue
        if workflow.old_status or workflow.new_status:
            paths.append(f"{prefix}.status")
        paths.extend(f"{prefix}.{path}" for path, _, _ in workflow.fields)
    notes = Counter(journal_key(note) for note in change.journal_added + change.journal_removed)
    paths.extend(f"journal[{key}]" for key in notes.elements())
    return paths


# --- the diff model --------------------------------------------------------------------------


@dataclass
class RecordSummary:
    """A record added or removed: enough to recognise it."""

    id: str
    name: str
    path: str
    status: str = ""
    production: str = ""
    kind: str = ""


@dataclass
class WorkflowChange:
    name: str
    change: Change
    old_status: str = ""
    new_status: str = ""
    fields: list[FieldChange] = field(default_factory=list)  # paths relative to the workflow


@dataclass(frozen=True)
class JournalNote:
    date: str
    author: str
    text: str


@dataclass
class CampaignChange:
    id: str
    name: str
    path: str
    old_path: str = ""  # set when the file moved
    old_status: str = ""
    new_status: str = ""  # both set only when the status changed
    fields: list[FieldChange] = field(default_factory=list)  # not status, workflows, journal
    workflows: list[WorkflowChange] = field(default_factory=list)
    journal_added: list[JournalNote] = field(default_factory=list)
    journal_removed: list[JournalNote] = field(default_factory=list)  # edited or deleted entries


@dataclass
class RecordChange:
    """A changed production (or the site configuration, id ``notebook.yaml``)."""

    id: str
    path: str
    fields: list[FieldChange] = field(default_factory=list)


@dataclass
class ListChange:
    """One DataId list whose content changed; counts are rows (DataIds)."""

    path: str
    change: Change
    kind: str = ""  # inclusion | exclusion ("" when unreadable)
    dimensions: tuple[str, ...] = ()
    added_by_reason: dict[str, int] = field(default_factory=dict)
    removed_by_reason: dict[str, int] = field(default_factory=dict)
    reason_changed: int = 0  # rows kept with a different reason
    used_by: list[str] = field(default_factory=list)  # campaign ids (head side, else base)
    unreadable: bool = False  # one side could not be read: see the validation problems

    @property
    def added(self) -> int:
        return sum(self.added_by_reason.values())

    @property
    def removed(self) -> int:
        return sum(self.removed_by_reason.values())


@dataclass
class CompletedUse:
    """A changed DataId list that a completed campaign used: its results came from the old rows."""

    list_path: str
    campaign: str
    campaign_path: str
    # The commit where the campaign became completed: the list as the campaign used it.
    commit: str = ""
    commit_date: str = ""


@dataclass
class RecordDiff:
    base_label: str
    head_label: str
    campaigns_added: list[RecordSummary] = field(default_factory=list)
    campaigns_removed: list[RecordSummary] = field(default_factory=list)
    campaigns_changed: list[CampaignChange] = field(default_factory=list)
    campaigns_unreadable: list[RecordSummary] = field(default_factory=list)  # file kept, not valid
    productions_added: list[RecordSummary] = field(default_factory=list)
    productions_removed: list[RecordSummary] = field(default_factory=list)
    productions_changed: list[RecordChange] = field(default_factory=list)
    config_changes: list[FieldChange] = field(default_factory=list)
    lists: list[ListChange] = field(default_factory=list)
    completed_uses: list[CompletedUse] = field(default_factory=list)
    problems_introduced: list[Problem] = field(default_factory=list)
    problems_remaining: list[Problem] = field(default_factory=list)  # on both sides
    problems_fixed: list[Problem] = field(default_factory=list)

    @property
    def has_record_changes(self) -> bool:
        return any(
            (
                self.campaigns_added,
                self.campaigns_removed,
                self.campaigns_changed,
                self.campaigns_unreadable,
                self.productions_added,
                self.productions_removed,
                self.productions_changed,
                self.config_changes,
                self.lists,
            )
        )


# --- comparing -------------------------------------------------------------------------------

# Campaign keys reported in their own sections rather than as field changes.
_OWN_SECTIONS = ("status", "workflows", "journal")


def compare_repositories(
    base: Repository, head: Repository, *, base_label: str = "base", head_label: str = "head"
) -> RecordDiff:
    diff = RecordDiff(base_label, head_label)
    for campaign_id in _ordered_union(base.campaigns, head.campaigns):
        old, new = _valid(base.campaigns.get(campaign_id)), _valid(head.campaigns.get(campaign_id))
        if old is None and new is not None:
            diff.campaigns_added.append(_campaign_summary(new))
        elif new is None and old is not None:
            # A file still there that no longer loads is broken, not removed.
            still_there = (head.root / old.path).is_file()
            broken = diff.campaigns_unreadable if still_there else diff.campaigns_removed
            broken.append(_campaign_summary(old))
        elif old is not None and new is not None:
            change = compare_campaigns(old, new)
            if change is not None:
                diff.campaigns_changed.append(change)
    for production_id in _ordered_union(base.productions, head.productions):
        old_p, new_p = base.productions.get(production_id), head.productions.get(production_id)
        if old_p is None and new_p is not None:
            diff.productions_added.append(RecordSummary(new_p.id, new_p.name, new_p.path))
        elif new_p is None and old_p is not None:
            diff.productions_removed.append(RecordSummary(old_p.id, old_p.name, old_p.path))
        elif old_p is not None and new_p is not None:
            fields = changed_fields(old_p.raw, new_p.raw)
            if fields:
                diff.productions_changed.append(RecordChange(new_p.id, new_p.path, fields))
    diff.config_changes = changed_fields(base.config.raw, head.config.raw)
    diff.lists = compare_lists(base, head)
    diff.problems_introduced, diff.problems_remaining, diff.problems_fixed = compare_problems(
        base.problems, head.problems
    )
    return diff


def _valid(campaign: Campaign | None) -> Campaign | None:
    """Broken records (schema errors, see generator.loading.salvage) are compared as not loading."""
    return None if campaign is None or campaign.broken else campaign


def _campaign_summary(campaign: Campaign) -> RecordSummary:
    return RecordSummary(
        campaign.id,
        campaign.name,
        campaign.path,
        campaign.status,
        campaign.production,
        campaign.kind,
    )


def compare_campaigns(old: Campaign, new: Campaign) -> CampaignChange | None:
    """What changed in one campaign, or None if nothing did."""
    change = CampaignChange(new.id, new.name, new.path)
    if old.path != new.path:
        change.old_path = old.path
    _compare_record_data(change, old.raw, new.raw)
    _compare_journals(change, [_note(e) for e in old.journal], [_note(e) for e in new.journal])
    return change if _changed(change) else None


def compare_campaign_data(
    path: str, old: Mapping[str, Any], new: Mapping[str, Any]
) -> CampaignChange | None:
    """What changed between two versions of one campaign record's data as parsed from its YAML,
    or None if nothing did: the comparison of ``compare_campaigns`` for records that are not
    loaded (one file at two commits, for the site's "Recently changed" and status feeds)."""
    change = CampaignChange(str(new.get("id", "")), str(new.get("name", "")), path)
    _compare_record_data(change, old, new)
    _compare_journals(change, _raw_notes(old), _raw_notes(new))
    return change if _changed(change) else None


def _compare_record_data(
    change: CampaignChange, old: Mapping[str, Any], new: Mapping[str, Any]
) -> None:
    old_status, new_status = str(old.get("status", "")), str(new.get("status", ""))
    if old_status != new_status:
        change.old_status, change.new_status = old_status, new_status
    change.fields = changed_fields(_without(old, _OWN_SECTIONS), _without(new, _OWN_SECTIONS))
    change.workflows = compare_workflows(_workflows(old), _workflows(new))


def _workflows(raw: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The record's workflows that have a name (all of them in a valid record)."""
    workflows = raw.get("workflows")
    if not isinstance(workflows, list):
        return []
    return [w for w in workflows if isinstance(w, Mapping) and isinstance(w.get("name"), str)]


def _raw_notes(raw: Mapping[str, Any]) -> list[JournalNote]:
    entries = raw.get("journal")
    return [
        JournalNote(str(e.get("date", "")), str(e.get("author", "")), str(e.get("text", "")))
        for e in (entries if isinstance(entries, list) else [])
        if isinstance(e, Mapping)
    ]


def _compare_journals(
    change: CampaignChange, old: list[JournalNote], new: list[JournalNote]
) -> None:
    old_notes, new_notes = Counter(old), Counter(new)
    change.journal_added = list((new_notes - old_notes).elements())
    change.journal_removed = list((old_notes - new_notes).elements())


def _changed(change: CampaignChange) -> bool:
    return any(
        (
            change.old_path,
            change.old_status,
            change.fields,
            change.workflows,
            change.journal_added,
            change.journal_removed,
        )
    )


def _without(raw: Mapping[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    return {k: v for k, v in raw.items() if k not in keys}


def _note(entry: JournalEntry) -> JournalNote:
    return JournalNote(entry.written, entry.author, entry.text)


def compare_workflows(
    old: list[Mapping[str, Any]], new: list[Mapping[str, Any]]
) -> list[WorkflowChange]:
    """Workflows matched by name (names are unique within a campaign: a rule checks it)."""
    old_by_name = {w["name"]: w for w in old}
    new_by_name = {w["name"]: w for w in new}
    changes = []
    for name in _ordered_union(old_by_name, new_by_name):
        before, after = old_by_name.get(name), new_by_name.get(name)
        if before is None and after is not None:
            changes.append(WorkflowChange(name, "added", new_status=after.get("status", "")))
        elif after is None and before is not None:
            changes.append(WorkflowChange(name, "removed", old_status=before.get("status", "")))
        elif before is not None and after is not None:
            fields = changed_fields(_without(before, ["status"]), _without(after, ["status"]))
            status_changed = before.get("status") != after.get("status")
            if fields or status_changed:
                changes.append(
                    WorkflowChange(
                        name,
                        "changed",
                        before.get("status", "") if status_changed else "",
                        after.get("status", "") if status_changed else "",
                        fields,
                    )
                )
    return changes


def _problem_key(problem: Problem) -> tuple[str, str, str]:
    # Line numbers move with every edit above a problem: compare without them.
    return (problem.path, problem.severity, problem.message)


def compare_problems(
    base: Sequence[Problem], head: Sequence[Problem]
) -> tuple[list[Problem], list[Problem], list[Problem]]:
    """(introduced, remaining, fixed): head problems absent from the base, present in both, and
    base problems gone from the head. Compared as multisets, ignoring line and column."""
    base_counts = Counter(_problem_key(p) for p in base)
    head_counts = Counter(_problem_key(p) for p in head)
    introduced: list[Problem] = []
    remaining: list[Problem] = []
    for problem in sorted(head):
        key = _problem_key(problem)
        if base_counts[key] > 0:
            base_counts[key] -= 1
            remaining.append(problem)
        else:
            introduced.append(problem)
    fixed: list[Problem] = []
    for problem in sorted(base):
        key = _problem_key(problem)
        if head_counts[key] > 0:
            head_counts[key] -= 1
        else:
            fixed.append(problem)
    return introduced, remaining, fixed


# --- DataId lists ----------------------------------------------------------------------------


def list_users(repository: Repository) -> dict[str, list[str]]:
    """Every DataId list path any campaign names → the ids of the campaigns naming it."""
    users: dict[str, list[str]] = {}
    for campaign in repository.campaigns.values():
        for path in campaign.list_paths:
            users.setdefault(path, []).append(campaign.id)
    return users


def compare_lists(base: Repository, head: Repository) -> list[ListChange]:
    """Every list named on either side whose file content differs between the sides."""
    base_users, head_users = list_users(base), list_users(head)
    changes = []
    for path in sorted({*base_users, *head_users}):
        base_file, head_file = base.root / path, head.root / path
        base_bytes = base_file.read_bytes() if base_file.is_file() else None
        head_bytes = head_file.read_bytes() if head_file.is_file() else None
        if base_bytes == head_bytes:
            continue
        change: Change = (
            "added" if base_bytes is None else "removed" if head_bytes is None else "changed"
        )
        list_change = ListChange(
            path, change, used_by=head_users.get(path) or base_users.get(path, [])
        )
        old = _read_list(path, base) if base_bytes is not None else None
        new = _read_list(path, head) if head_bytes is not None else None
        if (base_bytes is None or old is not None) and (head_bytes is None or new is not None):
            _count_rows(list_change, old, new)
        else:
            list_change.unreadable = True
        changes.append(list_change)
    return changes


def _read_list(path: str, repository: Repository) -> DataIdList | None:
    """The list, or None when it cannot be read (``campaigns validate`` says why)."""
    from generator.dataids import load_list, universe_from_config

    kinds = {
        "exclusion" if path in c.selection.exclude else "inclusion"
        for c in repository.campaigns.values()
        if path in c.selection.exclude or path in c.selection.include
    }
    dataids, _ = load_list(
        repository.root / path,
        display=path,
        universe=universe_from_config(repository.config.dimensions),
        default_kind=kinds.pop() if len(kinds) == 1 else None,
    )
    return dataids


def _count_rows(change: ListChange, old: DataIdList | None, new: DataIdList | None) -> None:
    """Rows added and removed per reason, and rows whose reason changed (None: no such file)."""
    from generator.dataids import DimensionMismatch, diff

    known = new or old
    if known is None:
        return
    change.kind, change.dimensions = known.kind, known.dimensions
    if old is None or new is None:
        counts = _by_frequency(known.counts_by_reason())
        change.added_by_reason, change.removed_by_reason = (counts, {}) if new else ({}, counts)
        return
    try:
        rows = diff(old, new)
    except DimensionMismatch:  # a different kind of list: every row is new
        change.added_by_reason = _by_frequency(new.counts_by_reason())
        change.removed_by_reason = _by_frequency(old.counts_by_reason())
        return
    change.added_by_reason = _by_frequency(rows.counts("added"))
    change.removed_by_reason = _by_frequency(rows.counts("removed"))
    change.reason_changed = len(rows.reason_changed)


def _by_frequency(counts: Mapping[str, int]) -> dict[str, int]:
    """Rows per reason, most frequent first (ties by name), as a reviewer reads them."""
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
