"""What a person must do with their card when a bank could not pay into it, chosen from the
bank's reason. The SMS after a failed payment and the person's case page both say it, so it
lives here, with the card, where both payments and subsidy can read it."""

from django.utils.translation import gettext_lazy as _

# (words in the bank's reason, what to do), the first match wins.
ADVICE = [
    (
        ("金融", "激活", "未开通", "未启用"),
        _("请携带社会保障卡和身份证到卡面所示合作银行的网点激活金融功能。"),
    ),
    (
        ("挂失", "丢失", "遗失", "注销", "销户", "换卡", "补卡", "作废", "损坏", "失效"),
        _("请到社会保障卡服务网点补换社会保障卡，新卡需开通金融功能。"),
    ),
]
ADVICE_OTHER = _("请携带社会保障卡和身份证到合作银行网点核实账户状态（如户名、冻结）。")


def advice_for(reason: str):
    for words, advice in ADVICE:
        if any(word in (reason or "") for word in words):
            return advice
    return ADVICE_OTHER
