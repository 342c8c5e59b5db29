const fs = require("fs"); const { monitorEventLoopDelay } = require("perf_hooks");
const { compileCompression } = require("./dist/src/sinks/file/compression.js");
const dir = fs.mkdtempSync("/tmp/cmp-");
let line = ""; for (let i = 0; i < 600000; i++) line += `2026-11-24 12:00:00.${String(i%1000).padStart(3,"0")} | INFO | app:main:42 - request ${i} done in ${i%97} ms\n`;
(async () => {
  for (const f of ["gz","bz2","xz","lzma","tar","tar.gz","tar.bz2","tar.xz","zip"]) {
    const p = `${dir}/a-${f.replace(".","_")}.log`; fs.writeFileSync(p, line);
    const c = compileCompression(f); const h = monitorEventLoopDelay({resolution: 5}); h.enable();
    const t = Date.now(); await c(p); h.disable();
    console.log(f, (line.length/1e6).toFixed(1)+"MB", Date.now()-t, "ms, max event-loop block", (h.max/1e6).toFixed(0), "ms, size", fs.statSync(`${p}.${f}`).size);
  }
  fs.rmSync(dir, {recursive: true});
})();
