"""Everything the pages are rendered from, loaded and cross-referenced once.

``load_context`` reads the records (failing with every problem if they are invalid), the Jira
snapshot and the git history, then computes the relations pages share: which campaign produces
which collection, who reads it, which campaigns name which Jira key, which DataId lists exist.
Pages only read this object, so rendering 5,000 campaigns stays linear.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from generator import clock
from generator.bps.statussnapshot import load_repository_snapshot
from generator.dataids import DataIdList, EffectiveSelection
from generator.dataids.setops import ListCache
from generator.jira.snapshot import load_snapshot
from generator.loading.repository import CONFIG_FILE, DATAIDS_DIR_NAME, Repository
from generator.model.records import Campaign, Workflow
from generator.model.snapshots import JiraSnapshot, StatusSnapshot
from generator.pipeline import validate_or_stop
from generator.site.githistory import History, load_history
from generator.site.templating import Templates, environment


def resolve_now(option: str | None = None) -> datetime:
    """The moment "now" for stale checks and shifts: ``option``, else $CAMPAIGNS_NOW, else the
    clock truncated to the minute (so two builds in the same minute are byte-identical)."""
    if option or os.environ.get(clock.NOW_VARIABLE):
        return clock.now(option)
    return clock.now().replace(second=0, microsecond=0)


@dataclass(frozen=True)
class JiraUse:
    """One place a Jira key is named: a campaign, optionally one of its workflows."""

    campaign: Campaign
    workflow: Workflow | None = None


@dataclass
class SiteContext:
    repository: Repository
    snapshot: JiraSnapshot | None
    history: History | None
    now: datetime
    # collection -> ids of campaigns writing it (campaign output or a workflow output)
    producers: dict[str, list[str]] = field(default_factory=dict)
    # campaign id -> [(other campaign id, collection)] in either direction
    upstream: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    downstream: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    jira_uses: dict[str, list[JiraUse]] = field(default_factory=dict)
    # DataId list path (repository-relative) -> page stem under dataids/, and campaigns naming it
    list_stems: dict[str, str] = field(default_factory=dict)
    list_users: dict[str, list[Campaign]] = field(default_factory=dict)
    list_cache: ListCache | None = None  # each DataId list read once
    children: dict[str, list[Campaign]] = field(default_factory=dict)  # derived campaigns
    workflow_status: StatusSnapshot | None = None  # what `campaigns bps sync` last heard

    @functools.cached_property
    def templates(self) -> Templates:
        """The page templates: the repository's ``templates_dir`` first, then the package's."""
        return environment(self.repository.root / self.repository.config.templates_dir)

    def dataid_list(self, path: str) -> DataIdList | None:
        assert self.list_cache is not None
        return self.list_cache.get(path)[0]

    def selection_of(self, campaign: Campaign) -> EffectiveSelection:
        """Computed once per combination of lists: campaigns often share their lists."""
        assert self.list_cache is not None
        return self.list_cache.selection_of(self.repository, campaign)

    @property
    def campaigns(self) -> dict[str, Campaign]:
        return self.repository.campaigns

    def production_name(self, production_id: str) -> str:
        production = self.repository.productions.get(production_id)
        return production.name if production else production_id

    @property
    def jira_server(self) -> str:
        return self.snapshot.server if self.snapshot else self.repository.config.jira_server

    @property
    def jira_browse(self) -> str:
        """``<server>/browse/``: Jira keys in record text link there ("" without a server)."""
        return f"{self.jira_server.rstrip('/')}/browse/" if self.jira_server else ""

    def jira_url(self, key: str) -> str:
        return f"{self.jira_server.rstrip('/')}/browse/{key}" if self.jira_server else ""


def list_stem(path: str) -> str:
    """``campaigns/dataids/sub/x.ecsv`` -> ``sub/x``: the list's page is ``dataids/sub/x/``."""
    pure = PurePosixPath(path)
    parts = pure.parts
    inside = (
        parts[parts.index(DATAIDS_DIR_NAME) + 1 :] if DATAIDS_DIR_NAME in parts else (pure.name,)
    )
    return str(PurePosixPath(*inside).with_suffix(""))


def list_paths_of(campaign: Campaign) -> list[str]:
    return campaign.list_paths


def cross_reference(context: SiteContext) -> None:
    campaigns = context.campaigns
    for campaign in campaigns.values():
        if campaign.derived_from:
            context.children.setdefault(campaign.derived_from, []).append(campaign)
        for collection in campaign.output_collections():
            context.producers.setdefault(collection, []).append(campaign.id)
        for key in campaign.jira:
            context.jira_uses.setdefault(key, []).append(JiraUse(campaign))
        for workflow in campaign.workflows:
            for key in workflow.jira:
                context.jira_uses.setdefault(key, []).append(JiraUse(campaign, workflow))
        for entry in campaign.journal:
            for key in entry.jira:
                context.jira_uses.setdefault(key, []).append(JiraUse(campaign))
        for path in list_paths_of(campaign):
            if path not in context.list_stems:  # campaigns share lists: each stem worked out once
                context.list_stems[path] = list_stem(path)
            context.list_users.setdefault(path, []).append(campaign)
    for production in context.repository.productions.values():
        for key in production.jira:
            context.jira_uses.setdefault(key, [])
    for campaign in campaigns.values():
        for collection in campaign.butler.inputs:
            for producer in context.producers.get(collection, []):
                if producer != campaign.id:
                    context.upstream.setdefault(campaign.id, []).append((producer, collection))
                    context.downstream.setdefault(producer, []).append((campaign.id, collection))
    context.list_stems = dict(sorted(context.list_stems.items()))


def load_context(root: Path, now: datetime) -> SiteContext:
    """Records, snapshot and history of the repository at ``root``; raises InvalidRecords."""
    validated = validate_or_stop(root, not_done="the site was not built")
    repository = validated.repository
    config = repository.config
    snapshot = load_snapshot(repository.root / config.jira_snapshot, config.jira_snapshot)
    record_paths = [config.path if config.raw else CONFIG_FILE]
    record_paths += [p.path for p in repository.productions.values()]
    record_paths += [c.path for c in repository.campaigns.values()]
    loaded: dict[str, Mapping[str, Any]] = {p.path: p.raw for p in repository.productions.values()}
    loaded.update({c.path: c.raw for c in repository.campaigns.values()})
    history = load_history(repository.root, record_paths, loaded)
    context = SiteContext(repository, snapshot, history, now)
    context.workflow_status = load_repository_snapshot(repository)
    # Reuse what validation read (a million-row list is not parsed twice).
    context.list_cache = validated.lists
    cross_reference(context)
    return context
