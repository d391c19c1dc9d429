/**
 * The inline stylesheet of the HTML report. System fonts only; no `url()`, no `@import`.
 *
 * @module
 */

/** CSS placed in the report's single `<style>` element (its hash goes in the CSP). */
export const HTML_STYLE = `
:root { --pass: #1a7f37; --fail: #cf222e; --error: #8250df; --skip: #9a6700; --muted: #59636e;
  --line: #d1d9e0; --bg2: #f6f8fa; color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #1f2328; background: #fff; }
header, section { padding: 12px 24px; }
header { background: var(--bg2); border-bottom: 1px solid var(--line); }
h1 { font-size: 22px; margin: 4px 0 8px; }
h2 { font-size: 17px; margin: 8px 0; }
h3 { font-size: 14px; margin: 12px 0 4px; }
h4 { font-size: 13px; margin: 10px 0 4px; font-weight: 600; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
pre { background: var(--bg2); border: 1px solid var(--line); border-radius: 4px; padding: 8px;
  margin: 4px 0; white-space: pre-wrap; word-break: break-all; max-height: 480px; overflow: auto; }
table { border-collapse: collapse; }
th, td { text-align: left; padding: 3px 10px 3px 0; vertical-align: top; }
td.n, th.n { text-align: right; }
tr + tr td { border-top: 1px solid var(--line); }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0 0 10px; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 6px 14px; background: #fff; min-width: 96px; }
.card b { display: block; font-size: 22px; }
.verdict { display: inline-block; padding: 1px 10px; border-radius: 12px; color: #fff; font-size: 14px;
  vertical-align: middle; }
.badge { display: inline-block; min-width: 46px; text-align: center; padding: 0 6px; border-radius: 10px;
  color: #fff; font-size: 11px; font-weight: 600; }
.pass { background: var(--pass); } .fail { background: var(--fail); }
.error { background: var(--error); } .skip { background: var(--skip); } .none { background: var(--muted); }
.not-run { background: var(--muted); } .inconclusive { background: #bc4c00; }
.t-not-run { color: var(--muted); } .t-inconclusive { color: #bc4c00; }
.t-pass { color: var(--pass); } .t-fail { color: var(--fail); } .t-error { color: var(--error); }
.t-skip { color: var(--skip); } .muted { color: var(--muted); }
.req { display: inline-block; border: 1px solid var(--line); border-radius: 4px; padding: 0 4px; margin: 1px 2px;
  font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 11px; background: #fff; }
button.link { border: 0; background: none; padding: 0; color: #0969da; cursor: pointer; font: inherit; }
.filters { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; position: sticky; top: 0;
  background: #fff; padding: 8px 0; border-bottom: 1px solid var(--line); z-index: 1; }
.filters input[type=search] { flex: 1 1 280px; padding: 5px 8px; font: inherit; }
.filters select, .filters button { padding: 4px 6px; font: inherit; }
details.test { border-bottom: 1px solid var(--line); }
details.test > summary { cursor: pointer; padding: 5px 0; list-style-position: outside; }
details.test > summary .title { margin-left: 6px; }
details.test > summary .dur { color: var(--muted); font-size: 12px; margin-left: 8px; }
details.test > summary .why { display: block; color: var(--fail); font-size: 12px; margin: 2px 0 0 58px; overflow-wrap: anywhere; }
details.test .body { padding: 4px 0 12px 22px; }
.ex { border-left: 3px solid var(--line); padding-left: 10px; margin: 10px 0; }
.cols { display: grid; grid-template-columns: repeat(auto-fit, minmax(360px, 1fr)); gap: 10px; }
.vgroup { margin: 4px 0; }
.vgroup li { overflow-wrap: anywhere; }
svg.chart { max-width: 100%; height: auto; }
svg.chart .bar { fill: #54aeff; }
svg.chart .bar.over { fill: #ff8182; }
svg.chart .axis { stroke: #59636e; stroke-width: 1; }
svg.chart .grid { stroke: #d1d9e0; stroke-width: 1; }
svg.chart .pct { stroke-width: 1.5; stroke-dasharray: 4 3; }
svg.chart .p50 { stroke: #1a7f37; fill: #1a7f37; } svg.chart .p90 { stroke: #9a6700; fill: #9a6700; }
svg.chart .p99 { stroke: #cf222e; fill: #cf222e; }
svg.chart text { font: 11px system-ui, sans-serif; fill: #1f2328; }
svg.chart text.p50, svg.chart text.p90, svg.chart text.p99 { stroke: none; font-weight: 600; }
svg.bar-stack { vertical-align: middle; }
svg.bar-stack .pass { fill: var(--pass); } svg.bar-stack .fail { fill: var(--fail); }
svg.bar-stack .error { fill: var(--error); } svg.bar-stack .skip { fill: var(--skip); }
svg.bar-stack .not-run { fill: var(--muted); } svg.bar-stack .inconclusive { fill: #bc4c00; }
@media print { .filters { display: none; } details.test .body { display: block; } }
`;
