"use strict";
// Command-line options of the bench scripts: `--runs 5 --calls 100000 --case plain,serialize`.

const USAGE = `usage: node test/bench/run.js [--runs N] [--calls N] [--case NAME[,NAME]] [--profile] [--json FILE]
  --runs N     measured runs per implementation and case (default 5; one warm-up run is added)
  --calls N    logging calls per file case (default 100000; the below-minimum case uses 100x)
  --case NAME  run only these cases (names or numbers, comma-separated)
  --profile    after the table, profile the logsight side of every case that missed its target
  --json FILE  also write the medians and ratios as JSON`;

function parseArgs(argv) {
  const options = { runs: 5, calls: 100_000, cases: null, profile: false, json: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes("=") ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      if (i + 1 >= argv.length) throw new Error(`option ${flag} needs a value`);
      return argv[++i];
    };
    switch (flag) {
      case "--runs": options.runs = positiveInteger(flag, value()); break;
      case "--calls": options.calls = positiveInteger(flag, value()); break;
      case "--case": options.cases = value().split(",").map((name) => name.trim()).filter(Boolean); break;
      case "--profile": options.profile = true; break;
      case "--json": options.json = value(); break;
      case "-h": case "--help": options.help = true; break;
      default: throw new Error(`unknown option ${JSON.stringify(arg)}\n${USAGE}`);
    }
  }
  return options;
}

function positiveInteger(flag, text) {
  const number = Number(text);
  if (!Number.isInteger(number) || number <= 0) {
    throw new Error(`option ${flag} must be a positive integer, got ${JSON.stringify(text)}`);
  }
  return number;
}

module.exports = { parseArgs, positiveInteger, USAGE };
