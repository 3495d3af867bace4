"""The config file's ``[analyse]`` section: which pipeline every analysing command builds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _paths import ROOT
from typer.testing import CliRunner

from unspin.analyse.models.detectors import Detectors
from unspin.cli import app
from unspin.config import AnalyseSettings, ConfigError, load_config
from unspin.live.ingest import Ingestor
from unspin.store.db import Store

WIRE = ROOT / "examples" / "01-nordline-wire.txt"
HAS_MODELS = Detectors().available


def _config(tmp_path: Path, body: str) -> Path:
    file = tmp_path / "unspin.toml"
    file.write_text(body, encoding="utf-8")
    return file


def _lexicon_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "lexicons"
    folder.mkdir()
    packaged = ROOT / "src" / "unspin" / "analyse" / "lexicon"
    one = sorted(packaged.glob("*.toml"))[0]
    (folder / one.name).write_text(one.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def test_the_section_chooses_components_detectors_and_lexicons(tmp_path):
    lexicons = _lexicon_folder(tmp_path)
    components = ["nlp", "quotes", "lexicon"] + (["models"] if HAS_MODELS else [])
    file = _config(tmp_path, f"[analyse]\ncomponents = {json.dumps(components)}\n"
                             f'detectors = "fast"\nmin_confidence = 0.3\nlexicons = "{lexicons}"\n')
    pipeline = load_config(file, env={}).analyse.pipeline()
    names = [c.name for c in pipeline.components]
    assert names == components
    lexicon = pipeline.components[2]
    assert len(lexicon.lexicon.files) == 1 and lexicon.lexicon.files[0].startswith(next(lexicons.glob("*.toml")).stem)
    assert pipeline.spec[1]["lexicon"] == {"directory": str(lexicons)}
    if HAS_MODELS:
        models = pipeline.components[3]
        assert models.detectors.fast and models.min_confidence == 0.3 and "-min0.3" in models.version
        # the mode is resolved in the spec, so a worker with another environment builds the same
        assert pipeline.spec[1]["models"] == {"mode": "fast", "min_confidence": 0.3}


def test_the_environment_wins_over_the_file(tmp_path):
    file = _config(tmp_path, '[analyse]\ndetectors = "fast"\n')
    assert load_config(file, env={}).analyse.detectors == "fast"
    assert load_config(file, env={"UNSPIN_DETECTORS": "full"}).analyse.detectors == "full"
    with pytest.raises(ConfigError, match="UNSPIN_DETECTORS"):
        load_config(file, env={"UNSPIN_DETECTORS": "quick"})


@pytest.mark.parametrize("body, message", [
    ('[analyse]\ndetectors = "quick"\n', "detectors"),
    ('[analyse]\nlexicons = "/no/such/folder"\n', "no such folder"),
    ('[analyse]\nmin_confidence = 2\n', "min_confidence"),
    ('[analyse]\ncomponent = ["nlp"]\n', "component"),
])
def test_bad_settings_are_clear_errors(tmp_path, body, message):
    with pytest.raises(ConfigError, match=message):
        load_config(_config(tmp_path, body), env={})


def test_an_unknown_component_names_the_known_ones():
    with pytest.raises(ValueError, match="unknown analyse component 'sentiment'.*quotes"):
        AnalyseSettings(components=["nlp", "sentiment"]).pipeline()


def test_analyze_builds_the_configured_pipeline(tmp_path, monkeypatch):
    monkeypatch.setenv("UNSPIN_CONFIG", str(_config(tmp_path, '[analyse]\ncomponents = ["nlp", "quotes", "dates"]\n')))
    result = CliRunner().invoke(app, ["analyze", str(WIRE), "--json", "--no-store"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [c.split("@")[0] for c in doc["components"]] == ["nlp", "quotes", "dates"]
    assert {f["kind"] for f in doc["findings"]} <= {"quote", "reported_speech", "scare_quote", "title", "date"}


def test_analyze_with_a_broken_section_says_so_and_exits_2(tmp_path, monkeypatch):
    monkeypatch.setenv("UNSPIN_CONFIG", str(_config(tmp_path, '[analyse]\ndetectors = "quick"\n')))
    result = CliRunner().invoke(app, ["analyze", str(WIRE), "--no-store"])
    assert result.exit_code == 2
    assert "config file" in result.output and "detectors" in result.output


def test_the_live_ingestor_uses_the_section(tmp_path):
    with Store(tmp_path / "x.sqlite") as store:
        ingestor = Ingestor(store, analyse=AnalyseSettings(components=["nlp", "dates"]))
        assert [c.name for c in ingestor.pipeline.components] == ["nlp", "dates"]


def test_a_trained_component_without_its_weights_says_so(tmp_path, monkeypatch):
    """Named without its weights, a trained component fails with what is missing and what to do;
    the default pipeline leaves it out instead of failing."""
    from unspin.analyse import pipeline as pipeline_module
    from unspin.analyse.models.component import ModelsComponent
    from unspin.analyse.models.onnx_runtime import WeightsMissing
    from unspin.analyse.narratives import NarrativeModel, NarrativesComponent

    with pytest.raises(WeightsMissing, match=r"'models' needs the detectors' weights in .*leave 'models' out"):
        ModelsComponent(detectors=Detectors(tmp_path))
    with pytest.raises(WeightsMissing, match=r"'narratives' needs its weights"):
        NarrativesComponent(model=NarrativeModel(tmp_path))
    monkeypatch.setattr(ModelsComponent, "available", staticmethod(lambda: False))
    monkeypatch.setattr(NarrativesComponent, "available", staticmethod(lambda: False))
    names = pipeline_module.default_component_names()
    assert "models" not in names and "narratives" not in names and "nlp" in names
    assert {"models", "narratives"} <= set(pipeline_module.registered())  # registered all the same


def test_watch_with_an_unknown_component_says_so_and_exits_2(tmp_path, monkeypatch):
    monkeypatch.setenv("UNSPIN_CONFIG", str(_config(tmp_path, '[analyse]\ncomponents = ["nlp", "sentiment"]\n')))
    result = CliRunner().invoke(app, ["watch", "http://127.0.0.1:9/feed.xml", "--once",
                                      "--db", f"sqlite:///{tmp_path / 'w.sqlite'}"])
    assert result.exit_code == 2
    assert "[analyse] in the config file" in result.output and "sentiment" in result.output
