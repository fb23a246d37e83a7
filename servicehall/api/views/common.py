"""Small pieces the API views share."""

from rest_framework import serializers


def validated(serializer_class, request, **kwargs) -> dict:
    """The request body checked for shape (a 400 in the API's error shape otherwise)."""
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def raise_form_errors(form) -> None:
    """A web form's errors as the API's validation error: the same rules, the same words."""
    if form.is_valid():
        return
    raise serializers.ValidationError(
        {
            ("non_field_errors" if name == "__all__" else name): messages
            for name, messages in form.errors.items()
        }
    )
