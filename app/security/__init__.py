"""Security, one concern per module: response headers (``headers``), requests
refused before any view runs (``request_checks``), the host names Flasky
answers to (``hosts``) and the abuse limits (``rate_limits``). docs/security.md
gives the whole picture; ``create_app`` installs the hooks in its one list.
"""
