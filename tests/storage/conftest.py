from tests.storage.database import database, migrated_database, postgres_schemas

__all__ = ["database", "migrated_database", "postgres_schemas"]
