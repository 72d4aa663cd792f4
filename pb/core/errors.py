"""Service errors: raised by services, mapped onto forms and pages by views."""


class ServiceError(Exception):
    """Base of the errors a service raises on purpose."""


class NotFound(ServiceError):
    """The object does not exist (or the actor may not know it exists)."""


class PermissionDenied(ServiceError):
    """The actor may not do this."""


class Conflict(ServiceError):
    """The object changed under the actor, or the action does not fit its state."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class ValidationFailed(ServiceError):
    """Input that breaks a rule; errors is a list of (field, message) pairs."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = list(errors)

    @classmethod
    def single(cls, field, message):
        return cls([(field, message)])
