"""The extractors as spaCy components on a blank Chinese pipeline (no model download)."""

from __future__ import annotations

import spacy
from spacy import displacy

from conftest import PAGES
from extractors import extract_phones, extract_regions


def _nlp() -> spacy.language.Language:
    nlp = spacy.blank("zh")
    for name in ("hotlines_phones", "hotlines_regions", "hotlines_brands"):
        nlp.add_pipe(name)  # found through the spacy_factories entry point
    return nlp


def test_components_set_spans_and_entities_like_the_extractors() -> None:
    text = (PAGES / "001_5cf953adb841b130.txt").read_text(encoding="utf-8")
    doc = _nlp()(text)
    phones = [(s.start_char, s.end_char, s.kb_id_) for s in doc.spans["hotlines_phones"]]
    assert phones == [(a, b, p.number) for p in extract_phones(text) for a, b in p.spans]
    regions = [(s.start_char, s.end_char, s.kb_id_) for s in doc.spans["hotlines_regions"]]
    assert regions == [(r.span[0], r.span[1], r.adcode) for r in extract_regions(text)]
    brands = {s.kb_id_ for s in doc.spans["hotlines_brands"] if s.label_ == "BRAND"}
    appliances = {s.kb_id_ for s in doc.spans["hotlines_brands"] if s.label_ == "APPLIANCE"}
    assert brands == {"超人"} and appliances == {"integrated_stove"}
    assert {e.label_ for e in doc.ents} == {"PHONE", "REGION", "BRAND", "APPLIANCE"}


def test_displacy_renders_a_page_with_its_text_escaped() -> None:
    doc = _nlp()("<script>alert(1)</script>北京海尔空调维修电话400-1865-909")
    html = displacy.render(doc, style="ent", page=False)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "PHONE" in html and "REGION" in html and "BRAND" in html
