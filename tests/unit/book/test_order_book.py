import pytest

from hftcore.book import L1Book, L2Book, OrderBook
from tests.builders.books import BOOK_INSTRUMENT_ID


def test_order_book_itself_cannot_be_instantiated():
    with pytest.raises(TypeError, match="OrderBook is abstract"):
        OrderBook(BOOK_INSTRUMENT_ID)


@pytest.mark.parametrize("book_type", [L2Book, L1Book])
def test_every_book_type_is_an_order_book(book_type):
    assert isinstance(book_type(BOOK_INSTRUMENT_ID), OrderBook)


@pytest.mark.parametrize("book_type", [L2Book, L1Book])
def test_every_book_type_rejects_a_missing_instrument_id(book_type):
    with pytest.raises(TypeError):
        book_type(None)
