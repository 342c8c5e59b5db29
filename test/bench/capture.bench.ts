// Cost of a throw under each capture mode. Run: node --import tsx --expose-gc test/bench/capture.bench.ts
import { getCapture, startCapture, stopCapture } from "../../diagnose/capture/index";

function level5(n: number): never {
  const local5 = n * 5;
  throw new Error("level5 " + local5);
}
function level4(n: number): never {
  const local4 = n + 4;
  return level5(local4);
}
function level3(n: number): never {
  return level4(n + 3);
}
function level2(n: number): never {
  return level3(n + 2);
}
function level1(n: number): never {
  return level2(n + 1);
}

// The same depth with an object in every frame: the capture also takes their previews.
interface Order {
  id: number;
  owner: string;
  lines: { sku: string; qty: number }[];
  meta: { source: string; retries: number };
}
function objects5(order: Order): never {
  const line = order.lines[0];
  throw new Error("objects5 " + line.sku);
}
function objects4(order: Order): never {
  const totals = { qty: order.lines.length };
  return objects5(totals.qty > 0 ? order : order);
}
function objects3(order: Order): never {
  return objects4(order);
}
function objects2(order: Order): never {
  return objects3(order);
}
function objects1(n: number): never {
  const order: Order = { id: n, owner: "ada", lines: [{ sku: "A", qty: 1 }, { sku: "B", qty: 2 }, { sku: "C", qty: 3 }], meta: { source: "web", retries: 0 } };
  return objects2(order);
}

interface Measured {
  perThrowUs: number;
  /** CPU time of this process per throw: less disturbed by other load on the machine than wall time. */
  cpuPerThrowUs: number;
  captured: number;
}

function measure(count: number, entry: (n: number) => never = level1): Measured {
  let captured = 0;
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    try {
      entry(i);
    } catch (error) {
      if (getCapture(error) !== undefined) captured++;
    }
  }
  const elapsed = Number(process.hrtime.bigint() - start);
  const cpu = process.cpuUsage(cpuStart);
  return { perThrowUs: elapsed / count / 1000, cpuPerThrowUs: (cpu.user + cpu.system) / count, captured };
}

async function awaitCostUs(count: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await null;
  return Number(process.hrtime.bigint() - start) / count / 1000;
}

function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1e6;
}

function row(label: string, measured: Measured, count: number): void {
  console.log(`${label.padEnd(48)} ${measured.perThrowUs.toFixed(1).padStart(8)} µs/throw ${measured.cpuPerThrowUs.toFixed(1).padStart(8)} µs CPU/throw   captured ${measured.captured}/${count}`);
}

async function main(): Promise<void> {
  const quick = 20_000;
  const captured = 2_000;
  measure(quick);
  row("no session", measure(quick), quick);
  console.log(`${"no session: await null".padEnd(44)} ${(await awaitCostUs(200_000)).toFixed(3).padStart(8)} µs/await`);

  startCapture({ mode: "uncaught" });
  row("mode uncaught (caught throws)", measure(quick), quick);
  console.log(`${"session: await null".padEnd(44)} ${(await awaitCostUs(200_000)).toFixed(3).padStart(8)} µs/await`);

  startCapture({ mode: "all", rate: 1e9 });
  measure(200);
  const heapBefore = heapMb();
  row("mode all, unbudgeted, 5 app frames", measure(captured), captured);
  console.log(`${"  heap retained per capture (error dropped)".padEnd(44)} ${(((heapMb() - heapBefore) * 1e6) / captured).toFixed(0).padStart(8)} bytes`);
  measure(200, objects1);
  row("mode all, unbudgeted, 5 frames holding objects", measure(captured, objects1), captured);

  startCapture({ mode: "all", rate: 50 });
  await new Promise((resolve) => setTimeout(resolve, 1100));
  row("mode all, rate 50, burst of throws", measure(quick), quick);

  stopCapture();
  row("after stopCapture()", measure(quick), quick);
}

setImmediate(() => {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
});
