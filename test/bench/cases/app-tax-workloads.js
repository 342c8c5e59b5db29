"use strict";
// The six workloads of the app-tax case: ordinary application code that never logs, whose speed
// an enabled V8 debugger changes (awaits and throws take slower paths while one is on).

let sink = 0;

async function resolvedAwaits(n) {
  for (let i = 0; i < n; i++) sink += await i;
}

async function add(a, b) {
  return a + b;
}

async function asyncCalls(n) {
  for (let i = 0; i < n; i++) sink += await add(i, 1);
}

async function allSettledBatches(n) {
  for (let i = 0; i < n; i += 100) {
    const batch = [];
    for (let j = 0; j < 100; j++) batch.push(j % 10 === 0 ? Promise.reject(new Error("no")) : Promise.resolve(j));
    const settled = await Promise.allSettled(batch);
    sink += settled.length;
  }
}

function failedParses(n) {
  for (let i = 0; i < n; i++) {
    try {
      JSON.parse("{bad json");
    } catch {
      sink++;
    }
  }
}

function descend(depth) {
  if (depth === 0) throw new Error("bottom");
  return descend(depth - 1) + 1;
}

function deepThrows(n) {
  for (let i = 0; i < n; i++) {
    try {
      descend(20);
    } catch {
      sink++;
    }
  }
}

function cpuLoop(n) {
  let x = 0;
  for (let i = 0; i < n; i++) x = (x * 31 + i) % 1000003;
  sink += x;
}

const workloads = [
  { name: "await", label: "1e6 `await` of resolved values", size: 1_000_000, run: resolvedAwaits },
  { name: "async-calls", label: "1e6 async function calls", size: 1_000_000, run: asyncCalls },
  { name: "all-settled", label: "`Promise.allSettled`, 2,000 batches of 100", size: 200_000, run: allSettledBatches },
  { name: "json-parse", label: "100k `try { JSON.parse(bad) } catch {}`", size: 100_000, run: failedParses },
  { name: "deep-throw", label: "20k throws 20 frames deep, caught", size: 20_000, run: deepThrows },
  { name: "cpu", label: "pure CPU loop (5e7 iterations)", size: 50_000_000, run: cpuLoop },
];

module.exports = { workloads, sinkValue: () => sink };
