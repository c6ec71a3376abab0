import hftcore.model
from hftcore.model.data import BookDelta
from hftcore.model.money import Money


def test_model_package_exports_every_name_it_lists():
    missing = [name for name in hftcore.model.__all__ if not hasattr(hftcore.model, name)]
    assert missing == []


def test_model_package_re_exports_the_module_objects_themselves():
    assert hftcore.model.BookDelta is BookDelta
    assert hftcore.model.Money is Money
