"""Enumerations shared by every hftcore component, and exact parsing of their names."""

from hftcore.errors import EnumParseError


def parse_enum(enum_type, str name, str field="value"):
    """Return the member of ``enum_type`` whose name is ``name`` (case-insensitive).

    Parameters
    ----------
    enum_type : type
        One of the enums of this module, e.g. ``Side``.
    name : str
        The member name, e.g. ``"BUY"`` or ``"buy"``.
    field : str
        What the value is for, named in the error message (e.g. ``"order.side"``).

    Returns
    -------
    enum member

    Raises
    ------
    EnumParseError
        If ``name`` is not a member of ``enum_type``; the message lists the valid names.
    """
    try:
        return enum_type[name.upper()]
    except KeyError:
        valid = ", ".join(member.name for member in enum_type)
        raise EnumParseError(
            f"{field}: unknown {enum_type.__name__} {name!r}; expected one of {valid}"
        ) from None
