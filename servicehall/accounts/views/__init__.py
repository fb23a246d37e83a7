from .login import lockout_response

__all__ = ["lockout_response"]
