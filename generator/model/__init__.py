"""The model: records as typed values (productions, campaigns, workflows, notebook settings)."""
