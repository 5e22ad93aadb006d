"""The argmap service: FastAPI app, storage, CLI."""
