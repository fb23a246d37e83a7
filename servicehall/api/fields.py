"""Request fields that take only the JSON type the schema names. DRF's own fields coerce: 0
becomes "0", "true" becomes True, "5" becomes 5; the schema says string, boolean, integer, so a
value of another type is refused (400), as the schema promises."""

from rest_framework import serializers


class _Strict:
    json_types: tuple[type, ...] = ()

    def to_internal_value(self, data):
        if not isinstance(data, self.json_types) or (isinstance(data, bool) and bool not in self.json_types):
            self.fail("invalid", input=data)
        return super().to_internal_value(data)


class TextField(_Strict, serializers.CharField):
    json_types = (str,)


class FlagField(_Strict, serializers.BooleanField):
    json_types = (bool,)


class WholeNumberField(_Strict, serializers.IntegerField):
    json_types = (int,)
