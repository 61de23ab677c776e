"""The end-to-end fixtures (a database for a module's bot process) for the alerts' e2e tests."""

from tests.e2e.conftest import module_database

__all__ = ["module_database"]
