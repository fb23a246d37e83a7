"""{% card_list_update %}: beside the card help, when the card list was last updated, when the
next update is due, and the person's request to be told of it (cards.rechecks)."""

from django import template

from servicehall.cards.selectors import card_list_updates, card_recheck_open_for

register = template.Library()


@register.inclusion_tag("cards/_card_list_update.html", takes_context=True)
def card_list_update(context):
    request = context["request"]
    return {
        "updates": card_list_updates(),
        "waiting": card_recheck_open_for(request.user),
        "back": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
