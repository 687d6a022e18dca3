"""A campaign record → the BPS submit YAML of one of its workflows (and its data-ID table).

``submit_file`` is the one place that decides what a workflow's submission says; both
``campaigns bps config`` and the Reproduce block of campaign pages use it, so they agree.
The keys are ctrl_bps's (``lsst/ctrl/bps/etc/bps_defaults.yaml``):

- ``pipelineYaml`` the pipeline with the workflow's step as ``#subset``;
- ``project`` the production, ``campaign`` the campaign id, ``operator``: what ``bps report``
  and the workflow system's queries show, and how ``campaigns bps sync`` finds the runs again
  (``payloadName`` is the workflow's name);
- ``payload.dataQuery``: the campaign's query AND the workflow's AND NOT each exclusion list.
  bps puts it in double quotes on the ``pipetask qgraph`` command line (``-d "{dataQuery}"``,
  split by ``shlex``), so ``"`` and ``\\`` cannot appear in it; an expression too long for one
  query is refused with the alternatives named;
- ``extraQgraphOptions``: ``-c label:field=value`` and ``-C label:file`` for the config
  overrides, ``--data-id-table`` for an inclusion list (written next to the YAML, without the
  ``reason`` column, which pipetask refuses), each word shell-quoted (bps splits the line).

bps reads ``{name}`` in any value as one of its variables, so record text with braces is refused.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, NamedTuple

from generator.dataids import (
    DataIdList,
    DimensionMismatch,
    load_list,
    union,
    universe_from_config,
    where_expression,
)
from generator.dataids.setops import ListCache
from generator.errors import Problem, UserError
from generator.loading.repository import Repository
from generator.model.records import Campaign, Software, Workflow
from generator.writing.newfiles import dump_yaml

# The plugin class of each workflow system a record can name (schema: workflow.system).
SERVICE_CLASSES = {
    "panda": "lsst.ctrl.bps.panda.PanDAService",
    "htcondor": "lsst.ctrl.bps.htcondor.HTCondorService",
    "parsl": "lsst.ctrl.bps.parsl.ParslService",
}
SYSTEM_OF_SERVICE = {name: system for system, name in SERVICE_CLASSES.items()}
TABLE_SUFFIX = ".data-id-table.ecsv"
_OR = re.compile(r"\bOR\b", re.IGNORECASE)
_ENVIRONMENT_VARIABLE = re.compile(
    r"\$\{[A-Za-z_][A-Za-z0-9_]*\}"
)  # ${DRP_PIPE_DIR}: bps expands it
_UNSAFE_COMMENT = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")


class SubmitConfigError(UserError):
    """The record cannot become a submit file as it stands (the message says why and what to do)."""


@dataclass(frozen=True)
class Origin:
    """Which record, at which commit, a submit file was written from."""

    record_path: str
    commit: str = ""  # the last commit that changed the record; "" if never committed
    modified: bool = False  # the working copy differs from that commit


@dataclass
class SubmitFile:
    campaign: Campaign
    workflow: Workflow
    values: dict[str, Any]  # the YAML document, in the order written
    header: list[str]  # comment lines (without "# ")
    table: DataIdList | None = None  # the data-ID table, when an inclusion list applies
    table_name: str = ""  # its file name, next to the YAML
    qgraph_options: list[list[str]] = field(default_factory=list)  # [["-c", "a:b=c"], ...]

    @property
    def file_name(self) -> str:
        return file_name(self.workflow)

    def yaml_text(self) -> str:
        comments = "".join(f"# {line}\n" for line in self.header)
        return comments + dump_yaml(self.values, width=1_000_000)  # one line per value

    def table_text(self) -> str:
        """The data-ID table as ECSV without the ``reason`` column (pipetask refuses extra ones)."""
        from generator.dataids.formats import write_text

        assert self.table is not None
        return write_text(self.table, "ecsv", with_reasons=False)

    def pipetask_words(self, table_dir: str = "") -> list[str]:
        """The ``pipetask qgraph`` command the submission runs first (what bps builds from
        ``createQuantumGraph``), for checking a definition locally before submitting."""
        payload = self.values["payload"]
        words = ["pipetask", "qgraph"]
        if payload.get("butlerConfig"):
            words += ["-b", payload["butlerConfig"]]
        if payload.get("inCollection"):
            words += ["-i", payload["inCollection"]]
        if payload.get("output"):
            words += ["-o", payload["output"]]
        words += ["-p", self.values["pipelineYaml"]]
        if payload.get("dataQuery"):
            words += ["-d", payload["dataQuery"]]
        for option in self.qgraph_options:
            if option[0] == "--data-id-table":
                words += [option[0], _joined(table_dir, self.table_name)]
            else:
                words += option
        return words


def file_name(workflow: Workflow) -> str:
    """The name of a workflow's submit file (``campaigns bps config -o FOLDER`` writes it)."""
    return f"{workflow.name}.yaml"


def _joined(folder: str, name: str) -> str:
    return f"{folder.rstrip('/')}/{name}" if folder else name


def _comment(value: str) -> str:
    """One comment line, whatever the record text holds (a newline would end the comment)."""
    return _UNSAFE_COMMENT.sub(" ", value).strip()


def _software_lines(software: Software | None) -> list[str]:
    if software is None:
        return []
    version = _comment(software.version)
    lines = [f"software: {version} (setup lsst_distrib -t {version})"]
    lines += [
        f"  package {_comment(name)}: {_comment(ref)}"
        for name, ref in sorted(software.packages.items())
    ]
    return lines


def pipeline_yaml(campaign: Campaign, workflow: Workflow) -> str:
    """The pipeline URI with the workflow's step (else the campaign's subset) as ``#anchor``."""
    pipeline = campaign.pipeline
    if pipeline is None:
        return ""
    base, _, anchor = pipeline.uri.partition("#")
    subset = workflow.step or pipeline.subset or anchor
    return f"{base}#{subset}" if subset else base


def _predicate(term: str) -> str:
    """A query predicate that stays one when joined with AND (an OR inside gets parentheses)."""
    term = term.strip()
    return f"({term})" if _OR.search(term) else term


def _refuse_braces(campaign: Campaign, what: str, value: str) -> None:
    if "{" not in value and "}" not in value:  # nearly every value: no pattern to run
        return
    bare = _ENVIRONMENT_VARIABLE.sub("", value)
    if "{" in bare or "}" in bare:
        raise SubmitConfigError(
            f"{what} contains '{{' or '}}', which bps reads as one of its variables: {value!r}",
            path=campaign.path,
            hint="write the value without braces, or edit the submit file by hand",
        )


class _QueryPart:
    """Part of a data query, with what the checks look for in it found once."""

    __slots__ = ("has_brace", "has_quote", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.has_quote = '"' in text or "\\" in text
        self.has_brace = "{" in text or "}" in text


class _Lists:
    """The campaign's DataId lists, each read once: from the lists validation read when the
    caller passes them (``generator.pipeline.Validated.lists``), else read here through ``load_list``."""

    def __init__(self, repository: Repository, cache: ListCache | None) -> None:
        self.repository = repository
        self.cache = cache
        self.loaded: dict[str, tuple[DataIdList | None, list[Problem]]] = {}
        self.where_terms: dict[str, str | Exception] = (
            cache.negated_where if cache is not None else {}
        )

    def negated_where(self, path: str, dataids: DataIdList) -> str:
        """The list as a `where` term that leaves its rows out, worked out once per list: the
        site writes a submit file for every workflow of every campaign naming it."""
        if path not in self.where_terms:
            try:
                self.where_terms[path] = where_expression(dataids, negate=True)
            except (ValueError, UserError) as refusal:  # too large to run as one expression
                self.where_terms[path] = refusal
        made = self.where_terms[path]
        if isinstance(made, Exception):
            raise made
        return made

    def _load(self, path: str, kind: str) -> tuple[DataIdList | None, list[Problem]]:
        cache = self.cache
        if cache is not None:
            loaded: tuple[DataIdList | None, list[Problem]] = cache.get(path, kind)
            return loaded
        if path not in self.loaded:
            universe = universe_from_config(self.repository.config.dimensions)
            self.loaded[path] = load_list(
                self.repository.root / path, display=path, universe=universe, default_kind=kind
            )
        return self.loaded[path]

    def get(self, campaign: Campaign, path: str, kind: str) -> DataIdList:
        dataids, problems = self._load(path, kind)
        if dataids is None:
            detail = next((p.message for p in problems if p.is_error), "unreadable")
            raise SubmitConfigError(
                f"the {kind} list {path} cannot be read: {detail}",
                path=campaign.path,
                hint=f"run 'campaigns dataids validate {path}'",
            )
        return dataids


def _exclusions(campaign: Campaign, lists: _Lists, has_inclusions: bool) -> list[str]:
    terms = []
    for path in campaign.selection.exclude:
        dataids = lists.get(campaign, path, "exclusion")
        if not dataids.rows:
            continue  # nothing to leave out (and the query language has no TRUE)
        try:
            expression = lists.negated_where(path, dataids)
        except (ValueError, UserError) as refusal:  # too large to run as one expression
            reason = getattr(refusal, "message", str(refusal))
            raise _too_large(campaign, path, reason, has_inclusions) from None
        terms.append(expression)
    return terms


def _too_large(campaign: Campaign, path: str, reason: str, has_inclusions: bool) -> UserError:
    subtract = (
        "subtract it from the inclusion list (campaigns dataids subtract INCLUDED "
        f"{path} -o kept.yaml) and name kept.yaml under selection.include instead"
        if has_inclusions
        else f"list what to keep instead (campaigns dataids subtract ALL {path} -o kept.yaml) and "
        "name it under selection.include: it becomes a data-ID table"
    )
    return SubmitConfigError(
        f"the exclusion list {path} is too large for one dataQuery ({reason}); "
        "no submit file was written",
        path=campaign.path,
        hint=f"{subtract}; or register the data to process as a TAGGED collection "
        "(butler associate) and use it as the input collection",
    )


def _inclusion(
    campaign: Campaign, workflow: Workflow, lists: _Lists
) -> tuple[DataIdList | None, str]:
    """The workflow's own list (what it processed) else the campaign's inclusion lists."""
    paths = [workflow.dataids] if workflow.dataids else list(campaign.selection.include)
    if not paths:
        return None, ""
    loaded = [lists.get(campaign, path, "inclusion") for path in paths]
    if len(loaded) == 1:
        return loaded[0], PurePosixPath(paths[0]).stem + TABLE_SUFFIX
    try:
        combined = union(loaded)
    except DimensionMismatch as error:
        raise SubmitConfigError(
            f"the inclusion lists cannot be combined into one data-ID table: {error}",
            path=campaign.path,
            hint="give the inclusion lists the same dimensions",
        ) from None
    return combined, f"{campaign.id}-inclusions{TABLE_SUFFIX}"


def operator_of(campaign: Campaign, workflow: Workflow) -> str:
    if workflow.operators:
        return workflow.operators[0]
    return campaign.operators[0].name if campaign.operators else ""


def submit_file(
    repository: Repository,
    campaign: Campaign,
    workflow: Workflow,
    origin: Origin,
    *,
    operator: str = "",
    table_dir: str = "",
    lists: ListCache | None = None,
) -> SubmitFile:
    """The submit file for ``workflow``; ``SubmitConfigError`` when the record cannot say it.

    ``table_dir`` is put before the data-ID table's name in ``extraQgraphOptions`` (bps runs
    ``pipetask qgraph`` in the folder ``bps submit`` is started from)."""
    shared = CampaignSubmission(
        repository, campaign, origin, operator=operator, table_dir=table_dir, lists=lists
    )
    return shared.submit_file(workflow)


class CampaignSubmission:
    """What the submit files of one campaign's workflows share, worked out once: the site
    writes one for every workflow of every campaign (thousands), ``submit_file`` one.

    Raises ``SubmitConfigError`` when the campaign has no pipeline (no workflow can be submitted)."""

    def __init__(
        self,
        repository: Repository,
        campaign: Campaign,
        origin: Origin,
        *,
        operator: str = "",
        table_dir: str = "",
        lists: ListCache | None = None,
    ) -> None:
        pipeline = campaign.pipeline
        if pipeline is None:
            raise SubmitConfigError(
                f"campaign {campaign.id} has no pipeline",
                path=campaign.path,
                hint="add pipeline.uri (and the config overrides) to the record",
            )
        self.pipeline = pipeline
        self.repository = repository
        self.campaign = campaign
        self.operator = operator
        self.table_dir = table_dir
        self.read = _Lists(repository, lists)
        self.query_terms = [_predicate(t) for t in campaign.selection.query]
        self.config_options: list[list[str]] = [
            ["-c", f"{c.task}:{c.field}={c.value}"] for c in pipeline.config
        ]
        self.config_options += [["-C", spec] for spec in pipeline.config_files]
        self.quoted_config_options = [shlex.quote(w) for o in self.config_options for w in o]
        self.quoted_config_text = " ".join(self.quoted_config_options)
        self.campaign_software_lines = _software_lines(campaign.software)
        self.in_collection = ",".join(campaign.butler.inputs)
        butler = campaign.butler
        self.butler_has_brace = any(
            "{" in str(v) or "}" in str(v) for v in (butler.repo, self.in_collection, butler.output)
        )
        self.origin_line = (
            f"written by 'campaigns bps config' from {_comment(origin.record_path)}"
            + (f" at commit {origin.commit}" if origin.commit else " (not committed yet)")
            + (" with uncommitted changes" if origin.commit and origin.modified else "")
        )
        # The exclusion terms (or why there are none) with and without an inclusion table.
        self._exclusions: dict[bool, list[str] | SubmitConfigError] = {}
        # ... and as the query's tail: every list spelled out, often many KB, so it is joined
        # and searched for what the checks refuse once per campaign, not once per workflow.
        self._exclusion_tails: dict[bool, _QueryPart] = {}
        self._queries: dict[tuple[tuple[str, ...], bool], tuple[_QueryPart, str]] = {}

    def exclusions(self, has_inclusions: bool) -> list[str]:
        if has_inclusions not in self._exclusions:
            try:
                self._exclusions[has_inclusions] = _exclusions(
                    self.campaign, self.read, has_inclusions
                )
            except SubmitConfigError as refusal:
                self._exclusions[has_inclusions] = refusal
        made = self._exclusions[has_inclusions]
        if isinstance(made, SubmitConfigError):
            raise made
        return made

    def exclusion_tail(self, has_inclusions: bool) -> _QueryPart:
        if has_inclusions not in self._exclusion_tails:
            self._exclusion_tails[has_inclusions] = _QueryPart(
                " AND ".join(self.exclusions(has_inclusions))
            )
        return self._exclusion_tails[has_inclusions]

    def submit_file(self, workflow: Workflow) -> SubmitFile:
        """The submit file for ``workflow``; ``SubmitConfigError`` when the record cannot say it."""
        plan = self._plan(workflow)
        campaign = self.campaign
        values: dict[str, Any] = {}
        bps_config = workflow.bps_config or self.pipeline.bps_config
        if bps_config:
            values["includeConfigs"] = [bps_config]
        values["pipelineYaml"] = plan.pipeline_yaml
        values["project"] = campaign.production
        values["campaign"] = campaign.id
        if plan.operator:
            values["operator"] = plan.operator
        if workflow.site:
            values["computeSite"] = workflow.site
        if workflow.system in SERVICE_CLASSES:
            values["wmsServiceClass"] = SERVICE_CLASSES[workflow.system]
        values["payload"] = self._payload(workflow, plan.query)
        if plan.options:
            values["extraQgraphOptions"] = plan.extra_options

        header = [
            f"BPS submit file for workflow {workflow.name} of campaign {campaign.id}",
            self.origin_line,
        ]
        header += (
            _software_lines(workflow.software)
            if workflow.software
            else self.campaign_software_lines
        )
        if workflow.system and workflow.system not in SERVICE_CLASSES:
            header.append(
                f"workflow system {_comment(workflow.system)}: no ctrl_bps plugin known; "
                "set wmsServiceClass"
            )
        return SubmitFile(
            campaign, workflow, values, header, plan.table, plan.table_name, plan.options
        )

    def check(self, workflow: Workflow) -> None:
        """Raise the ``SubmitConfigError`` that ``submit_file`` would, without writing the file:
        the site shows one workflow's file and only the names (or refusals) of the others."""
        self._plan(workflow)

    def _payload(self, workflow: Workflow, query: str) -> dict[str, Any]:
        payload: dict[str, Any] = {"payloadName": workflow.name}
        butler = self.campaign.butler
        for key, value in (
            ("butlerConfig", butler.repo),
            ("inCollection", self.in_collection),
            ("output", butler.output),
            ("dataQuery", query),
        ):
            if value:
                payload[key] = value
        return payload

    def _query(self, terms: tuple[str, ...], has_inclusions: bool) -> tuple[_QueryPart, str]:
        """(the campaign's and the workflow's terms, the whole data query): the same for every
        workflow without terms of its own, and many KB with the exclusion lists, so kept."""
        key = (terms, has_inclusions)
        if key not in self._queries:
            own = [*self.query_terms, *map(_predicate, terms)]
            head = _QueryPart(" AND ".join(own))
            # The campaign's terms, the workflow's, then each exclusion list, " AND " between each.
            query = head.text
            if self.exclusions(has_inclusions):
                tail = self.exclusion_tail(has_inclusions).text
                query = f"{head.text} AND {tail}" if own else tail
            self._queries[key] = (head, query)
        return self._queries[key]

    def _plan(self, workflow: Workflow) -> _Plan:
        """What ``workflow``'s file holds beyond the campaign's part, each part checked for
        what the record cannot say (``SubmitConfigError``, the first refusal met)."""
        campaign, repository = self.campaign, self.repository
        table, table_name = _inclusion(campaign, workflow, self.read)
        exclusions = self.exclusions(table is not None)
        head, query = self._query(workflow.query, table is not None)
        tail = self.exclusion_tail(table is not None)
        limit = repository.config.where_max_length
        if exclusions and len(query) > limit:
            reason = (
                f"the dataQuery would be {len(query):,} characters, over where_max_length {limit:,}"
            )
            raise _too_large(
                campaign, ", ".join(campaign.selection.exclude), reason, table is not None
            )
        if head.has_quote or (exclusions and tail.has_quote):  # '"' or '\\' in the query
            raise SubmitConfigError(
                "the data query contains '\"' or '\\', which the quotes bps puts around it "
                '(-d "{dataQuery}") cannot hold',
                path=campaign.path,
                hint="write string literals in single quotes: instrument = 'LSSTCam'",
            )
        options = list(self.config_options)
        if table is not None:
            options.append(["--data-id-table", _joined(self.table_dir, table_name)])
        extra_options = (
            " ".join([*self.quoted_config_options, *map(shlex.quote, options[-1])])
            if table is not None
            else self.quoted_config_text
        )
        chosen_operator = self.operator or operator_of(campaign, workflow)
        plan = _Plan(
            table,
            table_name,
            query,
            options,
            pipeline_yaml(campaign, workflow),
            extra_options,
            chosen_operator,
        )

        _refuse_braces(campaign, "pipeline.uri", plan.pipeline_yaml)
        if head.has_brace or (exclusions and tail.has_brace):
            _refuse_braces(campaign, "the data query", query)
        _refuse_braces(campaign, "the config overrides", extra_options if options else "")
        # The butler values with the query, as the message quotes them; a brace the query holds
        # is in a ${VARIABLE} here, or the query's own check above refused it. (The butler's
        # values are the campaign's: looked at once, in __init__.)
        if self.butler_has_brace or "{" in workflow.name or "}" in workflow.name:
            payload = self._payload(workflow, query)
            _refuse_braces(campaign, "butler", " ".join(str(v) for v in payload.values()))
        _refuse_braces(campaign, "the operator", chosen_operator)
        _refuse_braces(campaign, "the site", workflow.site)
        return plan


class _Plan(NamedTuple):
    table: DataIdList | None
    table_name: str
    query: str
    options: list[list[str]]
    pipeline_yaml: str
    extra_options: str  # extraQgraphOptions, when there are options
    operator: str


def record_origin(repository: Repository, campaign: Campaign) -> Origin:
    """The record's last commit and whether the working copy differs from it (git, if any)."""
    from generator.gitrepo import is_git_repository, run_git

    root = repository.root
    if not is_git_repository(root):
        return Origin(campaign.path)
    commit = run_git(root, "log", "-1", "--format=%H", "--", campaign.path).decode().strip()
    modified = bool(run_git(root, "status", "--porcelain", "--", campaign.path).strip())
    return Origin(campaign.path, commit, modified)
