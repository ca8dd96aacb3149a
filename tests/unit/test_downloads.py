"""Downloaded files keep the name they are given, in plain ASCII whatever the translation says."""
from webapp.downloads import attachment, safe_name


def test_a_translated_file_name_loses_its_accents_and_anything_unsafe():
    assert safe_name("résultats-2026-01-01-2026-04-30.csv") == "resultats-2026-01-01-2026-04-30.csv"
    assert safe_name("liste des présences.csv") == "liste-des-presences.csv"
    assert attachment('a"b/../c.csv') == 'attachment; filename="a-b-..-c.csv"'
    assert safe_name("«»") == "passerelle"
