"""Stage 2, checks: the schema and reference checks (validate), the rules (check, one module per rule in
rules/), the leak scan of rendered output (leakscan), the county-wide check and the findings' reports.
Imports content and the base modules."""
