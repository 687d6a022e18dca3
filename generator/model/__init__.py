"""The model: typed values of what was loaded, no I/O and no checks.

``records`` (productions, campaigns, workflows, notebook settings) and ``dataid_lists`` (a
DataId list, its dimensions, metadata and size limits).
"""
