"""Stage 5 views: the REST API (``/api``, OpenAPI docs at ``/docs``) and the dashboard (``/``).

``create_app(db)`` builds the FastAPI application over a store file opened read-only per request;
``detente serve --db PATH`` runs it with uvicorn. Endpoints: docs/web.md.
"""

from detente.web.app import create_app

__all__ = ["create_app"]
