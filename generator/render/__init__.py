"""Renderers outside the site: the pull-request diff report and the schema reference."""
