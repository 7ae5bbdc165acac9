"""The report as one HTML file: the markup here, the data as JSON, plotly.js and our script inline.

Every string from the index (titles, brand names, paths, urls: all written by pages) goes
through `_e` (html.escape) into markup, and through `script_json` into the embedded JSON, where
`<`, `>`, `&`, U+2028 and U+2029 are written as \\u escapes so nothing closes or comments out the
script element. A Content-Security-Policy with a per-report nonce lets only this report's own
scripts run and forbids every network request, so even a mistake here could neither run a
page's script nor fetch anything.
"""

from __future__ import annotations

import html
import json
import secrets
from importlib import resources
from typing import Any

from hotlines.report.data import ReportData

KIND_LABELS = {
    "shared_cost_400": "400 shared-cost", "toll_free_800": "800 toll-free", "mobile": "mobile",
    "landline": "landline", "short_code": "short code", "foreign": "foreign",
}
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no `</script>`, `<!--` or line separators survive."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return "".join(_SCRIPT_ESCAPES.get(ch, ch) for ch in text) if any(ch in text for ch in _SCRIPT_ESCAPES) else text


def _asset(name: str) -> str:
    return resources.files("hotlines.report").joinpath("assets", name).read_text(encoding="utf-8")


def plotly_js() -> tuple[str, str]:
    """(plotly.js minified, its version) from the installed plotly package."""
    import plotly.offline

    source = plotly.offline.get_plotlyjs()
    if "</script" in source.lower():  # never so far; would end our script element early
        source = source.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")
    return source, plotly.offline.get_plotlyjs_version()


def _day(stamp: str | None) -> str:
    return _e(stamp[:10]) if stamp else "?"


def _kind(kind: str | None) -> str:
    return _e(KIND_LABELS.get(kind or "", kind or "?"))


def _appliance(category: str) -> str:
    return category.replace("_", " ")


def render(data: ReportData) -> str:
    """The whole report, one string."""
    nonce = secrets.token_urlsafe(18)
    plotly_source, plotly_version = plotly_js()
    payload = {
        "scored": data.scored,
        "open": next((i for i, n in enumerate(data.numbers) if n["number"] == data.open_number), None),
        "numbers": [{"number": n["number"], "map": n.get("map")} for n in data.numbers],
        "units": data.units,
        "provinces": data.provinces,
        "graph": data.graph,
    }
    title = "hotlines report: " + data.source
    if "brand" in data.filters:
        title += f" · brand {data.filters['brand']}"
    if "number" in data.filters:
        title += f" · number {data.filters['number']}"
    csp = (
        "default-src 'none'; "
        f"script-src 'nonce-{nonce}'; "  # this report's three scripts, nothing a page could inject
        "style-src 'unsafe-inline'; img-src data: blob:; font-src data:; connect-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )
    parts = [
        "<!doctype html>",
        '<html lang="zh-Hans"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">',  # ours, no page text
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
        f"<style>{_asset('report.css')}</style>",
        "</head><body>",
        _header(data, title),
        (
            '<nav class="sections"><a href="#overview">Overview</a><a href="#graph-section">Brand–phone graph</a>'
            '<a href="#numbers">Ranked numbers</a><a href="#dossiers">Dossier</a></nav>'
        ),
        "<main>",
        _overview(data),
        _graph_section(data),
        _ranked(data),
        _dossiers(data),
        "</main>",
        _footer(plotly_version),
        f'<script type="application/json" id="report-data">{script_json(payload)}</script>',
        f'<script nonce="{nonce}">{plotly_source}</script>',
        f'<script nonce="{nonce}">{_asset("report.js")}</script>',
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _header(data: ReportData, title: str) -> str:
    shown = len(data.numbers)
    scope = f"{shown} number(s) with dossiers"
    if data.rest.get("count"):
        scope += f", {data.rest['count']:,} more summarised"
    return (
        '<header class="top">'
        f"<h1>{_e(title)}</h1>"
        f"<p>Generated {_e(data.generated)} from <code>{_e(data.source)}</code> · {scope} · ranked by "
        f"{'risk (verdicts in the index)' if data.scored else 'distinct brands claimed (no verdicts in this index)'}</p>"
        "</header>"
    )


def _card(value: Any, label: str, detail: str = "") -> str:
    shown = f"{value:,}" if isinstance(value, int) else _e(value)
    return f'<div class="card"><div class="value">{shown}</div><div class="label">{_e(label)}</div>' + (
        f'<div class="detail">{detail}</div>' if detail else ""
    ) + "</div>"


def _counts(counts: dict[str, int] | None, labels: dict[str, str] | None = None) -> str:
    if not counts:
        return ""
    return " · ".join(f"{_e((labels or {}).get(k, k))} {v:,}" for k, v in counts.items())


def _overview(data: ReportData) -> str:
    o = data.overview
    cards = [
        _card(o["pages"], "pages"),
        _card(o["numbers"], "numbers on pages", _counts(o["numbers_by_kind"], KIND_LABELS)),
        _card(o["brands"], "brands claimed", f"{o['known_brands']:,} in the gazetteer, {o['brands'] - o['known_brands']:,} discovered"),
        _card(o["multi_brand"], "numbers claiming ≥ 2 brands"),
        _card(o["links"], "brand–phone links", f"{o['official']:,} official lines loaded" if o["official"] else "no official lines loaded"),
        _card(f"{_day(o['first_seen'])} – {_day(o['last_seen'])}" if o["first_seen"] else "–", "first and last seen"),
    ]
    if o.get("page_verdicts"):
        cards.append(_card(sum(o["page_verdicts"].values()), "pages by verdict", _counts(o["page_verdicts"])))
    else:
        cards.append(_card("–", "verdicts", "not in this index: counts only"))
    area = "" if o["regions"] else (
        '<p class="note">This index holds no service areas (it was built before they were indexed, or its pages name no '
        "region): rebuild it from the pages to see maps.</p>"
    )
    return f'<section id="overview"><h2>Overview</h2><div class="cards">{"".join(cards)}</div>{area}</section>'


def _graph_section(data: ReportData) -> str:
    graph = data.graph
    brands = sum(1 for n in graph["nodes"] if n["type"] == "brand")
    hidden = f" {graph['hidden_brands']:,} brand(s) claimed by few pages are not drawn." if graph["hidden_brands"] else ""
    size = "risk" if data.scored else "the number of distinct brands it claims"
    return (
        '<section id="graph-section"><h2>Brand–phone graph</h2>'
        f'<p class="note">{sum(1 for n in graph["nodes"] if n["type"] == "number")} number(s) claiming a brand (circles, sized by {size}'
        f"{', coloured by verdict' if data.scored else ''}) and {brands} brand(s) (diamonds, sized by pages; pale: discovered on pages, "
        f"not in the gazetteer).{hidden} Click a number for its dossier, a brand to filter the table.</p>"
        '<div id="graph" class="plot"></div></section>'
    )


def _ranked(data: ReportData) -> str:
    scored = data.scored
    head = ['<th data-type="number">#</th>', "<th>number</th>"]
    if scored:
        head += ['<th data-type="number">risk</th>', "<th>verdict</th>"]
    head += ["<th>kind</th>", '<th data-type="number">brands claimed</th>', '<th data-type="number">pages</th>', "<th>first seen</th>", "<th>last seen</th>"]
    rows = []
    for position, n in enumerate(data.numbers):
        keys = [b[1] for b in n.get("all_brands", [])]
        listed = ", ".join(keys[:4]) + (f", … +{len(keys) - 4}" if len(keys) > 4 else "")
        search = " ".join([n["number"], *keys]).lower()
        cells = [
            f'<td class="n">{n["rank"]}</td>',
            f'<td class="num"><a href="#d-{position}" data-dossier="{position}">{_e(n.get("display") or n["number"])}</a></td>',
        ]
        if scored:
            risk = float(n.get("risk") or 0.0)
            cells.append(f'<td data-v="{risk:.4f}"><span class="risk"><span style="width:{risk * 100:.0f}%"></span></span>{risk:.2f}</td>')
            cells.append(f'<td><span class="verdict {_e(n.get("verdict"))}">{_e(n.get("verdict"))}</span></td>')
        cells += [
            f"<td>{_kind(n.get('kind'))}</td>",
            f'<td data-v="{len(keys)}"><b>{len(keys)}</b> {_e(listed)}</td>',
            f'<td class="n" data-v="{n.get("pages") or 0}">{n.get("pages") or 0:,}</td>',
            f'<td data-v="{_e(n.get("first_seen"))}">{_day(n.get("first_seen"))}</td>',
            f'<td data-v="{_e(n.get("last_seen"))}">{_day(n.get("last_seen"))}</td>',
        ]
        rows.append(
            f'<tr data-rank="{n["rank"]}" data-dossier="{position}" data-verdict="{_e(n.get("verdict") or "")}" '
            f'data-search="{_e(search)}">{"".join(cells)}</tr>'
        )
    verdicts = (
        '<select id="verdict-filter" aria-label="verdict"><option value="">any verdict</option>'
        + "".join(f'<option value="{v}">{v}</option>' for v in ("fraud", "unknown", "official"))
        + "</select>"
    ) if scored else ""
    return (
        '<section id="numbers"><h2>Ranked numbers</h2>'
        '<div class="toolbar"><input id="filter" type="search" placeholder="filter: number, brand, kind, verdict …" aria-label="filter">'
        f'{verdicts}<span id="shown-count" class="note"></span></div>'
        f'<div class="table-wrap"><table class="ranked" id="ranked"><thead><tr>{"".join(head)}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
        f"{_rest(data)}</section>"
    )


def _rest(data: ReportData) -> str:
    rest = data.rest
    if not rest.get("count"):
        return '<p class="note">Every number in scope is shown.</p>'
    parts = [f"{rest['count']:,} more number(s) in scope are not shown"]
    if rest.get("by_verdict"):
        parts.append("by verdict: " + _counts(rest["by_verdict"]))
    if rest.get("by_kind"):
        parts.append("by kind: " + _counts(rest["by_kind"], KIND_LABELS))
    parts.append(f"{rest.get('multi_brand', 0):,} of them claim two or more brands")
    more = "; ".join(parts)
    return f'<p class="note" id="rest">{more}. Raise <code>--top</code>, or ask for one with <code>--number</code> or <code>--brand</code>.</p>'


def _dossiers(data: ReportData) -> str:
    articles = [_dossier(data, position, n) for position, n in enumerate(data.numbers)]
    return (
        '<section id="dossiers"><h2>Dossier</h2>'
        '<p id="no-dossier">Click a number in the table or in the graph to open its dossier.</p>'
        + "".join(articles) + "</section>"
    )


def _dossier(data: ReportData, position: int, n: dict[str, Any]) -> str:
    badges = []
    if data.scored:
        badges.append(f'<span class="verdict {_e(n.get("verdict"))}">{_e(n.get("verdict"))}</span> risk {float(n.get("risk") or 0):.2f}')
    badges.append(_kind(n.get("kind")))
    if n.get("region") or n.get("carrier"):
        badges.append(_e(" ".join(x for x in (n.get("region"), n.get("carrier")) if x)))
    badges.append(f"on {n.get('pages') or 0:,} page(s), {_day(n.get('first_seen'))} – {_day(n.get('last_seen'))}")
    reasons = "".join(f"<li>{_e(reason)}</li>" for reason in n.get("reasons") or []) or "<li>none given</li>"
    why = "Why this verdict" if data.scored else "Evidence (this index holds no verdicts)"
    brand_rows = []
    for b in n.get("brands", []):
        status = '<span class="tag ok">official</span>' if b["official"] else ('<span class="tag flag">NOT OFFICIAL</span>' if b["flagged"] else "")
        discovered = "" if b["known"] else ' <span class="tag">discovered</span>'
        brand_rows.append(
            f"<tr><td>{_e(b['brand'])}{discovered} {status}</td>"
            f"<td>{_e(', '.join(_appliance(a) for a in b['appliances'])) or '–'}</td><td class=\"n\">{b['pages']:,}</td></tr>"
        )
    more = f'<p class="note">… and {n["more_brands"]:,} more brand(s).</p>' if n.get("more_brands") else ""
    brands = (
        f'<div class="brands-wrap"><table class="brands"><thead><tr><th>brand</th><th>appliances</th><th>pages</th></tr></thead>'
        f'<tbody>{"".join(brand_rows)}</tbody></table></div>{more}'
        if brand_rows else '<p class="note">No page ties this number to a brand.</p>'
    )
    appliances = "".join(f'<span class="tag">{_e(_appliance(a["appliance"]))} · {a["pages"]:,}</span>' for a in n.get("appliances", [])) or "–"
    examples = []
    for page in n.get("examples", []):
        where = page.get("url") or page.get("path") or page.get("source")
        if page.get("url") and str(page["url"]).lower().startswith(("http://", "https://")):
            shown_where = f'<a href="{_e(page["url"])}" rel="noopener noreferrer nofollow" target="_blank">{_e(page["url"])}</a>'
        else:
            shown_where = _e(where)
        path = f" · file {_e(page['path'])}" if page.get("url") and page.get("path") else ""
        claimed = f"<br>claims here: {_e(', '.join(page['brands']))}" if page.get("brands") else ""
        examples.append(
            f"<li><b>{_e(page.get('title') or '(no title)')}</b><br><span class=\"where\">{shown_where}{path}</span>"
            f"{claimed}<br><span class=\"note\">seen {_day(page.get('first_seen'))} – {_day(page.get('last_seen'))}</span></li>"
        )
    pages = f'<ol class="pages">{"".join(examples)}</ol>' if examples else '<p class="note">No pages.</p>'
    if (n.get("pages") or 0) > len(examples):
        pages += f'<p class="note">The {len(examples)} most recent of {n["pages"]:,} pages.</p>'
    return (
        f'<article class="dossier" id="d-{position}" data-number="{_e(n["number"])}">'
        f'<h2>{_e(n.get("display") or n["number"])}<small>{_e(n["number"])}</small></h2>'
        f'<p>{" · ".join(badges)}</p>'
        '<div class="cols"><div>'
        f'<h3>{why}</h3><ul class="reasons">{reasons}</ul>'
        f'<h3>Brands it claims ({len(n.get("all_brands", [])):,})</h3>{brands}'
        f"<h3>Appliances (pages)</h3><p>{appliances}</p>"
        f"</div><div><h3>Claimed service area</h3>{_area(data, n, position)}</div></div>"
        f"<h3>Example pages</h3>{pages}"
        "</article>"
    )


def _area(data: ReportData, n: dict[str, Any], position: int) -> str:
    area = n.get("map")
    if area is None:
        return '<p class="note">This index holds no service areas; rebuild it from the pages to see one.</p>'
    if not area["provinces"] and not area["points"]:
        return '<p class="note">None of its pages names a region.</p>'
    total = n.get("pages") or 0
    read = f"{area['pages']:,} of its {total:,} page(s)" if area["read"] >= total else (
        f"{area['pages']:,} of the {area['read']:,} most recent of its {total:,} pages"
    )
    summary = f"{area['counties']:,} place(s) below province level in {len(area['provinces'])} province(s), named on {read}."
    if area["undrawn"]:
        summary += f" The {area['undrawn']:,} least mentioned are not drawn."
    names = {p[0]: p[1] for p in data.provinces}
    top = " · ".join(f"{_e(names.get(code, code))} {count:,}" for code, count in area["provinces"][:8])
    top = f'<p class="note">Most mentioned provinces: {top}</p>' if top else ""
    return (
        f'<p class="note">{summary} Provinces shaded by mentions, counties as points at their coordinates.</p>'
        f'<div class="map plot" id="map-{position}"></div>{top}'
    )


def _footer(plotly_version: str) -> str:
    return (
        "<footer>Made by hotlines. Self-contained: opening this file makes no network request. "
        f"Embedded: plotly.js {_e(plotly_version)} (MIT licence, from the plotly Python package). "
        "Map points: the division table's coordinates (cpca, MIT), no outlines. "
        "Text uses the fonts installed on this computer.</footer>"
    )
