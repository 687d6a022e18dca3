"""Rules that need more than one field or more than one file. Each returns problems, never raises."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from generator.checks.placeholders import check_placeholders
from generator.errors import Problem
from generator.linktemplates import CAMPAIGN_FIELDS, WORKFLOW_FIELDS, template_fields
from generator.loading.repository import (
    DATAIDS_DIR_NAME,
    RECORDS_DIR,
    Repository,
    resolve_list_path,
)
from generator.loading.yamlsafe import PathPart, locate
from generator.model.records import ACTIVE_WORKFLOW_STATUSES, Campaign, Production
from generator.suggest import FULL_SEARCH, Suggester, closest, did_you_mean


def _at(
    record: Campaign | Production,
    path: list[PathPart],
    message: str,
    hint: str | None = None,
    *,
    key: bool = False,
    severity: str = "error",
    rule: str = "rules",
) -> Problem:
    line, col = locate(record.raw, path, key=key)
    return Problem(record.path, line, col, message, hint, severity, rule)  # type: ignore[arg-type]


def _suggest(word: str, choices: list[str]) -> str | None:
    return did_you_mean(word, choices)  # past FULL_SEARCH choices: see generator.suggest


@lru_cache(maxsize=4)
def _suggester(choices: tuple[str, ...] | frozenset[str]) -> Suggester:
    return Suggester(choices)


def _suggest_earlier(word: str, earlier: dict[str, int], names: frozenset[str]) -> str | None:
    """Like _suggest among the ``earlier`` workflows; a campaign of thousands of workflows asks
    the index of all its names (built once) and keeps an answer only if it is earlier."""
    if len(earlier) <= FULL_SEARCH:
        return _suggest(word, list(earlier))
    found = _suggester(names).closest(word, among=earlier)
    return f"did you mean {found!r}?" if found else None


def _file_name_matches(record: Campaign | Production) -> Iterator[Problem]:
    stem = Path(record.path).stem
    if stem != record.id:
        yield _at(
            record,
            ["id"],
            f"file name {Path(record.path).name!r} does not match id {record.id!r}",
            f"rename the file to {record.id}.yaml",
            rule="file-name",
        )


def _order(
    record: Campaign, path: list[PathPart], start: datetime | None, end: datetime | None
) -> Problem | None:
    """A campaign's or workflow's finish before its start (a function, not a generator: it is
    asked for every workflow of every campaign, and nearly always has nothing to say)."""
    if start and end and end < start:
        return _at(
            record,
            [*path, "finished"],
            "finished before it started",
            "check the dates and time zones",
            rule="dates",
        )
    return None


def check_campaign(campaign: Campaign, repository: Repository) -> Iterator[Problem]:
    config = repository.config
    yield from _file_name_matches(campaign)
    if (
        campaign.production
        and campaign.production not in repository.productions
        and campaign.production not in repository.unreadable_ids
    ):
        yield _at(
            campaign,
            ["production"],
            f"production {campaign.production!r} does not exist",
            _suggest(campaign.production, list(repository.productions))
            or "add it under campaigns/productions/",
            rule="reference",
        )
    if campaign.kind and campaign.kind not in config.kinds:
        yield _at(
            campaign,
            ["kind"],
            f"kind {campaign.kind!r} is not one of the allowed kinds",
            _suggest(campaign.kind, list(config.kinds))
            or f"allowed: {', '.join(config.kinds)} (notebook.yaml lists them)",
            rule="kind",
        )
    if config.tags:
        for index, tag in enumerate(campaign.tags):
            if tag not in config.tags:
                yield _at(
                    campaign,
                    ["tags", index],
                    f"tag {tag!r} is not in the allowed tags",
                    _suggest(tag, list(config.tags)) or "add it to tags in notebook.yaml",
                    rule="tags",
                )
    if campaign.derived_from:
        if campaign.derived_from == campaign.id:
            yield _at(
                campaign,
                ["derived_from"],
                "a campaign cannot be derived from itself",
                rule="reference",
            )
        elif (
            campaign.derived_from not in repository.campaigns
            and campaign.derived_from not in repository.unreadable_ids
        ):
            yield _at(
                campaign,
                ["derived_from"],
                f"derived_from {campaign.derived_from!r} names no campaign",
                _suggest(campaign.derived_from, list(repository.campaigns)),
                rule="reference",
            )
    if problem := _order(campaign, [], campaign.started, campaign.finished):
        yield problem
    for o_index, operator in enumerate(campaign.operators):
        for s_index, shift in enumerate(operator.shifts):
            if shift.end < shift.start:
                yield _at(
                    campaign,
                    ["operators", o_index, "shifts", s_index, "end"],
                    "shift ends before it starts",
                    rule="dates",
                )
    yield from _check_workflows(campaign)
    yield from _check_status(campaign)
    yield from _check_list_references(campaign, repository.root)


def _check_workflows(campaign: Campaign) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    names = frozenset(workflow.name for workflow in campaign.workflows)
    for workflow in campaign.workflows:
        path: list[PathPart] = ["workflows", workflow.index]
        if workflow.name and workflow.name in seen:
            yield _at(
                campaign,
                [*path, "name"],
                f"workflow name {workflow.name!r} is used twice (first as workflow {seen[workflow.name] + 1})",
                rule="unique-id",
            )
        if workflow.rescue_of:
            if workflow.rescue_of == workflow.name:
                yield _at(
                    campaign,
                    [*path, "rescue_of"],
                    "a workflow cannot rescue itself",
                    rule="reference",
                )
            elif workflow.rescue_of not in seen:
                later = workflow.rescue_of in names
                hint = (
                    "list the rescued workflow before its rescue"
                    if later
                    else _suggest_earlier(workflow.rescue_of, seen, names)
                )
                yield _at(
                    campaign,
                    [*path, "rescue_of"],
                    f"rescue_of {workflow.rescue_of!r} names no earlier workflow of this campaign",
                    hint,
                    rule="reference",
                )
        seen.setdefault(workflow.name, workflow.index)
        if problem := _order(campaign, path, workflow.started, workflow.finished):
            yield problem
        if workflow.status == "planned" and workflow.started:
            yield _at(
                campaign,
                [*path, "status"],
                "workflow is 'planned' but has a start time",
                "set status to what bps report says",
                rule="status",
            )


def _check_status(campaign: Campaign) -> Iterator[Problem]:
    active = [w for w in campaign.workflows if w.status in ACTIVE_WORKFLOW_STATUSES]
    if campaign.status in ("completed", "failed", "defined") and active:
        first = active[0]
        yield _at(
            campaign,
            ["workflows", first.index, "status"],
            f"campaign is {campaign.status} but workflow {first.name!r} is {first.status}",
            "update the workflow status from bps report, or the campaign status",
            rule="status",
        )
    if campaign.status == "defined":
        for workflow in campaign.workflows:
            if workflow.status not in ("", "planned", *ACTIVE_WORKFLOW_STATUSES):
                yield _at(
                    campaign,
                    ["workflows", workflow.index, "status"],
                    f"campaign is defined (not started) but workflow {workflow.name!r} is {workflow.status}",
                    "set the campaign status to running, paused, completed or failed",
                    rule="status",
                )
                break
    if campaign.finished and campaign.status in ("running", "defined", "paused"):
        yield _at(
            campaign,
            ["finished"],
            f"campaign has a finish time but is {campaign.status}",
            "clear finished, or set status to completed or failed",
            rule="status",
        )


LIST_NAME_HINT = "name list files with ASCII letters, digits, '.', '_', '-' and '/' only ('..' only at the start)"


def _check_list_references(campaign: Campaign, root: Path) -> Iterator[Problem]:
    record_path = root / campaign.path
    references: list[tuple[list[PathPart], str]] = []
    selection = campaign.raw.get("selection", {})
    for side in ("include", "exclude"):
        for index, reference in enumerate(selection.get(side, ())):
            references.append((["selection", side, index], reference))
    for index, workflow in enumerate(campaign.raw.get("workflows", ())):
        if "dataids" in workflow:
            references.append((["workflows", index, "dataids"], workflow["dataids"]))
    for path, reference in references:
        _, problem = resolve_list_path(reference, record_path, root)
        if problem:
            yield _at(
                campaign,
                path,
                problem,
                LIST_NAME_HINT
                if problem.startswith("DataId list name")
                else _similar_list_file(reference, record_path, root)
                or "paths are relative to the campaign file and must stay inside the repository",
                rule="reference",
            )


def _similar_list_file(reference: str, record_path: Path, root: Path) -> str | None:
    """``did you mean '../dataids/x.ecsv'?`` among the repository's list files, by file name."""
    folder = root / RECORDS_DIR / DATAIDS_DIR_NAME
    if not folder.is_dir():
        return None
    written: dict[str, str] = {}  # file name -> the path as this campaign would write it
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            relative_path = Path(os.path.relpath(path, record_path.parent)).as_posix()
            written.setdefault(path.name, relative_path)
    name = closest(Path(reference).name, written)
    if name is None or written[name] == reference:
        return None
    return f"did you mean {written[name]!r}?"


def _derivation_cycles(repository: Repository) -> Iterator[Problem]:
    """Each derived_from cycle once. Linear: every campaign is walked at most once (a chain of
    thousands used to be walked again from each of its campaigns)."""
    campaigns = repository.campaigns
    done: set[str] = set()
    for start in campaigns:
        path: dict[str, int] = {}  # this walk, in order (dicts keep insertion order)
        current: str | None = start
        while current is not None and current in campaigns and current not in done:
            if current in path:
                cycle = list(path)[path[current] :]
                first = campaigns[min(cycle)]
                yield _at(
                    first,
                    ["derived_from"],
                    f"derived_from forms a cycle: {' → '.join([*sorted(cycle), min(cycle)])}",
                    "a campaign must derive from an older one",
                    rule="reference",
                )
                break
            path[current] = len(path)
            current = campaigns[current].derived_from or None
        done.update(path)


def _check_config(repository: Repository) -> Iterator[Problem]:
    config = repository.config
    if not config.raw:
        return
    templates = config.raw.get("link_templates", {})
    for scope, allowed in (("campaign", CAMPAIGN_FIELDS), ("workflow", WORKFLOW_FIELDS)):
        for index, template in enumerate(templates.get(scope, ())):
            path: list[PathPart] = ["link_templates", scope, index, "url"]
            line, col = locate(config.raw, path)
            try:
                names = template_fields(template["url"])
            except ValueError as error:
                yield Problem(
                    config.path,
                    line,
                    col,
                    f"link template is malformed: {error}",
                    "write fields as {field}; double braces for a literal brace",
                    rule="templates",
                )
                continue
            for name in names:
                if name not in allowed:
                    hint = (
                        _suggest(name, sorted(allowed))
                        or f"known fields: {', '.join(sorted(allowed))}"
                    )
                    yield Problem(
                        config.path,
                        line,
                        col,
                        f"link template uses unknown field {{{name}}}",
                        hint,
                        rule="templates",
                    )
            for field in template.get("when", {}):
                if field not in allowed:
                    w_line, w_col = locate(
                        config.raw, ["link_templates", scope, index, "when", field], key=True
                    )
                    yield Problem(
                        config.path,
                        w_line,
                        w_col,
                        f"link template condition uses unknown field {field!r}",
                        _suggest(field, sorted(allowed)),
                        rule="templates",
                    )


def check_repository(repository: Repository) -> list[Problem]:
    problems: list[Problem] = []
    problems.extend(_check_config(repository))
    for production in repository.productions.values():
        problems.extend(_file_name_matches(production))
    for campaign in repository.campaigns.values():
        problems.extend(check_campaign(campaign, repository))
    records: list[Campaign | Production] = [*repository.productions.values()]
    records.extend(repository.campaigns.values())
    for record in records:
        problems.extend(check_placeholders(record.raw, record.path))
    problems.extend(_derivation_cycles(repository))
    return problems
