"""Folding Vietnamese text for search, the same way the database's `desk_fold` does."""

import unicodedata


def fold(text: str) -> str:
    """Lower case without diacritics: "Công ty Minh Phát" -> "cong ty minh phat"."""
    decomposed = unicodedata.normalize("NFD", text.strip().lower())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.replace("đ", "d").split())


def grouped(amount: int) -> str:
    """Whole đồng as Vietnamese documents write them, whatever the interface language:
    1234567 -> "1.234.567"."""
    return f"{amount:,}".replace(",", ".")
