import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildSync } from "esbuild";
import { generatedNamesFor } from "../../diagnose/names";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "logsight-names-"));
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

const source = path.join(dir, "tariff.js");
fs.writeFileSync(
  source,
  [
    "function quote(n, parcel) {",
    "  let rates = n.zones;",
    "  let weight = parcel.weight;",
    "  return rates[parcel.country].rate * weight + n.base;",
    "}",
    "module.exports = { quote };",
    "",
  ].join("\n"),
);
const line4 = "  return rates[parcel.country].rate * weight + n.base;";

function build(minify: boolean, sourcemap: "linked" | "inline"): string {
  const outfile = path.join(dir, `tariff.${minify ? "min" : "plain"}.${sourcemap}.js`);
  buildSync({ entryPoints: [source], outfile, minify, sourcemap, format: "cjs", platform: "node", logLevel: "silent" });
  return outfile;
}

test("minified code: each original name resolves to the minified variable the map names", () => {
  for (const sourcemap of ["linked", "inline"] as const) {
    const generated = build(true, sourcemap);
    const code = fs.readFileSync(generated, "utf8");
    const names = generatedNamesFor(generated, source, 4)!;
    const at = { rates: line4.indexOf("rates"), parcel: line4.indexOf("parcel"), weight: line4.indexOf("weight"), n: line4.indexOf("n.base") };
    const resolved = (["rates", "parcel", "weight", "n"] as const).map((name) => names(name, at[name]));
    for (const id of resolved) assert.match(String(id), /^[a-zA-Z_$]$/, `${sourcemap}: ${resolved.join(", ")}`);
    // The function's own parameters in the minified text are the resolved names of n and parcel.
    const params = /function \w\((\w),(\w)\)/.exec(code)!;
    assert.deepEqual([resolved[3], resolved[1]], [params[1], params[2]]);
    // A name at a position the map does not point at an identifier of that name has no variable.
    assert.equal(names("n", line4.indexOf("rates")), undefined);
  }
});

test("code that was not renamed resolves each name to itself; a frame shown as it ran needs no map", () => {
  const generated = build(false, "linked");
  const names = generatedNamesFor(generated, source, 4)!;
  assert.equal(names("weight", line4.indexOf("weight")), "weight");
  assert.equal(names("rates", line4.indexOf("rates")), "rates");
  assert.equal(generatedNamesFor(source, source, 4), undefined);
});
