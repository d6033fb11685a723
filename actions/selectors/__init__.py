"""Reads of actions that feed pages, one module per feature: each says what it fetches, in a fixed number of queries."""
