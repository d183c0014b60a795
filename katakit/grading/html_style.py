"""The style sheet of report.html, inlined in the page: system fonts only, and a print layout."""

# Heat colours by share of a task's points: one hue light to dark (readable without colour vision, since every
# cell also shows its number), q0 for no points, q5 for all of them.
HEAT = ("#eeeeee", "#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
HEAT_LABELS = ("0", "under 25%", "25 to 50%", "50 to 75%", "75 to 99%", "100%")

CSS = (
    """
:root { color-scheme: light; font-family: system-ui, sans-serif; line-height: 1.4; color: #1a1a1a; }
body { margin: 1.5rem auto; max-width: 80rem; padding: 0 1rem; }
h1 { margin-bottom: .25rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #ccc; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; }
dl.facts dt { font-weight: 600; }
nav ul { display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; list-style: none; padding: 0; }
svg.chart { max-width: 100%; height: auto; font-size: 13px; }
svg .track { fill: #eeeeee; } svg .fill, .hist-bar rect { fill: #3182bd; }
svg .value, svg .label { dominant-baseline: auto; }
svg .count, svg .bin { text-anchor: middle; font-size: 12px; } svg .axis { stroke: #666; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; }
td, th { padding: .15rem .4rem; border: 1px solid #ddd; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.heatmap { font-size: .8rem; }
table.heatmap td { text-align: center; min-width: 2.2em; font-variant-numeric: tabular-nums; }
table.heatmap thead th.task { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap;
  font-weight: normal; vertical-align: bottom; }
table.heatmap th[scope=row] { position: sticky; left: 0; background: #fff; white-space: nowrap; }
td.na, .legend .na { background: repeating-linear-gradient(45deg, #fff, #fff 3px, #ddd 3px, #ddd 5px); }
.legend { display: flex; flex-wrap: wrap; gap: .25rem .75rem; list-style: none; padding: 0; font-size: .85rem; }
.legend span { display: inline-block; width: 1.4em; height: 1em; border: 1px solid #999; vertical-align: middle; }
ol.failures li { margin-bottom: .4rem; } code { white-space: pre-wrap; word-break: break-word; }
pre { white-space: pre-wrap; word-break: break-word; background: #f6f6f6; padding: .5rem; max-height: 30rem;
  overflow: auto; }
section.student table, table.incidents { width: 100%; }
table.incidents td:nth-child(3) { width: 40%; }
section.student { border-top: 1px solid #ddd; padding-top: .5rem; }
section.student:target { background: #fffbe6; }
.muted { color: #555; } .back { font-size: .85rem; }
"""
    + "".join(f"td.q{i}, .legend .q{i} {{ background: {colour}; }}\n" for i, colour in enumerate(HEAT))
    + "td.q4, td.q5 { color: #fff; }\n"
    + """
@media print {
  :root { font-size: 9pt; } body { max-width: none; margin: 0; padding: 0; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  nav, .back { display: none; }
  a { color: inherit; text-decoration: none; }
  h2, h3 { break-after: avoid; }
  svg.chart, figure, tr, li, .legend { break-inside: avoid; }
  .scroll { overflow: visible; }
  pre { max-height: none; overflow: visible; }
  details::details-content { content-visibility: visible; display: contents; }
  #heatmap { page: wide; } table.heatmap { font-size: 6.5pt; }
  table.heatmap th[scope=row] { position: static; }
  #students { break-before: page; }
  section.student { break-inside: avoid; }
}
@page { margin: 12mm; }
@page wide { size: A4 landscape; }
"""
)
