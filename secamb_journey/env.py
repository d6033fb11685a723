"""Strict readers for settings taken from the environment: anything ambiguous is refused."""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a yes/no value. Use one of: {', '.join(sorted(_TRUE | _FALSE))}."
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is below the minimum of {minimum}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return list(default)
    items = [item.strip() for item in value.split(",") if item.strip()]
    if "*" in items:
        raise ImproperlyConfigured(f"{name} may not contain '*': list the host names this site answers to.")
    return items


def env_mapping(name: str, *, values: set[str]) -> dict[str, str]:
    """`key:value,key:value` (e.g. OIDC_ROLE_MAP=ij-leads:lead,ij-board:board) as a dict. Refused: a pair
    without exactly one colon, an empty key or value, a value not in `values`, a key given twice.
    """
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return {}
    mapping: dict[str, str] = {}
    for pair in raw.split(","):
        pair = pair.strip()
        if not pair:
            continue
        parts = pair.split(":")
        key, value = (parts[0].strip(), parts[1].strip()) if len(parts) == 2 else ("", "")
        if not key or not value:
            raise ImproperlyConfigured(
                f"{name}: {pair!r} is not a 'name:value' pair. Write it as name:value,name:value "
                f"(names may not contain ':' or ',')."
            )
        if value not in values:
            raise ImproperlyConfigured(f"{name}: {pair!r} names {value!r}; use one of: {', '.join(sorted(values))}.")
        if key in mapping:
            raise ImproperlyConfigured(f"{name}: {key!r} is given twice.")
        mapping[key] = value
    return mapping
