"""Every error hftcore raises on purpose.

Messages name the field (and the file, for configuration), the bad value and what was expected,
for example ``ConfigError("config/live.toml: risk.max_order_notional: expected decimal string,
got 12.5")``.
"""


class HftError(Exception):
    """Base class of every error raised by hftcore."""


class ConfigError(HftError):
    """A configuration file or value is invalid; the message names the file and the field."""


class DecodeError(HftError):
    """A venue message or a stored record could not be decoded."""


class FixedPointError(HftError, ValueError):
    """A decimal value cannot be represented exactly in the requested fixed-point form."""


class PrecisionError(FixedPointError):
    """A value is finer than the instrument's tick or lot size, or than the allowed precision."""


class FixedPointOverflowError(FixedPointError, OverflowError):
    """A value does not fit in the int64 mantissa."""


class EnumParseError(HftError, ValueError):
    """A name does not belong to the enum it was parsed for."""


class BookIntegrityError(HftError):
    """An order book update would leave the book in an invalid state."""


class InvalidTransition(HftError):  # noqa: N818 - the name states the fact, as the style guide asks
    """An order event is not legal from the order's current status."""


class UnknownInstrumentError(HftError, KeyError):
    """An instrument id is not known to the cache or the venue."""


class DataUnavailableError(HftError):
    """Requested market data or a feature is not available (yet); the message says which."""


class BusError(HftError, ValueError):
    """A bus call is invalid: a malformed topic, an unknown or repeated subscription or endpoint."""


class ClockError(HftError, ValueError):
    """A clock or timer call is invalid: time going backwards, a bad or duplicate timer."""


class InvalidIdentifierError(HftError, ValueError):
    """An identifier's text is empty, contains whitespace or is not in the expected form."""


class InvalidEventError(HftError, ValueError):
    """An event field is out of range or inconsistent with the other fields."""


class InvalidOrderError(HftError, ValueError):
    """An order's fields are invalid or a change to the order record is not allowed."""


class OverfillError(InvalidOrderError):
    """A fill would take an order's filled quantity past its quantity."""


class TimeSyncError(HftError):
    """The venue's server-time offset is unknown or stale; a request cannot be signed safely."""


class SigningError(HftError, ValueError):
    """A signing key or request cannot be used; the message never contains the key or signature."""
