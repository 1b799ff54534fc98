"""Frozen, validated configuration and its TOML file."""

import dataclasses

import pytest

from cleaner import Config
from cleaner.errors import ConfigError


def test_defaults_are_frozen():
    cfg = Config()
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.language.backend = "langdetect"  # type: ignore[misc]


def test_toml_maps_one_to_one(tmp_path):
    path = tmp_path / "cleaner.toml"
    path.write_text(
        '[boilerplate]\ntemplate_min_documents = 5\ndisabled_rules = ["advertisement"]\n'
        '[language]\nbackend = "langdetect"\nmin_confidence = 1\n',
        encoding="utf-8",
    )
    cfg = Config.from_toml(path)
    assert cfg.boilerplate.template_min_documents == 5
    assert cfg.boilerplate.disabled_rules == ("advertisement",)
    assert cfg.language.backend == "langdetect"
    assert cfg.language.min_confidence == 1.0
    assert Config.from_dict(cfg.to_dict()) == cfg


@pytest.mark.parametrize(
    "data, message",
    [
        ({"nope": {}}, "unknown section"),
        ({"language": {"bakend": "x"}}, "unknown key 'bakend'"),
        ({"language": {"backend": "nope"}}, "backend must be one of"),
        ({"language": {"min_confidence": "high"}}, "expected a number"),
        ({"encoding": {"fix_mojibake": "yes"}}, "expected true or false"),
        ({"boilerplate": {"template_min_documents": 1}}, "would drop every line"),
        ({"boilerplate": {"template_min_documents": 2.5}}, "expected an integer"),
        ({"boilerplate": {"pattern_files": "a.toml"}}, "expected a list of strings"),
        ({"boilerplate": {"favor": "maximal"}}, "favor must be one of precision, balanced"),
        ({"boilerplate": {"favor": 4.5}}, "between -4 and 4, got 4.5"),
        ({"boilerplate": {"favor": float("nan")}}, "between -4 and 4, got nan"),
        ({"boilerplate": {"favor": True}}, "expected a string or a number"),
        ({"boilerplate": {"favor": ["recall"]}}, "expected a string or a number"),
        ({"boilerplate": {"title_field": 3}}, "title_field: expected a string"),
        ({"boilerplate": {"url_title": "yes"}}, "url_title: expected true or false"),
        ({"second_copy": {"similarity": 0}}, "similarity"),
        ({"dedup": {"prose_chars": -1}}, "prose_chars >= 0"),
        ({"encoding": 3}, "expected a table"),
    ],
)
def test_invalid_config_fails_before_any_data(data, message):
    with pytest.raises(ConfigError, match=message):
        Config.from_dict(data)


def test_favor_is_a_name_or_a_number(tmp_path):
    path = tmp_path / "c.toml"
    for text, expected in (("1", 1.0), ("-0.5", -0.5), ('"recall"', "recall"), ("4", 4.0)):
        path.write_text(f"[boilerplate]\nfavor = {text}\n", encoding="utf-8")
        cfg = Config.from_toml(path)
        assert cfg.boilerplate.favor == expected
        assert type(cfg.boilerplate.favor) is type(expected)
        assert Config.from_dict(cfg.to_dict()) == cfg


def test_bad_toml_file(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[language\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        Config.from_toml(path)
    with pytest.raises(ConfigError, match="not found"):
        Config.from_toml(tmp_path / "missing.toml")
