class ValidationError(ValueError):
    """Bad input from a client, answered as a 400 (or ``status``) JSON error."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status
