"""Money as exact decimals: euros held as :class:`decimal.Decimal`, never as floats.

Amounts are read from text (TOML is parsed with ``parse_float=Decimal``, CSV cells as strings),
multiplied and added exactly; only the display rounds, to whole euros or to cents.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

__all__ = ["CostInputError", "fmt_eur", "to_decimal"]


class CostInputError(ValueError):
    """Bad cost input; the message names the file, case, scenario, row or activity at fault.

    ``problems`` lists every problem found, one line each.

    Examples
    --------
    >>> str(CostInputError(["case 'C1': no reference scenario"], context="cases.toml"))
    "cases.toml: case 'C1': no reference scenario"
    """

    def __init__(self, problems: list[str], context: str | None = None):
        self.problems = list(problems)
        self.context = context
        text = "; ".join(self.problems)
        super().__init__(f"{context}: {text}" if context else text)


def to_decimal(value, where: str) -> Decimal:
    """An exact decimal from text, an integer or a Decimal; ``where`` names the cell in errors.

    A float is refused: its binary value is not the amount that was written.

    Examples
    --------
    >>> to_decimal("1.234,50".replace(".", "").replace(",", "."), "row 2, unit_cost")
    Decimal('1234.50')
    >>> to_decimal(0.1, "row 3, unit_cost")
    Traceback (most recent call last):
    ...
    costs.money.CostInputError: row 3, unit_cost: 0.1 is a float; write the amount as text or as an exact decimal
    """
    if isinstance(value, bool):
        raise CostInputError([f"{where}: expected an amount, got {value!r}"])
    if isinstance(value, float):
        raise CostInputError([f"{where}: {value!r} is a float; write the amount as text or as "
                              "an exact decimal"])
    if isinstance(value, Decimal | int):
        d = Decimal(value)
    else:
        try:
            d = Decimal(str(value).strip())
        except InvalidOperation:
            raise CostInputError([f"{where}: expected an amount such as 85.50, got "
                                  f"{str(value)[:12]!r}"]) from None
    if not d.is_finite():
        raise CostInputError([f"{where}: expected a finite amount, got {value!r}"])
    return d


def fmt_eur(amount: Decimal | None, lang: str = "en", cents: bool = False) -> str:
    """An amount in euros for display: thousands separated, whole euros unless ``cents``.

    Examples
    --------
    >>> fmt_eur(Decimal("20000"), "en"), fmt_eur(Decimal("20000"), "nl")
    ('€ 20,000', '€ 20.000')
    >>> fmt_eur(Decimal("-1234.5"), "nl", cents=True), fmt_eur(None)
    ('€ -1.234,50', '')
    """
    if amount is None:
        return ""
    q = amount.quantize(Decimal("0.01") if cents else Decimal("1"))
    text = f"{q:,.2f}" if cents else f"{q:,.0f}"
    if lang == "nl":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return f"€ {text}"
