"""Storage: SQLAlchemy; SQLite by default, PostgreSQL by URL."""
