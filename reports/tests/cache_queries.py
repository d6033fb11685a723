"""What a public page served from the cache may still ask of the database."""


class _GenerationLookup:
    """Equal to the SQL of the one query a cached public page costs: reading the content generation."""

    def __eq__(self, sql):
        return isinstance(sql, str) and sql.lstrip().upper().startswith("SELECT") and "publiccontentgeneration" in sql

    def __repr__(self):
        return "<the look-up of the public content generation>"


ANY_GENERATION_LOOKUP = _GenerationLookup()
