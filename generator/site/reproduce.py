"""The Reproduce block's submission commands, built by ``generator.bps.submitconfig``.

The page shows what an operator types: ``campaigns bps config`` to write the submit files
from the record, then ``bps submit`` per workflow, the first followed by the ``pipetask qgraph``
line bps runs first (useful to check a definition on a laptop; when the data query is longer
than ``LONG_QUERY`` characters, exclusion lists spelled out, a comment names the submit file
holding it instead). The words come from the same ``SubmitFile`` ``campaigns bps config``
writes, so page and files agree.

Every command runs from the repository root, where ``bps submit`` must start: a submit file's
``includeConfigs`` (the record's ``pipeline.bps_config``, such as ``bps/dr1.yaml``) is relative to
the repository, and daf_butler looks for a relative include in the current folder and the submit
file's folder only (so no ``cd submit/<id>``). Each ``bps submit`` line names its file's whole
path, not a shell variable set once: a line copied alone from another campaign's page must not
submit a file of the campaign whose commands ran before it. (The data-ID table path in the files
is absolute; the ``pipetask qgraph`` example names it from the repository root.)

Every word is quoted by ``generator.escaping.shell_word`` (only ``${NAME}`` references such as
``${DRP_PIPE_DIR}`` expand); comments are one line each, whatever the record text holds, so
nothing from a record can start a command.
"""

from __future__ import annotations

from generator.bps.submitconfig import (
    CampaignSubmission,
    Origin,
    SubmitConfigError,
    SubmitFile,
    file_name,
)
from generator.escaping import shell_comment, shell_word
from generator.model.records import Campaign
from generator.site.context import SiteContext

CONTINUATION = " \\\n    "
# A data query longer than this (exclusion lists spelled out as NOT IN, thousands of characters)
# is not copied onto the page: the submit file written by `campaigns bps config` holds it.
LONG_QUERY = 2_000


def comment(value: str) -> str:
    return "# " + shell_comment(value).strip()


def _command(words: list[str], options_from: int) -> str:
    """One option (with its value) per line, so a reviewer can read it."""
    head = " ".join(shell_word(w) for w in words[:options_from])
    lines = [head]
    rest = words[options_from:]
    index = 0
    while index < len(rest):
        word = rest[index]
        if word.startswith("-") and index + 1 < len(rest) and not rest[index + 1].startswith("-"):
            lines.append(f"{shell_word(word)} {shell_word(rest[index + 1])}")
            index += 2
        else:
            lines.append(shell_word(word))
            index += 1
    return CONTINUATION.join(lines)


def _qgraph_example(made: SubmitFile, folder: str) -> list[str]:
    query = made.values["payload"].get("dataQuery") or ""
    if len(query) <= LONG_QUERY:
        return [
            comment("its quantum graph, as bps makes it first (to check locally):"),
            _command(made.pipetask_words(folder), 2),
        ]
    return [
        comment(
            f"its quantum graph, as bps makes it first: the pipetask qgraph line of "
            f"createQuantumGraph in {folder}/{made.file_name} (its data query, with the "
            f"exclusion lists spelled out, is {len(query):,} characters)"
        )
    ]


def submit_folder(campaign: Campaign) -> str:
    return f"submit/{campaign.id}"


def _submission(context: SiteContext, campaign: Campaign, commit: str) -> CampaignSubmission:
    """What the workflows' submit files share, once per campaign (``SubmitConfigError`` when
    the campaign cannot be submitted at all)."""
    return CampaignSubmission(
        context.repository,
        campaign,
        Origin(campaign.path, commit),
        table_dir=submit_folder(campaign),
        lists=context.list_cache,
    )


def submit_commands(context: SiteContext, campaign: Campaign, commit: str = "") -> str:
    """The shell lines of the Reproduce block (after the ``git show`` of the record)."""
    if campaign.pipeline is None:
        return comment("no pipeline in the record: nothing to submit yet")
    if not campaign.workflows:
        return comment("no workflows in the record yet: add them (status: planned) to submit")
    folder = submit_folder(campaign)
    lines = []
    if campaign.software:
        lines.append(comment(f"software: setup lsst_distrib -t {campaign.software.version}"))
    lines.append(comment("in the repository root, write the submit files (and data-ID tables):"))
    lines.append(
        " ".join(shell_word(w) for w in ["campaigns", "bps", "config", campaign.id, "-o", folder])
    )
    # One line per workflow: its submit file is named after it (submitconfig.file_name), so a
    # comment names a workflow only to say more (a rescue, its own software, why not).
    lines.append("")
    lines.append(comment("then one submission per workflow, in the record's order:"))
    shared: CampaignSubmission | SubmitConfigError
    try:
        shared = _submission(context, campaign, commit)
    except SubmitConfigError as refusal:
        shared = refusal
    example_shown = False
    for workflow in campaign.workflows:
        made = None
        refused: SubmitConfigError | None = None
        if isinstance(shared, SubmitConfigError):
            refused = shared
        else:
            # The first file made in full, for its pipetask line; of the others, only whether
            # they can be made (the same checks, without their values).
            try:
                if example_shown:
                    shared.check(workflow)
                else:
                    made = shared.submit_file(workflow)
            except SubmitConfigError as error:
                refused = error
        if refused is not None:
            lines.append(
                comment(f"{workflow.name} cannot be submitted as recorded: {refused.message}")
            )
            continue
        if workflow.rescue_of:
            lines.append(comment(f"{workflow.name} is a rescue of {workflow.rescue_of}"))
        if workflow.software:
            lines.append(
                comment(f"{workflow.name} has its own software: {workflow.software.version}")
            )
        lines.append(f"bps submit {shell_word(f'{folder}/{file_name(workflow)}')}")
        if made is not None:  # once: the others differ in step and query, as their files say
            lines.extend(_qgraph_example(made, folder))
            example_shown = True
            if workflow is not campaign.workflows[-1]:
                lines.append("")
    return "\n".join(lines)
