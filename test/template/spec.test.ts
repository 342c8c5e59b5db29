import { test } from "node:test";
import assert from "node:assert/strict";
import { logger } from "logsight";

/** The message of one `logger.info(message, ...args)` call through a `{message}` handler. */
function formatted(message: string, ...args: unknown[]): string {
  logger.remove();
  const out: string[] = [];
  logger.add((text: string) => void out.push(text), { format: "{message}", colorize: false, diagnose: false });
  logger.info(message, ...args);
  logger.remove();
  assert.equal(out.length, 1);
  return out[0].replace(/\n$/, "");
}

// [value, spec, what Python 3.12's format(value, spec) gives]
const validSpecs: [unknown, string, string][] = [
  [42, "", "42"],
  [42, "d", "42"],
  [42, ">6", "    42"],
  [42, "<6", "42    "],
  [42, "^6", "  42  "],
  [42, "*^7", "**42***"],
  [-42, "=8", "-     42"],
  [42, "+", "+42"],
  [42, " ", " 42"],
  [-42, "06", "-00042"],
  [42, "<06", "420000"],
  [1234567, ",", "1,234,567"],
  [1234567, "_", "1_234_567"],
  [1234, "010,", "00,001,234"],
  [1234, "08,", "0,001,234"],
  [-1234, "09,", "-0,001,234"],
  [255, "x", "ff"],
  [255, "#x", "0xff"],
  [255, "X", "FF"],
  [255, "#X", "0XFF"],
  [255, "#010x", "0x000000ff"],
  [5, "b", "101"],
  [5, "#b", "0b101"],
  [65535, "_b", "1111_1111_1111_1111"],
  [65535, "_x", "ffff"],
  [8, "o", "10"],
  [8, "#o", "0o10"],
  [65, "c", "A"],
  [128512, "c", "😀"],
  [1234, "n", "1234"],
  [3.14159265, ".2f", "3.14"],
  [3.14159265, "10.3f", "     3.142"],
  [3.14159265, "<10.3f", "3.142     "],
  [3.14159265, "^12.2f", "    3.14    "],
  [-3.14159265, "=+12.2f", "-       3.14"],
  [-3.14159265, "08.3f", "-003.142"],
  [1234567.891, ",.2f", "1,234,567.89"],
  [1234567.891, "_.1f", "1_234_567.9"],
  [1234.5, "012,.2f", "0,001,234.50"],
  [0.125, ".2f", "0.12"],
  [2.5, ".0f", "2"],
  [3.5, ".0f", "4"],
  [0.375, ".2f", "0.38"],
  [2.675, ".2f", "2.67"],
  [1e22, ".1f", "10000000000000000000000.0"],
  [0.1, ".30f", "0.100000000000000005551115123126"],
  [3, ".2f", "3.00"],
  [3, "#.0f", "3."],
  [12345.678, "e", "1.234568e+04"],
  [12345.678, ".2e", "1.23e+04"],
  [12345.678, "+.2E", "+1.23E+04"],
  [125, ".1e", "1.2e+02"],
  [135, ".1e", "1.4e+02"],
  [3, "#.0e", "3.e+00"],
  [1e-7, "e", "1.000000e-07"],
  [1e100, ".3e", "1.000e+100"],
  [1234.5678, "g", "1234.57"],
  [0.00001234, "g", "1.234e-05"],
  [1234567, "g", "1.23457e+06"],
  [123456789, ".3g", "1.23e+08"],
  [0.5, ".0g", "0.5"],
  [100, "#g", "100.000"],
  [2.5, "G", "2.5"],
  [1e-10, "G", "1E-10"],
  [1.5, ".0", "2e+00"],
  [1234.5, ".2", "1.2e+03"],
  [0.125, ".5", "0.125"],
  [9.995, ".2", "1e+01"],
  [0.256, "%", "25.600000%"],
  [0.256, ".1%", "25.6%"],
  [1, ".0%", "100%"],
  [-0.0001, "z.2f", "0.00"],
  [-0.0001, ".2f", "-0.00"],
  [Infinity, "f", "inf"],
  [-Infinity, "F", "-INF"],
  [NaN, "+.2f", "+nan"],
  [NaN, "E", "NAN"],
  [12345678901234567890n, ",", "12,345,678,901,234,567,890"],
  [255n, "#x", "0xff"],
  [-7n, "+05", "-0007"],
  [10n, ".1f", "10.0"],
  ["ab", "", "ab"],
  ["ab", ">5", "   ab"],
  ["ab", "^6", "  ab  "],
  ["ab", "*^7", "**ab***"],
  ["ab", "05", "ab000"],
  ["hello", ".2", "he"],
  ["hello", "8.3", "hel     "],
  ["日本", "^6", "  日本  "],
  ["ab", "s", "ab"],
];

test("format specs give what Python's format() gives", () => {
  for (const [value, spec, expected] of validSpecs) {
    assert.equal(formatted(`{:${spec}}`, value), expected, `format(${String(value)}, ${JSON.stringify(spec)})`);
  }
});

// Specs Python refuses for these values: the field is left as written, the rest still formats.
const invalidSpecs: [unknown, string][] = [
  ["ab", "d"],  // ValueError: Unknown format code 'd' for object of type 'str'
  ["ab", "+"],  // ValueError: Sign not allowed in string format specifier
  ["ab", "=5"],  // ValueError: '=' alignment not allowed in string format specifier
  ["ab", "#"],  // ValueError: Alternate form (#) not allowed in string format specifier
  ["ab", ","],  // ValueError: Cannot specify ',' with 's'.
  [1.5, "d"],  // ValueError: Unknown format code 'd' for object of type 'float'
  [1.5, "x"],  // ValueError: Unknown format code 'x' for object of type 'float'
  [42, "s"],  // ValueError: Unknown format code 's' for object of type 'int'
  [42, ".2d"],  // ValueError: Precision not allowed in integer format specifier
  [42, "z"],  // ValueError: Negative zero coercion (z) not allowed in integer format specifier
  [-1, "c"],  // OverflowError: %c arg not in range(0x110000)
  [65, "+c"],  // ValueError: Sign not allowed with integer format specifier 'c'
  [42, ",_"],  // ValueError: Cannot specify both ',' and '_'.
  [42, "_,"],  // ValueError: Cannot specify both ',' and '_'.
  [42, ",x"],  // ValueError: Cannot specify ',' with 'x'.
  [42, "5.f"],  // ValueError: Format specifier missing precision
  [42, "abc"],  // ValueError: Invalid format specifier 'abc' for object of type 'int'
  [42, ",n"],  // ValueError: Cannot specify ',' with 'n'.
];

test("a spec that does not apply leaves its field verbatim", () => {
  for (const [value, spec] of invalidSpecs) {
    assert.equal(formatted(`<{:${spec}}> {}`, value, "rest"), `<{:${spec}}> rest`, `format(${String(value)}, ${JSON.stringify(spec)})`);
  }
});

test("JavaScript numbers: integers use integer rules, fractions float rules", () => {
  assert.equal(formatted("{} {} {}", 3, 2.5, -0), "3 2.5 0");
  assert.equal(formatted("{:d} {:>4}", 3, 7), "3    7");
  // An integer-valued number with a precision is formatted as the float it also is.
  assert.equal(formatted("{:.3} {:.2}", 42, 42), "42.0 4.2e+01");
  // Without a type or precision a fraction shows as JavaScript writes it.
  assert.equal(formatted("{:>8}|{}", 1e-7, 0.1 + 0.2), "    1e-7|0.30000000000000004");
  assert.equal(formatted("{:,}", 1234.5), "1,234.5");
});

test("other values: booleans, null, undefined, objects take string specs", () => {
  assert.equal(formatted("{:>6}|{:<6}|{:^11}", true, null, undefined), "  true|null  | undefined ");
  assert.equal(formatted("{:d} {:.1f}", true, false), "1 0.0");
  assert.equal(formatted("{:>10}", { a: 1 }), "  { a: 1 }");
  assert.equal(formatted("{:*<12}", [1, 2]), "[ 1, 2 ]****");
});

test("nested fields in a spec", () => {
  assert.equal(formatted("{:{}{}}", "x", ">", 4), "   x");
  assert.equal(formatted("{0:{1}.{2}f}", 3.14159, 8, 3), "   3.142");
  assert.equal(formatted("{value:{fill}^{width}}", { value: "mid", fill: "-", width: 9 }), "---mid---");
  assert.equal(formatted("{:{w}} done", "a", {}), "{:{w}} done");
});
