"""The workflow system's edge: BPS submit files from records, status from ctrl_bps plugins.

- ``submitconfig``: a record's workflow → BPS submit YAML + data-ID table (no ctrl_bps needed);
- ``wms``: the only module that imports ``lsst.ctrl.bps``; asks a plugin in a child process;
- ``statussnapshot``: the status snapshot model, read and written as JSON;
- ``sync``: ``campaigns bps sync``: records → questions → snapshot → record edits.
"""
