"""A value loaded with a model object in the same statement (an annotation: the signed-in
person's unread count, their favourites; accounts.backends) and read instead of a query while
it is there. The service that changes the data behind it forgets it, so the rest of the request
reads the data again."""


def loaded_forget(obj, attribute: str) -> None:
    """Drop `attribute` from `obj` if it was loaded (delattr reaches through request.user's
    lazy wrapper)."""
    try:
        delattr(obj, attribute)
    except AttributeError:  # loaded without it
        pass
