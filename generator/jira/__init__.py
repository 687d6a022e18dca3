"""Jira: fetch a snapshot (the only network code), read it back, and link tickets to campaigns."""
