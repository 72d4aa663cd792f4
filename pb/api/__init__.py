"""The read-only public JSON API (/api/v1) with its OpenAPI document and its explanation page (/api)."""
