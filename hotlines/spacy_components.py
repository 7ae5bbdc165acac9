"""The extractors as spaCy pipeline components, for users who compose their own pipelines.

    import spacy
    nlp = spacy.blank("zh")            # no model download: a blank Chinese pipeline
    nlp.add_pipe("hotlines_phones")
    nlp.add_pipe("hotlines_regions")
    nlp.add_pipe("hotlines_brands")    # brands and appliances
    doc = nlp(page_text)
    doc.spans["hotlines_phones"], doc.ents   # spaCy spans; kb_id_ holds E.164 / adcode / canonical

Each component sets `doc.spans[<its name>]` (every mention) and adds its mentions to `doc.ents`
where they do not overlap entities already there, so `displacy.render(doc, style="ent")` shows a
page. The factories are registered through the `spacy_factories` entry point, so `add_pipe` finds
them once hotlines is installed.

The `hotlines extract` pipeline does not run spaCy: its character tokenizer alone costs about
7 ms on a 17 KB page, several times the whole extraction. The components call the same
extractors on `doc.text`, so both give the same entities.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from extractors import extract_phones, extract_regions, normalize
from extractors.brands import extract_brands_and_appliances

PHONE, REGION, BRAND, APPLIANCE = "PHONE", "REGION", "BRAND", "APPLIANCE"

Mention = tuple[int, int, str, str]  # start, end, label, kb_id


def _set_spans(doc: Doc, key: str, mentions: Iterable[Mention]) -> Doc:
    spans = []
    for start, end, label, kb_id in mentions:
        span = doc.char_span(start, end, label=label, kb_id=kb_id, alignment_mode="expand")
        if span is not None:
            spans.append(span)
    doc.spans[key] = spans
    doc.ents = filter_spans([*doc.ents, *(s for s in spans if not _overlaps_ents(doc, s))])
    return doc


def _overlaps_ents(doc: Doc, span: Span) -> bool:
    return any(e.start < span.end and span.start < e.end for e in doc.ents)


class _Component:
    def __init__(self, key: str, find: Callable[[str], Iterable[Mention]]) -> None:
        self.key = key
        self.find = find

    def __call__(self, doc: Doc) -> Doc:
        return _set_spans(doc, self.key, self.find(doc.text))


def _phones(text: str) -> list[Mention]:
    return [(a, b, PHONE, p.number) for p in extract_phones(text) for a, b in p.spans]


def _regions(text: str) -> list[Mention]:
    return [(r.span[0], r.span[1], REGION, r.adcode) for r in extract_regions(text)]


def _brands_and_appliances(text: str) -> list[Mention]:
    doc = normalize(text)
    found = extract_brands_and_appliances(doc, extract_regions(doc))
    mentions = [(a, b, BRAND, brand.canonical or brand.name) for brand in found.brands for a, b in brand.spans]
    mentions += [(a, b, APPLIANCE, item.category) for item in found.appliances for a, b in item.spans]
    return sorted(mentions)


@Language.factory("hotlines_phones")
def make_phones(nlp: Language, name: str) -> _Component:
    return _Component(name, _phones)


@Language.factory("hotlines_regions")
def make_regions(nlp: Language, name: str) -> _Component:
    return _Component(name, _regions)


@Language.factory("hotlines_brands")
def make_brands(nlp: Language, name: str) -> _Component:
    return _Component(name, _brands_and_appliances)
