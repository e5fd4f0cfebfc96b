"""The demo studio's made-up details read as a person would write them."""

from tutor_desktop.db.demo import _email


def test_demo_e_mail_addresses_keep_accented_names_readable():
    assert _email("Chloé Martin") == "chloe.martin@example.com"
    assert _email("Lucía Fernández") == "lucia.fernandez@example.com"
    assert _email("Liam O'Brien") == "liam.obrien@example.com"
