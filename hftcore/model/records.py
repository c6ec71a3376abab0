"""Read typed fields out of event records, the ``dict`` form made by ``Event.to_dict()``.

Records hold only ints, strings, bools and lists of those. Enums are stored by member name,
instrument ids as ``SYMBOL.VENUE`` text and ``Money`` as exact decimal text plus a currency key.
Every reader raises ``DecodeError`` naming the record type and the key when the key is missing or
holds the wrong kind of value.
"""

import operator

from hftcore.errors import DecodeError
from hftcore.model.enums import parse_enum
from hftcore.model.money import Money


def check_record_type(record: dict, expected: str) -> None:
    """Check that ``record`` is a dict whose ``"type"`` key, when present, is ``expected``.

    Parameters
    ----------
    record : dict
        The record to check.
    expected : str
        The event class name, e.g. ``"BookDelta"``.

    Raises
    ------
    DecodeError
        If ``record`` is not a dict or names another type.
    """
    if not isinstance(record, dict):
        raise DecodeError(f"{expected}.from_dict: expected a dict, got {type(record).__name__}")
    found = record.get("type", expected)
    if found != expected:
        raise DecodeError(f"{expected}.from_dict: type: expected {expected!r}, got {found!r}")


def _value(record: dict, key: str, owner: str) -> object:
    try:
        return record[key]
    except KeyError:
        raise DecodeError(f"{owner}.from_dict: missing key {key!r}") from None


def read_int(record: dict, key: str, owner: str) -> int:
    """Return the integer under ``key``.

    Parameters
    ----------
    record : dict
        The record.
    key : str
        The field name.
    owner : str
        The record type, named in errors.

    Returns
    -------
    int

    Raises
    ------
    DecodeError
        If the key is missing or its value is not an integer (floats and strings are refused).
    """
    value = _value(record, key, owner)
    if isinstance(value, bool):
        raise DecodeError(f"{owner}.from_dict: {key}: expected int, got {value!r}")
    try:
        return operator.index(value)
    except TypeError:
        raise DecodeError(f"{owner}.from_dict: {key}: expected int, got {value!r}") from None


def read_bool(record: dict, key: str, owner: str) -> bool:
    """Return the boolean under ``key`` (``True``/``False`` or ``1``/``0``).

    Parameters
    ----------
    record : dict
        The record.
    key : str
        The field name.
    owner : str
        The record type, named in errors.

    Returns
    -------
    bool

    Raises
    ------
    DecodeError
        If the key is missing or its value is not a boolean, 0 or 1.
    """
    value = _value(record, key, owner)
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return value == 1
    raise DecodeError(f"{owner}.from_dict: {key}: expected bool, got {value!r}")


def read_str(record: dict, key: str, owner: str) -> str:
    """Return the string under ``key``.

    Parameters
    ----------
    record : dict
        The record.
    key : str
        The field name.
    owner : str
        The record type, named in errors.

    Returns
    -------
    str

    Raises
    ------
    DecodeError
        If the key is missing or its value is not a string.
    """
    value = _value(record, key, owner)
    if not isinstance(value, str):
        raise DecodeError(f"{owner}.from_dict: {key}: expected str, got {value!r}")
    return value


def read_enum(record: dict, key: str, enum_type: type, owner: str) -> object:
    """Return the member of ``enum_type`` named by the string under ``key``.

    Parameters
    ----------
    record : dict
        The record.
    key : str
        The field name.
    enum_type : type
        The enum, e.g. ``Side``.
    owner : str
        The record type, named in errors.

    Returns
    -------
    enum member

    Raises
    ------
    DecodeError
        If the key is missing or its value is not a string.
    EnumParseError
        If the name is not a member of ``enum_type``.
    """
    return parse_enum(enum_type, read_str(record, key, owner), f"{owner}.{key}")


def read_int_list(record: dict, key: str, owner: str) -> list[int]:
    """Return the list of integers under ``key``.

    Parameters
    ----------
    record : dict
        The record.
    key : str
        The field name.
    owner : str
        The record type, named in errors.

    Returns
    -------
    list of int

    Raises
    ------
    DecodeError
        If the key is missing, its value is not a list, or an item is not an integer.
    """
    values = _value(record, key, owner)
    if not isinstance(values, list):
        raise DecodeError(f"{owner}.from_dict: {key}: expected list of int, got {values!r}")
    return [read_int({key: item}, key, owner) for item in values]


def read_list(record: dict, key: str, owner: str) -> list:
    """Return the list under ``key``.

    Parameters
    ----------
    record : dict
        The record.
    key : str
        The field name.
    owner : str
        The record type, named in errors.

    Returns
    -------
    list

    Raises
    ------
    DecodeError
        If the key is missing or its value is not a list.
    """
    values = _value(record, key, owner)
    if not isinstance(values, list):
        raise DecodeError(f"{owner}.from_dict: {key}: expected list, got {values!r}")
    return values


def read_money(record: dict, amount_key: str, currency_key: str, owner: str) -> Money:
    """Return the ``Money`` whose decimal text and currency are under two keys.

    Parameters
    ----------
    record : dict
        The record.
    amount_key : str
        The key of the exact decimal amount, e.g. ``"fee"`` holding ``"0.0012"``.
    currency_key : str
        The key of the asset code, e.g. ``"fee_asset"`` holding ``"USDT"``.
    owner : str
        The record type, named in errors.

    Returns
    -------
    Money
        With as many decimal places as the text spells out.

    Raises
    ------
    DecodeError
        If a key is missing or its value is not a string.
    FixedPointError
        If the amount is not an exact decimal string that fits Money.
    InvalidIdentifierError
        If the currency is not a valid asset code.
    """
    return Money.from_str(
        read_str(record, amount_key, owner), read_str(record, currency_key, owner)
    )
