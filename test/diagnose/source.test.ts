import { test } from "node:test";
import assert from "node:assert/strict";
import { analyzeLine } from "../../diagnose/source";

/** The chains found on a line, as `a.b.c` strings. */
function chains(line: string): string[] {
  return analyzeLine(line).chains.map((chain) => chain.map((link) => link.name).join("."));
}

const cases: [string, string[]][] = [
  ["const total = priceOf(cart, coupon);", ["priceOf", "cart", "coupon"]],
  ["if (coupon.percent > 100) throw new RangeError(`bad coupon ${coupon.code}`);", ["coupon.percent", "RangeError", "coupon.code"]],
  ["return { total: sum, count };", ["sum", "count"]],
  ["const { a, b: renamed } = source;", ["source"]],
  ["let [first, second] = pair, third = first;", ["pair", "first"]],
  ["for (const item of items) total += item.price;", ["items", "total", "item.price"]],
  ["const x: Map<string, Item> = new Map<string, Item>();", ["Map"]],
  ["function f(a: number, b?: string): void {", ["a", "b"]],
  ["const y = value as unknown as Foo;", ["value"]],
  ["const z = (input satisfies Config).port;", ["input"]],
  ["return user!.profile?.name;", ["user.profile.name"]],
  ["return cond ? left : right;", ["cond", "left", "right"]],
  ["items.map((item) => item.price)", ["items.map", "item", "item.price"]],
  ["switch (kind) { case Kind.A: return one; default: return other; }", ["kind", "Kind.A", "one", "other"]],
  ["this.items.push(entry);", ["this.items.push", "entry"]],
  ["obj.default.new = typeof thing;", ["obj.default.new", "thing"]],
  ["type Alias = Foo | Bar;", []],
  ["interface Shape { width: number }", []],
  ["if (a < b && c > d) swap(a, b);", ["a", "b", "c", "d", "swap", "a", "b"]],
  ["const n = 1 + 2; // comment with words", []],
  ["return null ?? undefined ?? NaN;", []],
  // A property of a multi-line object literal: the key is not a name, the value is an expression.
  ["total: order.lines.reduce((sum, line) => sum + line.price, 0),", ["order.lines.reduce", "sum", "line", "sum", "line.price"]],
  ["note: total,", ["total"]],
  ["'content-type': headers.type,", ["headers.type"]],
  // ...while a TypeScript member or field keeps its annotation a type.
  ["total: number;", []],
  ["total: Money = zero;", ["zero"]],
  // Computed members: the holder, the bracket, then the names inside as chains of their own.
  ["return handlers[job.kind](job);", ["handlers.[]", "job.kind", "job"]],
  ["rows[0].cells[index].value", ["rows.[].cells.[].value", "index"]],
  ["return table[key()]", ["table", "key"]],
];

for (const [line, expected] of cases) {
  test(`chains of: ${line}`, () => {
    assert.deepEqual(chains(line), expected);
  });
}

test("chain links start where each name starts on the line", () => {
  const line = "if (coupon.percent > 100) throw x;";
  const [first] = analyzeLine(line).chains;
  assert.deepEqual(first, [
    { name: "coupon", start: 4 },
    { name: "percent", start: 11 },
  ]);
});

test("a line that does not tokenize keeps the identifiers around the failure", () => {
  // A decorator (`@`) and the middle of a multi-line template literal are not JavaScript on their own.
  assert.deepEqual(chains("@Inject(token) method(dep) {"), ["Inject", "token", "method", "dep"]);
  const tail = chains("text ${name} more` + suffix;");
  assert.ok(tail.includes("name"), tail.join());
  assert.deepEqual(chains("'unterminated + still"), []);
  assert.deepEqual(chains("a = 'unterminated + still"), ["a"]);
});

test("tokens cover keywords, strings, numbers, comments and punctuation", () => {
  const line = 'const s = "hi" + 42; // note';
  const kinds = analyzeLine(line).tokens.map((t) => `${t.kind}:${line.slice(t.start, t.end)}`);
  assert.deepEqual(kinds, [
    "keyword:const",
    "name:s",
    "operator:=",
    'string:"hi"',
    "operator:+",
    "number:42",
    "punctuation:;",
    "comment:// note",
  ]);
});

test("a computed member keeps its key: a literal, or a chain of names and where it starts", () => {
  const [outer] = analyzeLine("return handlers[job.kind](job);").chains;
  assert.deepEqual(outer![1], { name: "[]", start: 15, computed: { chain: ["job", "kind"], start: 16 } });
  const [literal] = analyzeLine("rows['first'].id").chains;
  assert.deepEqual(literal![1], { name: "[]", start: 4, computed: { literal: "first" } });
});
