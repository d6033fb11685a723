"""Forms staff fill in, one module per feature. Forms parse what was typed; the rules live in actions.services."""
