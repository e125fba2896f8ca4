"""The content schemas, installed as the package data of generator.schemas (pyproject.toml maps this folder)."""
