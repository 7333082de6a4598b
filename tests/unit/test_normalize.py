from nlu.normalize import fold, strip_invisible


def test_fold_drops_case_diacritics_punctuation_and_emoji() -> None:
    assert fold("  Punë në KUKËS?! 🙏 ") == "pune ne kukes"
    assert fold("Çfarë") == fold("cfare")


def test_invisible_characters_and_nul_are_removed() -> None:
    assert strip_invisible("a\u200bb\x00c\ufeff") == "abc"
    assert fold("\u200b\u200c") == ""
