"""社会保障卡: the cards the card system exports, imported by operators; the person's 电子社保卡
with a QR code anyone can check; and whether a card can receive the subsidy."""
