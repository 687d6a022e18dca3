#!/bin/sh
# The workflow status sync for a plain cron job at the data facility (where the workflow
# system's credentials are): ask through ctrl_bps, commit the snapshot, push. Example crontab:
#
#   7,37 * * * *  /path/to/notebook/scripts/bps-sync-cron.sh >> $HOME/bps-sync.log 2>&1
#
# The clone needs push access of its own (a deploy key allowed to write, for this job only) and
# a .venv made with: python3 -m venv .venv && .venv/bin/python -m pip install -e '.[bps]'.
# BPS_WMS_SERVICE_CLASS (or bps.wms_service_class in notebook.yaml) names the plugin.
# On any failure nothing is committed: the previous snapshot stays published.
set -eu
cd "$(dirname "$0")/.."
snapshot="${SNAPSHOT:-workflow-status.json}" # keep in step with bps.status_snapshot
git pull --quiet --ff-only
.venv/bin/campaigns bps sync
git add -- "$snapshot"
if git diff --cached --quiet; then
    exit 0
fi
git commit --quiet -m "Workflow status as of $(date -u +%Y-%m-%dT%H:%MZ)"
git push --quiet
