"""The site-wide glossary (courses/glossary.yaml) and its loader."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trainer.content import ImportFailed, load_glossary, render_module
from trainer.content.glossary import ABBREVIATION
from trainer.rx.abbreviations import glossary_terms

from .factories import GLOSSARY_YAML, make_glossary

SHIPPED = Path(__file__).resolve().parents[3] / "courses" / "glossary.yaml"


@pytest.fixture(scope="module")
def glossary() -> dict[str, str]:
    return load_glossary(SHIPPED)


def test_shipped_glossary_cites_its_sources():
    import yaml

    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    sources = " ".join(data["sources"])
    assert "ISMP List of Error-Prone Abbreviations" in sources
    assert '"Do Not Use"' in sources


@pytest.mark.parametrize(
    ("abbreviation", "meaning"),
    [
        ("bid", "twice a day"),
        ("tid", "three times a day"),
        ("qid", "four times a day"),
        ("prn", "as needed"),
        ("po", "by mouth"),
        ("ac", "before meals"),
        ("pc", "after meals"),
        ("q4h", "every 4 hours"),
        ("stat", "immediately"),
        ("gtt", "drop"),
        ("mL", "milliliter"),
        ("NPO", "nothing by mouth"),
    ],
)
def test_common_sig_codes_mean_what_the_texts_say(glossary, abbreviation, meaning):
    assert glossary[abbreviation] == meaning


@pytest.mark.parametrize(
    ("abbreviation", "says"),
    [
        ("qd", "Joint Commission"),
        ("QD", "Joint Commission"),
        ("qod", "Joint Commission"),
        ("QOD", "Joint Commission"),
        ("IU", "Joint Commission"),
        ("MSO4", "Joint Commission"),
        ("MgSO4", "Joint Commission"),
        ("hs", "ISMP"),
        ("HS", "ISMP"),
        ("qhs", "ISMP"),
        ("qn", "ISMP"),
        ("q1d", "ISMP"),
        ("cc", "ISMP"),
        ("µg", "ISMP"),
        ("μg", "ISMP"),
        ("SC", "ISMP"),
        ("SQ", "ISMP"),
        ("sub q", "ISMP"),
        ("D/C", "ISMP"),
        ("TIW", "ISMP"),
        ("UD", "ISMP"),
        ("ss", "ISMP"),
        ("APAP", "ISMP"),
    ],
)
def test_error_prone_abbreviations_say_so_and_say_what_to_write(glossary, abbreviation, says):
    meaning = glossary[abbreviation]
    assert "error-prone" in meaning and says in meaning
    assert "write" in meaning


@pytest.mark.parametrize(
    "abbreviation",
    # Ordinary words, other common meanings, or Roman numerals: see the file's header.
    ["as", "ad", "AD", "AS", "OD", "OS", "od", "IV", "ID", "IN", "U", "u", "MS", "PA", "PCN", "ER", "PO", "AC", "PC", "cap", "tab", "top", "XL", "BT"],
)  # fmt: skip
def test_colliding_abbreviations_are_left_out(glossary, abbreviation):
    assert abbreviation not in glossary


def test_every_entry_is_a_whole_word_the_abbr_extension_can_match(glossary):
    assert len(glossary) >= 60
    for abbreviation, meaning in glossary.items():
        assert ABBREVIATION.fullmatch(abbreviation), abbreviation
        assert meaning and meaning == " ".join(meaning.split())


def test_every_entry_renders_on_its_own_and_never_inside_a_word(glossary):
    for abbreviation in glossary:
        html = render_module(f"Write ({abbreviation}) here.\n", glossary).html
        found = re.findall(r'<abbr title="([^"]*)">([^<]*)</abbr>', html)
        assert len(found) == 1 and found[0][1] == abbreviation, (abbreviation, html)
        inside = render_module(f"Write zz{abbreviation}zz here.\n", glossary).html
        assert "<abbr" not in inside, (abbreviation, inside)


# --- the loader ------------------------------------------------------------------------


def test_loader_returns_abbreviation_to_meaning(tmp_path):
    assert load_glossary(make_glossary(tmp_path), shared=False) == {
        "PTCB": "Pharmacy Technician Certification Board",
        "NPI": "National Provider Identifier",
        "NDC": "National Drug Code",
    }


def test_loader_adds_the_shared_abbreviation_table(tmp_path):
    glossary = load_glossary(make_glossary(tmp_path))
    assert glossary["NDC"] == "National Drug Code"
    assert glossary["bid"] == "twice a day"
    assert glossary["cc"] == glossary_terms()["cc"]


def test_a_file_may_not_redefine_an_abbreviation_of_the_shared_table(tmp_path):
    path = make_glossary(tmp_path, GLOSSARY_YAML.replace("  NDC: National Drug Code", "  bid: two a day"))
    with pytest.raises(ImportFailed) as failed:
        load_glossary(path)
    (problem,) = failed.value.problems
    assert problem.line == 6 and "shared abbreviation table" in problem.message


def test_the_shipped_file_keeps_no_abbreviation_of_the_shared_table():
    import yaml

    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    assert not set(data["abbreviations"]) & set(glossary_terms())


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("  NPI: National Provider Identifier", "  q.d.: daily", 5, "begin and end with a letter or digit"),
        ("  NPI: National Provider Identifier", "  NPI:", 5, "meaning must be text"),
        ("  NPI: National Provider Identifier", "  no: by mouth", 5, "quote the abbreviation"),
        ("  NPI: National Provider Identifier", "  NPI: x\n  NPI: y", 6, "duplicate key 'NPI'"),
        ("  NPI: National Provider Identifier", "  NPI: [by, mouth]", 5, "meaning must be text"),
        ("  NPI: National Provider Identifier", "  'sub  q': under the skin", 5, "single spaces"),
        ("sources:\n", "origins:\n", 1, "unknown field 'origins'"),
        ("abbreviations:", "abbreviations: []\nx:", 3, "must map each abbreviation"),
        ("  PTCB: Pharmacy Technician Certification Board", "  PTCB: [twice", 5, "not valid YAML"),
    ],
)
def test_loader_problems_name_file_and_line(tmp_path, old, new, line, message):
    assert old in GLOSSARY_YAML
    path = make_glossary(tmp_path, GLOSSARY_YAML.replace(old, new))
    with pytest.raises(ImportFailed) as failed:
        load_glossary(path)
    (problem,) = [p for p in failed.value.problems if message in p.message]
    assert (problem.file, problem.line) == (str(path), line)


def test_loader_needs_sources(tmp_path):
    path = make_glossary(tmp_path, "abbreviations:\n  NPI: National Provider Identifier\n")
    with pytest.raises(ImportFailed) as failed:
        load_glossary(path)
    assert [p.field for p in failed.value.problems] == ["sources"]


def test_loader_refuses_a_list(tmp_path):
    with pytest.raises(ImportFailed, match="mapping"):
        load_glossary(make_glossary(tmp_path, "- bid\n"))
