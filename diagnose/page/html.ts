import { valueLines } from "../render.js";
import { analyzeLine } from "../source.js";
import { escapeHtml as esc } from "./escape.js";
import type { ErrorPageModel, ExceptionModel, FrameModel, NamedValue, RequestModel } from "./model.js";
import { PAGE_STYLE } from "./style.js";

const annotationTheme = {
  arrows: (text: string): string => `<span class="arrows">${esc(text)}</span>`,
  value: (text: string): string => `<span class="val">${esc(text)}</span>`,
};

/**
 * The model as one self-contained HTML document: inline CSS, no script, nothing loaded from
 * elsewhere. Every piece of text from the error, the program or the request is escaped.
 */
export function renderPageHtml(model: ErrorPageModel): string {
  const { exception, request } = model;
  const title = `${exception.type}${exception.message === "" ? "" : ": " + firstLine(exception.message)}`;
  const out: string[] = [];
  out.push(
    "<!DOCTYPE html>",
    '<html lang="en"><head><meta charset="utf-8">',
    // Nothing on the page runs or loads: a value that escaped its escaping still could not.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(truncate(title, 200))}</title>`,
    `<style>${PAGE_STYLE}</style>`,
    "</head><body><main>",
  );
  out.push('<header class="error">');
  out.push(`<span class="status">${model.status} ${esc(model.statusText)}</span>`);
  if (request !== undefined) out.push(`<span class="request-line">${esc(request.method)} ${esc(request.url)}</span>`);
  out.push(`<h1 id="error-type">${esc(exception.type)}</h1>`);
  if (exception.message !== "") out.push(`<pre class="message" id="error-message">${esc(exception.message)}</pre>`);
  if (exception.details !== "") out.push(`<p class="details">${esc(exception.details)}</p>`);
  const chain = chainSummary(exception);
  if (chain.length > 0) out.push(`<ul class="chain">${chain.map((line) => `<li>${esc(line)}</li>`).join("")}</ul>`);
  out.push("</header>");

  out.push('<h2>Stack <span class="note">(most recent call first)</span></h2>');
  renderException(exception, out, "main");
  if (request !== undefined) renderRequest(request, out);
  out.push(
    `<footer>Rendered by logsight on Node ${esc(model.node)} at ${esc(model.time)}. `,
    "This page is shown in development only: with NODE_ENV=production, or diagnose off, the response carries no stack, source or values.</footer>",
    "</main></body></html>",
  );
  return out.join("\n");
}

function firstLine(text: string): string {
  const at = text.indexOf("\n");
  return at === -1 ? text : text.slice(0, at);
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : text.slice(0, width - 3) + "...";
}

/** `caused by TypeError: ...`, `3 errors: ...`: what the page shows further down, in a line each. */
function chainSummary(exception: ExceptionModel): string[] {
  const lines: string[] = [];
  let cause = exception.cause;
  for (let depth = 0; cause !== undefined && depth < 20; depth++, cause = cause.cause) {
    lines.push(`caused by ${cause.type}${cause.message === "" ? "" : ": " + truncate(firstLine(cause.message), 160)}`);
  }
  if (exception.members !== undefined) {
    for (const member of exception.members) lines.push(`${member.type}${member.message === "" ? "" : ": " + truncate(firstLine(member.message), 160)}`);
  }
  return lines;
}

type Role = "main" | "cause" | "member";

function renderException(exception: ExceptionModel, out: string[], role: Role, index = 0): void {
  if (role !== "main") {
    const lead = role === "cause" ? "Caused by" : `Error ${index + 1}`;
    out.push('<div class="group">');
    out.push(`<h3>${lead}: <span class="type">${esc(exception.type)}</span></h3>`);
    if (exception.message !== "") out.push(`<pre class="message">${esc(exception.message)}</pre>`);
    if (exception.details !== "") out.push(`<p class="details">${esc(exception.details)}</p>`);
  }
  renderFrames(exception.frames, out);
  if (exception.members !== undefined) {
    exception.members.forEach((member, i) => renderException(member, out, "member", i));
    if (exception.omittedMembers > 0) out.push(`<p class="note">and ${exception.omittedMembers} more errors</p>`);
  }
  if (exception.cause !== undefined) renderException(exception.cause, out, "cause");
  if (role !== "main") out.push("</div>");
}

/** App frames one by one (the first open); runs of dependency and Node frames folded together. */
function renderFrames(frames: readonly FrameModel[], out: string[]): void {
  if (frames.length === 0) {
    out.push('<p class="note">No stack: the thrown value is not an Error, and no capture recorded where it was thrown.</p>');
    return;
  }
  let opened = false;
  for (let i = 0; i < frames.length; ) {
    const frame = frames[i]!;
    if (frame.kind === "app") {
      renderFrame(frame, out, !opened);
      opened = true;
      i++;
      continue;
    }
    let end = i;
    while (end < frames.length && frames[end]!.kind !== "app") end++;
    const run = frames.slice(i, end);
    const packages = [...new Set(run.map(packageOf))];
    const caught = run.some((f) => f.catchPoint) ? ' <span class="tag catch">&gt; caught here</span>' : "";
    out.push(`<details class="dependencies"><summary>${run.length} frame${run.length === 1 ? "" : "s"} in ${esc(packages.join(", "))}${caught}</summary><div class="frames">`);
    for (const dependency of run) renderFrame(dependency, out, false);
    out.push("</div></details>");
    i = end;
  }
}

/** `express`, `@nestjs/core`, `node` for Node's own frames. */
function packageOf(frame: FrameModel): string {
  if (frame.kind === "internal") return "node";
  const at = frame.file.lastIndexOf("node_modules/");
  if (at === -1) return "dependencies";
  const parts = frame.file.slice(at + "node_modules/".length).split("/");
  return parts[0]!.startsWith("@") && parts.length > 1 ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

function renderFrame(frame: FrameModel, out: string[], open: boolean): void {
  const where = frame.line > 0 ? `${frame.file}:${frame.line}${frame.column > 0 ? ":" + frame.column : ""}` : frame.file;
  const kindTag = frame.kind === "app" ? '<span class="tag app">app</span>' : frame.kind === "internal" ? '<span class="tag">node</span>' : '<span class="tag">node_modules</span>';
  const catchTag = frame.catchPoint ? '<span class="tag catch" title="the frame that caught the error">&gt; caught here</span>' : "";
  const highlighted = frame.source?.lines[frame.line - frame.source.start]?.trim();
  out.push(`<details class="frame ${frame.kind}"${open ? " open" : ""}>`);
  out.push(
    `<summary><span class="fn">${esc(frame.function)}</span><span class="loc">${esc(where)}</span>${kindTag}${catchTag}` +
      (highlighted ? `<span class="preview">${esc(highlighted)}</span>` : "") +
      "</summary>",
  );
  out.push('<div class="frame-body">');
  if (frame.source !== undefined) renderSource(frame, out);
  else out.push('<p class="note">Source not available.</p>');
  if (frame.repeated > 0) out.push(`<p class="note">[Previous frame repeated ${frame.repeated} more time${frame.repeated === 1 ? "" : "s"}]</p>`);
  // The frame's own variables in view; those of the scopes around it (module state, mostly) folded.
  const own = frame.variables.filter((v) => !ENCLOSING_SCOPES.has(v.scope));
  const enclosing = frame.variables.filter((v) => ENCLOSING_SCOPES.has(v.scope));
  if (own.length > 0) variableTable(own, out);
  if (enclosing.length > 0) {
    out.push(`<details class="enclosing"><summary>${enclosing.length} variable${enclosing.length === 1 ? "" : "s"} of the enclosing scopes</summary>`);
    variableTable(enclosing, out);
    out.push("</details>");
  }
  if (frame.omittedVariables > 0) out.push(`<p class="note">and ${frame.omittedVariables} more variables</p>`);
  if (frame.variables.length === 0 && frame.kind === "app") out.push('<p class="note">No values: the capture engine did not record this frame.</p>');
  out.push("</div></details>");
}

const ENCLOSING_SCOPES = new Set(["closure", "module", "script", "with", "eval"]);

function variableTable(variables: FrameModel["variables"], out: string[]): void {
  out.push('<table class="vars"><thead><tr><th>Variable</th><th>Scope</th><th>Value at the throw</th></tr></thead><tbody>');
  for (const v of variables) out.push(`<tr><td class="name">${esc(v.name)}</td><td class="scope">${esc(v.scope)}</td><td class="value">${esc(v.value)}</td></tr>`);
  out.push("</tbody></table>");
}

function renderSource(frame: FrameModel, out: string[]): void {
  const source = frame.source!;
  const width = String(source.start + source.lines.length - 1).length;
  const rows: string[] = [];
  source.lines.forEach((text, i) => {
    const number = source.start + i;
    const isLine = number === frame.line;
    const code = frame.kind === "app" ? highlight(text) : esc(text);
    rows.push(`<span class="row${isLine ? " hl" : ""}"><span class="n">${String(number).padStart(width)}</span>${code}</span>`);
    if (isLine && frame.annotations.length > 0) {
      const lines: string[] = [];
      valueLines({ marks: frame.annotations.map((a) => ({ column: a.column, text: a.value, expression: a.expression })) }, annotationTheme, lines, "");
      for (const line of lines) rows.push(`<span class="row annotation"><span class="n"></span>${line}</span>`);
    }
  });
  out.push(`<pre class="source">${rows.join("")}</pre>`);
}

/** Syntax classes from the tokens the traceback engine reads lines with. */
function highlight(line: string): string {
  const { tokens } = analyzeLine(line);
  let html = "";
  let at = 0;
  for (const token of tokens) {
    if (token.start < at) continue;
    html += esc(line.slice(at, token.start));
    const text = esc(line.slice(token.start, token.end));
    html += token.kind === "name" || token.kind === "punctuation" || token.kind === "property" ? text : `<span class="t-${token.kind}">${text}</span>`;
    at = token.end;
  }
  return html + esc(line.slice(at));
}

function renderRequest(request: RequestModel, out: string[]): void {
  out.push("<h2>Request</h2>", '<section class="request">');
  const overview: NamedValue[] = [
    { name: "method", value: request.method },
    { name: "url", value: request.url },
  ];
  if (request.route !== undefined) overview.push({ name: "route", value: request.route });
  table(overview, out);
  if (request.params.length > 0) {
    out.push("<h3>Route params</h3>");
    table(request.params, out);
  }
  if (request.query.length > 0) {
    out.push("<h3>Query</h3>");
    table(request.query, out);
  }
  out.push("<h3>Headers</h3>");
  if (request.headers.length > 0) table(request.headers, out);
  else out.push('<p class="note">none</p>');
  if (request.body !== undefined) out.push("<h3>Body</h3>", `<pre class="body">${esc(request.body)}</pre>`);
  out.push("</section>");
}

function table(entries: readonly NamedValue[], out: string[]): void {
  out.push('<table class="pairs"><tbody>');
  for (const entry of entries) out.push(`<tr><td class="name">${esc(entry.name)}</td><td class="value">${esc(entry.value)}</td></tr>`);
  out.push("</tbody></table>");
}
