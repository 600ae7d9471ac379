"""Exclusion rules: items whose answers are set to missing for a subgroup of respondents."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ExclusionRule:
    """Items whose answers are set to missing for a subgroup of respondents.

    Parameters
    ----------
    items:
        Item codes.
    reason:
        Why (recorded in the result and the report).
    where:
        Column -> value (or list of values): the rule applies to respondents whose row matches
        every condition.
    respondents:
        Alternatively (or additionally) an explicit list of respondent ids.
    source:
        Where the rule comes from (an instrument's exclusion, or empty for a user rule).

    Examples
    --------
    >>> ExclusionRule.parse({"items": ["LD8"], "where": {"team": "NPT"}, "reason": "variant"}).where
    {'team': ('NPT',)}
    """

    items: tuple[str, ...]
    reason: str
    where: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    respondents: tuple[Any, ...] | None = None
    source: str = ""

    @classmethod
    def parse(cls, rule: ExclusionRule | Mapping[str, Any]) -> ExclusionRule:
        """Build a rule from a mapping with keys ``items``, ``reason`` and ``where`` and/or ``respondents``."""
        if isinstance(rule, ExclusionRule):
            return rule
        if not isinstance(rule, Mapping):
            raise TypeError(f"an exclusion rule must be a mapping, got {type(rule).__name__}")
        unknown = set(rule) - {"items", "reason", "where", "respondents"}
        if unknown:
            raise ValueError(
                f"exclusion rule has unknown keys {sorted(unknown)}; "
                "allowed: items, reason, where, respondents"
            )
        items = rule.get("items")
        if isinstance(items, str) or not items:
            raise ValueError(f"exclusion rule needs a non-empty list of item codes, got {items!r}")
        reason = rule.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise ValueError(f"exclusion rule for items {list(items)} needs a 'reason'")
        where_in = rule.get("where") or {}
        where = {
            str(col): tuple(v) if isinstance(v, list | tuple | set) else (v,)
            for col, v in where_in.items()
        }
        resp = rule.get("respondents")
        if not where and resp is None:
            raise ValueError(
                f"exclusion rule for items {list(items)} needs 'where' or 'respondents'"
            )
        return cls(
            items=tuple(items),
            reason=reason,
            where=where,
            respondents=None if resp is None else tuple(resp),
        )

    def describe(self) -> str:
        """The subgroup in words, e.g. ``team = NPT``."""
        parts = [
            f"{col} = {vals[0]}" if len(vals) == 1 else f"{col} in {list(vals)}"
            for col, vals in self.where.items()
        ]
        if self.respondents is not None:
            parts.append(f"{len(self.respondents)} listed respondents")
        return " and ".join(parts)


def _parse_rules(exclude: Any) -> list[ExclusionRule]:
    if exclude is None:
        return []
    if isinstance(exclude, Mapping | ExclusionRule):
        exclude = [exclude]
    return [ExclusionRule.parse(r) for r in exclude]


__all__ = ["ExclusionRule"]
