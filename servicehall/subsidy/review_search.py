"""The reviewers' search text (a name, a record number or a whole ID number) never travels in a
URL: the queue's filter form is POSTed and its text kept behind a token (core.search_tokens);
the queue's URL carries `s=<token>`, and paging, tabs, the export and batch decisions keep it
like any other filter."""

from django.http import QueryDict

from servicehall.core.search_tokens import search_recall, search_remember

TOKEN_PARAM = "s"  # noqa: S105 - a query parameter's name, not a secret
SEARCH_FIELD = "q"


def query_from_post(request, keys) -> str:
    """The queue's query string for a POSTed filter form: the search text replaced by a token."""
    query = QueryDict(mutable=True)
    for key in keys:
        value = request.POST.get(key, "").strip()
        if key == SEARCH_FIELD or not value:
            continue
        query[key] = value
    text = request.POST.get(SEARCH_FIELD, "").strip()
    if text:
        query[TOKEN_PARAM] = search_remember(request, text)
    return query.urlencode()


def filter_data(request, params: QueryDict | None = None) -> tuple[QueryDict, bool]:
    """What the filter form reads: the URL's parameters (or `params`, the queue's query string a
    batch form carries), with the search text recalled from its token (a `q` in the URL itself
    is ignored). The flag says a token was given but is gone."""
    data = (request.GET if params is None else params).copy()
    data.pop(SEARCH_FIELD, None)
    token = data.get(TOKEN_PARAM, "")
    if not token:
        return data, False
    text = search_recall(request, token)
    if text is None:
        data.pop(TOKEN_PARAM)
        return data, True
    data[SEARCH_FIELD] = text
    return data, False
