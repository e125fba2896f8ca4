"""One module per rule; generator.checks.check discovers them. See generator/checks/check.py for the contract."""
