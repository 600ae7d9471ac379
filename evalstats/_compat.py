"""Deprecated names kept for one release (see docs/conventions.md)."""

from __future__ import annotations

import functools
import warnings


def renamed_kwargs(**old_to_new: str):
    """Accept the old keyword names of a function for one release, with a DeprecationWarning.

    Examples
    --------
    >>> import warnings
    >>> @renamed_kwargs(dv="outcome")
    ... def f(data, outcome):
    ...     return outcome
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     f(None, dv="y"), w[0].category.__name__
    ('y', 'DeprecationWarning')
    """

    def wrap(func):
        @functools.wraps(func)
        def inner(*args, **kwargs):
            for old, new in old_to_new.items():
                if old in kwargs:
                    if new in kwargs:
                        raise TypeError(f"{func.__name__}() got both {old!r} and {new!r}")
                    warnings.warn(
                        f"{func.__name__}({old}=...) is deprecated; use {new}=... "
                        "(the old name goes in the next release)",
                        DeprecationWarning,
                        stacklevel=2,
                    )
                    kwargs[new] = kwargs.pop(old)
            return func(*args, **kwargs)

        return inner

    return wrap


def deprecated_attribute(old: str, new: str) -> property:
    """A read-only property ``old`` that returns ``new`` with a DeprecationWarning.

    Examples
    --------
    >>> import warnings
    >>> class R:
    ...     outcome = "y"
    ...     dv = deprecated_attribute("dv", "outcome")
    >>> with warnings.catch_warnings(record=True):
    ...     warnings.simplefilter("always")
    ...     R().dv
    'y'
    """

    def get(self):
        warnings.warn(
            f"{type(self).__name__}.{old} is deprecated; use .{new} "
            "(the old name goes in the next release)",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(self, new)

    return property(get, doc=f"Deprecated alias of :attr:`{new}`.")
