/** The page's only stylesheet, inlined: the page loads nothing else (it works offline). */
export const PAGE_STYLE = `
:root {
  color-scheme: light dark;
  --bg: #f6f7f9; --panel: #ffffff; --text: #1d2330; --muted: #667085; --line: #e3e6eb;
  --accent: #c62828; --accent-soft: #fdecea; --code-bg: #f3f4f7; --hl: #fff3cd; --hl-edge: #e0a800;
  --arrows: #0e7490; --value: #0b5cad; --kw: #8e24aa; --str: #2e7d32; --num: #1565c0; --com: #8a94a6;
  --tag-app: #2e7d32; --tag-dep: #667085;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #14161b; --panel: #1c1f26; --text: #e6e8ec; --muted: #9aa3b2; --line: #2c313b;
    --accent: #ff6b6b; --accent-soft: #3a1f22; --code-bg: #171a20; --hl: #3b3320; --hl-edge: #d4a017;
    --arrows: #56c2d6; --value: #8ab4f8; --kw: #d194f0; --str: #9ccc65; --num: #7fb3ff; --com: #6b7385;
    --tag-app: #81c784; --tag-dep: #9aa3b2;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 20px 48px; }
header.error { background: var(--panel); border: 1px solid var(--line); border-top: 4px solid var(--accent); border-radius: 8px; padding: 18px 22px; }
.status { display: inline-block; font-size: 13px; font-weight: 600; color: var(--accent); background: var(--accent-soft); border-radius: 4px; padding: 1px 8px; }
.request-line { color: var(--muted); font-size: 13px; margin-left: 8px; }
h1 { font-size: 24px; margin: 10px 0 4px; color: var(--accent); word-break: break-word; }
.message { font-size: 17px; margin: 0; white-space: pre-wrap; word-break: break-word; font-family: inherit; }
.details { color: var(--muted); margin: 6px 0 0; white-space: pre-wrap; font-size: 13px; }
h2 { font-size: 15px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 28px 0 10px; }
h3 { font-size: 16px; margin: 22px 0 8px; }
h3 .type { color: var(--accent); }
.chain { margin: 12px 0 0; padding: 0; list-style: none; font-size: 13px; color: var(--muted); }
.chain li::before { content: "\\21B3  "; }
details { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; margin: 8px 0; }
details > summary { cursor: pointer; padding: 8px 12px; list-style: none; display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; }
details > summary::-webkit-details-marker { display: none; }
details > summary::before { content: "\\25B8"; color: var(--muted); width: 1em; flex: none; }
details[open] > summary::before { content: "\\25BE"; }
.fn { font-weight: 600; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 14px; }
.loc { color: var(--muted); font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; word-break: break-all; }
.tag { font-size: 11px; border: 1px solid currentColor; border-radius: 3px; padding: 0 5px; color: var(--tag-dep); }
.tag.app { color: var(--tag-app); }
.tag.catch { color: var(--accent); font-weight: 700; }
.preview { flex-basis: 100%; margin-left: 1.6em; color: var(--muted); font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; white-space: pre; overflow: hidden; text-overflow: ellipsis; }
details.frame[open] .preview { display: none; }
details.dependencies { background: transparent; border-style: dashed; }
details.dependencies > summary { color: var(--muted); font-size: 13px; }
details.dependencies > .frames { padding: 0 10px 4px; }
.frame-body { padding: 0 12px 12px; }
pre.source { margin: 0; background: var(--code-bg); border: 1px solid var(--line); border-radius: 4px; padding: 8px 0; overflow-x: auto; font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre.source .row { display: block; padding: 0 12px 0 0; white-space: pre; }
pre.source .n { display: inline-block; width: 4.5em; padding-right: 1em; text-align: right; color: var(--muted); user-select: none; }
pre.source .row.hl { background: var(--hl); box-shadow: inset 3px 0 0 var(--hl-edge); }
pre.source .row.hl .n { color: var(--text); font-weight: 700; }
.arrows { color: var(--arrows); }
.val { color: var(--value); font-weight: 600; }
.t-keyword, .t-operator { color: var(--kw); }
.t-string, .t-regexp { color: var(--str); }
.t-number, .t-constant { color: var(--num); }
.t-comment { color: var(--com); font-style: italic; }
table { border-collapse: collapse; width: 100%; margin-top: 10px; font-size: 13px; }
th, td { text-align: left; vertical-align: top; padding: 4px 10px; border-bottom: 1px solid var(--line); }
th { color: var(--muted); font-weight: 600; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
td.name { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-weight: 600; white-space: nowrap; width: 1%; }
td.scope { color: var(--muted); white-space: nowrap; width: 1%; }
td.value { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre-wrap; word-break: break-word; }
details.enclosing { background: transparent; border: none; margin: 6px 0 0; }
details.enclosing > summary { color: var(--muted); font-size: 13px; padding: 6px 0; }
.note { color: var(--muted); font-size: 13px; margin: 6px 0; }
section.request { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 4px 16px 14px; }
section.request h3 { font-size: 13px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; margin: 14px 0 0; }
pre.body { background: var(--code-bg); border: 1px solid var(--line); border-radius: 4px; padding: 8px 12px; margin: 8px 0 0; white-space: pre-wrap; word-break: break-word; font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.group { border-left: 3px solid var(--line); padding-left: 14px; margin-top: 12px; }
footer { color: var(--muted); font-size: 12px; margin-top: 32px; }
`;
