"use strict";
// Profiles one implementation of one logging case with `node --cpu-prof` and lists the functions
// with the most self time, mapped back to the TypeScript sources through dist/'s source maps.
// node test/bench/profile.js <case> [implementation=logsight] [--calls N] [--top N]

const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { fileURLToPath } = require("node:url");
const { SourceMap } = require("node:module");
const { spawnSync } = require("node:child_process");
const { positiveInteger } = require("./lib/args");
const { formatTable, formatNumber } = require("./lib/table");

const REPO = path.join(__dirname, "..", "..");
const PSEUDO_FUNCTIONS = new Set(["(idle)", "(program)", "(garbage collector)", "(root)"]);

function profileCase({ caseName, implName = "logsight", calls = 100_000, top = 15 }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "logsight-profile-"));
  try {
    const child = spawnSync(
      process.execPath,
      ["--cpu-prof", "--cpu-prof-dir", dir, "--cpu-prof-interval", "100", path.join(__dirname, "child.js"), caseName, implName, String(calls), dir],
      { cwd: REPO, encoding: "utf8", timeout: 300_000 },
    );
    if (child.status !== 0) return `profiling failed (status ${child.status}): ${(child.stderr || "").trim()}`;
    const profileFile = fs.readdirSync(dir).find((name) => name.endsWith(".cpuprofile"));
    if (profileFile === undefined) return "no .cpuprofile was written";
    const profile = JSON.parse(fs.readFileSync(path.join(dir, profileFile), "utf8"));
    return summarizeProfile(profile, top);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Self time per function (and per file), largest first, as text. */
function summarizeProfile(profile, top) {
  const selfUs = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) || 0) + (profile.timeDeltas[i] || 0));
  }
  const byFunction = new Map();
  const byFile = new Map();
  let total = 0;
  let busy = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) || 0;
    if (us === 0) continue;
    total += us;
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    if (PSEUDO_FUNCTIONS.has(functionName) && url === "") {
      add(byFunction, functionName, { name: functionName, where: "" }, us);
      continue;
    }
    busy += us;
    const where = locate(url, lineNumber, columnNumber);
    add(byFunction, `${functionName}@${where}`, { name: functionName || "(anonymous)", where }, us);
    add(byFile, where.replace(/:\d+$/, ""), { name: where.replace(/:\d+$/, ""), where: "" }, us);
  }
  const pct = (us) => `${((us / total) * 100).toFixed(1)}%`;
  const topRows = (map, n) => [...map.values()].sort((a, b) => b.us - a.us).slice(0, n);
  const functionTable = formatTable(
    ["self ms", "share", "function", "where"],
    topRows(byFunction, top).map((e) => [formatNumber(e.us / 1000, 1), pct(e.us), e.name, e.where]),
    ["r", "r", "l", "l"],
  );
  const fileTable = formatTable(
    ["self ms", "share", "file"],
    topRows(byFile, 8).map((e) => [formatNumber(e.us / 1000, 1), pct(e.us), e.name]),
    ["r", "r", "l"],
  );
  return `sampled ${formatNumber(total / 1000, 0)} ms, ${formatNumber(busy / 1000, 0)} ms in JavaScript/native functions (warm-up, setup and waiting included)\n${functionTable}\n\nby file:\n${fileTable}`;
}

function add(map, key, entry, us) {
  const existing = map.get(key);
  if (existing) existing.us += us;
  else map.set(key, { ...entry, us });
}

const sourceMaps = new Map();

/** "src/record.ts:42" for dist code with a source map, else the path relative to the repo. */
function locate(url, lineNumber, columnNumber) {
  if (url === "") return "(native)";
  let file = url;
  if (url.startsWith("file://")) file = fileURLToPath(url);
  if (!path.isAbsolute(file)) return `${url}:${lineNumber + 1}`;
  const map = loadSourceMap(file);
  if (map !== null) {
    const entry = map.findEntry(lineNumber, columnNumber);
    if (entry && entry.originalSource) {
      const source = entry.originalSource.startsWith("file://") ? fileURLToPath(entry.originalSource) : path.resolve(path.dirname(file), entry.originalSource);
      return `${path.relative(REPO, source)}:${entry.originalLine + 1}`;
    }
  }
  return `${path.relative(REPO, file)}:${lineNumber + 1}`;
}

function loadSourceMap(file) {
  if (sourceMaps.has(file)) return sourceMaps.get(file);
  let map = null;
  try {
    if (fs.existsSync(`${file}.map`)) map = new SourceMap(JSON.parse(fs.readFileSync(`${file}.map`, "utf8")));
  } catch {
    map = null;
  }
  sourceMaps.set(file, map);
  return map;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const positional = [];
  let calls = 100_000;
  let top = 15;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--calls") calls = positiveInteger("--calls", args[++i]);
    else if (args[i] === "--top") top = positiveInteger("--top", args[++i]);
    else positional.push(args[i]);
  }
  if (positional.length === 0) {
    console.error("usage: node test/bench/profile.js <case> [implementation=logsight] [--calls N] [--top N]");
    process.exitCode = 1;
  } else {
    console.log(profileCase({ caseName: positional[0], implName: positional[1], calls, top }));
  }
}

module.exports = { profileCase, summarizeProfile };
