"""The one error type services raise: a message a person can read, a code a program can use,
and the form fields it concerns."""

from collections.abc import Iterable


class DomainError(Exception):
    def __init__(self, message: str, *, code: str = "invalid", fields: Iterable[str] = ()):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.fields = tuple(fields)

    def as_dict(self) -> dict:
        return {"message": str(self.message), "code": self.code, "fields": list(self.fields)}

    def add_to_form(self, form) -> None:
        """Show the message beside its field (or at the top of the form when it has none)."""
        targets = [f for f in self.fields if f in form.fields] or [None]
        for field in targets:
            form.add_error(field, str(self.message))
