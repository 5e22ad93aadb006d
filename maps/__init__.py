"""Everything a map can do, as plain functions over `models`. No FastAPI, no SQLAlchemy."""
