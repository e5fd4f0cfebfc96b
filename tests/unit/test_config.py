import pytest

from tutor_desktop import config
from tutor_desktop.db.engine import sqlalchemy_url
from tutor_desktop.domain import InvalidInput


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    monkeypatch.setenv(config.CONFIG_DIR_ENV, str(tmp_path / "config"))
    monkeypatch.setenv(config.DATA_DIR_ENV, str(tmp_path / "data"))
    monkeypatch.delenv(config.DSN_ENV, raising=False)


def test_embedded_unless_something_names_a_server():
    assert config.choose_database().embedded


def test_precedence_is_flag_then_environment_then_file(monkeypatch):
    config.write_config_dsn("postgresql://desk@studio.lan/studio")
    assert config.choose_database().dsn == "postgresql://desk@studio.lan/studio"
    monkeypatch.setenv(config.DSN_ENV, "postgresql://env@host/db")
    assert config.choose_database().dsn == "postgresql://env@host/db"
    assert config.choose_database("postgresql://flag@host/db").dsn == "postgresql://flag@host/db"
    config.write_config_dsn(None)
    monkeypatch.delenv(config.DSN_ENV)
    assert config.choose_database().embedded


@pytest.mark.parametrize("bad", ["mysql://a@b/c", "not a url", "postgresql://a@b:port/c", "postgresql://a@b:5432"])
def test_malformed_urls_are_refused_with_a_message(bad):
    with pytest.raises(InvalidInput):
        config.validate_dsn(bad)


def test_a_password_is_never_written_to_the_settings_file():
    with pytest.raises(InvalidInput, match="password"):
        config.write_config_dsn("postgresql://desk:secret@studio.lan/studio")
    assert not config.config_file().exists()


def test_unreadable_settings_file_is_a_clear_error():
    config.config_file().parent.mkdir(parents=True)
    config.config_file().write_text("[database\nurl = ")
    with pytest.raises(InvalidInput, match="cannot be read"):
        config.choose_database()


def test_urls_are_given_the_psycopg_driver():
    assert sqlalchemy_url("postgresql://u@h:5433/db") == "postgresql+psycopg://u@h:5433/db"
    assert sqlalchemy_url("postgres://u@/db?host=/tmp/s").startswith("postgresql+psycopg://u@/db?host=")


def test_the_desk_time_zone_comes_from_the_environment_then_the_settings_then_the_computer(tmp_path, monkeypatch):
    from tutor_desktop import config

    monkeypatch.setenv(config.CONFIG_DIR_ENV, str(tmp_path))
    monkeypatch.delenv(config.TIME_ZONE_ENV, raising=False)
    assert config.desk_time_zone() == config.computer_time_zone()
    config.write_config_dsn("postgresql://maya@studio/studio")
    config.write_config_time_zone("America/New_York")
    assert config.desk_time_zone() == "America/New_York"
    assert config.read_config_dsn() == "postgresql://maya@studio/studio"  # each setting keeps the other
    config.write_config_dsn(None)
    assert config.read_config_time_zone() == "America/New_York"
    monkeypatch.setenv(config.TIME_ZONE_ENV, "Europe/London")
    assert config.desk_time_zone() == "Europe/London"
    monkeypatch.setenv(config.TIME_ZONE_ENV, "Mars/Olympus")
    with pytest.raises(InvalidInput, match="not a time zone"):
        config.desk_time_zone()
    with pytest.raises(InvalidInput):
        config.write_config_time_zone("GMT+25")
