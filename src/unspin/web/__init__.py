"""Web app: FastAPI + Jinja2."""

