"""{% kept %}: a part of a page that every visitor sees alike, rendered once per data version,
language and key in this process (core.versions.kept_locally) and reused.

    {% load kept %}
    {% kept "catalog" %}...{% endkept %}                  once per catalog version and language
    {% kept "catalog" service.code phone %}...{% endkept %}   and per value of each expression
    {% kept "static" %}...{% endkept %}       words and links that depend on no data: per language
                                              (the "static" version is never raised; a copy is
                                              made again when it expires, LOCAL_SECONDS)

The block must show nothing that differs between visitors or requests beyond its key: no
{% csrf_token %}, no CSP nonce, nothing of the signed-in person. Everything it shows must be
data whose changes raise `name`'s version (or ride in the key)."""

from django import template
from django.utils import translation

from servicehall.core.versions import kept_locally

register = template.Library()


class KeptNode(template.Node):
    def __init__(self, nodelist, name, keys):
        self.nodelist, self.name, self.keys = nodelist, name, keys

    def render(self, context):
        place = (self.origin.name, self.token.lineno)  # this block, whichever template holds it
        values = (k.resolve(context) for k in self.keys)
        key = (place, translation.get_language(), *(tuple(v) if isinstance(v, list) else v for v in values))
        return kept_locally(self.name.resolve(context), key, lambda: self.nodelist.render(context))


@register.tag
def kept(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% kept %} needs the name of a data version")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]])
