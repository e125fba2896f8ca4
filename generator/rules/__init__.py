"""One module per rule; generator.check discovers them. See generator/check.py for the contract."""
