import { test } from "node:test";
import assert from "node:assert/strict";
import { logger } from "logsight";

/** The line a handler with this format writes for one ERROR record (ERROR's color is `<red><bold>`). */
function render(format: string, colorize: boolean, message = "msg"): string {
  logger.remove();
  const out: string[] = [];
  logger.add((text: string) => void out.push(text), { format, colorize, diagnose: false });
  logger.error(message);
  logger.remove();
  assert.equal(out.length, 1);
  return out[0].replace(/\n$/, "");
}

const ESC = "\x1b[";
const RESET = "\x1b[0m";

// [format, with colors, without colors]
const valid: [string, string, string][] = [
  ["<red>a</red>", `${ESC}31ma${RESET}`, "a"],
  ["<r>a</r>", `${ESC}31ma${RESET}`, "a"],
  ["<RED>a</RED>", `${ESC}41ma${RESET}`, "a"],
  ["<R>a</R>", `${ESC}41ma${RESET}`, "a"],
  ["<black>0</black><k>1</k><green>2</green><g>3</g><yellow>4</yellow><y>5</y>", `${ESC}30m0${RESET}${ESC}30m1${RESET}${ESC}32m2${RESET}${ESC}32m3${RESET}${ESC}33m4${RESET}${ESC}33m5${RESET}`, "012345"],
  ["<blue>0</blue><e>1</e><magenta>2</magenta><m>3</m><cyan>4</cyan><c>5</c><white>6</white><w>7</w>", `${ESC}34m0${RESET}${ESC}34m1${RESET}${ESC}35m2${RESET}${ESC}35m3${RESET}${ESC}36m4${RESET}${ESC}36m5${RESET}${ESC}37m6${RESET}${ESC}37m7${RESET}`, "01234567"],
  ["<light-blue>a</light-blue><le>b</le><light-black>c</light-black><lk>d</lk><lw>e</lw>", `${ESC}94ma${RESET}${ESC}94mb${RESET}${ESC}90mc${RESET}${ESC}90md${RESET}${ESC}97me${RESET}`, "abcde"],
  ["<LIGHT-CYAN>a</LIGHT-CYAN><LC>b</LC><LIGHT-WHITE>c</>", `${ESC}106ma${RESET}${ESC}106mb${RESET}${ESC}107mc${RESET}`, "abc"],
  ["<bold>b</bold><b>b</b><dim>d</dim><d>d</d><normal>n</normal><n>n</n>", `${ESC}1mb${RESET}${ESC}1mb${RESET}${ESC}2md${RESET}${ESC}2md${RESET}${ESC}22mn${RESET}${ESC}22mn${RESET}`, "bbddnn"],
  ["<italic>i</italic><i>i</i><underline>u</underline><u>u</u><strike>s</strike><s>s</s>", `${ESC}3mi${RESET}${ESC}3mi${RESET}${ESC}4mu${RESET}${ESC}4mu${RESET}${ESC}9ms${RESET}${ESC}9ms${RESET}`, "iiuuss"],
  ["<reverse>v</reverse><v>v</v><blink>l</blink><l>l</l><hide>h</hide><h>h</h>", `${ESC}7mv${RESET}${ESC}7mv${RESET}${ESC}5ml${RESET}${ESC}5ml${RESET}${ESC}8mh${RESET}${ESC}8mh${RESET}`, "vvllhh"],
  ["<fg 86>a</fg 86><bg 42>b</bg 42><fg 255>c</>", `${ESC}38;5;86ma${RESET}${ESC}48;5;42mb${RESET}${ESC}38;5;255mc${RESET}`, "abc"],
  ["<fg #AF5FD7>a</><bg #00005f>b</><fg #EE1>c</><bg #fff>d</>", `${ESC}38;2;175;95;215ma${RESET}${ESC}48;2;0;0;95mb${RESET}${ESC}38;2;238;238;17mc${RESET}${ESC}48;2;255;255;255md${RESET}`, "abcd"],
  ["<fg 0,95,0>a</><bg 72,119,65>b</>", `${ESC}38;2;0;95;0ma${RESET}${ESC}48;2;72;119;65mb${RESET}`, "ab"],
  ["<fg red>a</><bg red>b</><fg LIGHT-GREEN>c</>", `${ESC}31ma${RESET}${ESC}41mb${RESET}${ESC}92mc${RESET}`, "abc"],
  // A closing tag resets, then puts back the tags still open.
  ["<red><bold>a</bold>b</red>c", `${ESC}31m${ESC}1ma${RESET}${ESC}31mb${RESET}c`, "abc"],
  ["<u><g><b>x</></>y</>z", `${ESC}4m${ESC}32m${ESC}1mx${RESET}${ESC}4m${ESC}32m${RESET}${ESC}4my${RESET}z`, "xyz"],
  // <level> takes the record level's color.
  ["<level>{level}</level>", `${ESC}31m${ESC}1mERROR${RESET}`, "ERROR"],
  ["<lvl>x</lvl> <u><level>y</level>z</u>", `${ESC}31m${ESC}1mx${RESET} ${ESC}4m${ESC}31m${ESC}1my${RESET}${ESC}4mz${RESET}`, "x yz"],
  // Escapes: an odd number of backslashes shows the tag, an even number halves and applies it.
  ["\\<red>a\\</red>", "<red>a</red>", "<red>a</red>"],
  ["\\\\<red>a</red>", `\\${ESC}31ma${RESET}`, "\\a"],
  ["\\\\\\<b>", "\\<b>", "\\<b>"],
  // Things that are not tags.
  ["a < b > c", "a < b > c", "a < b > c"],
  ["<not a tag> x<y", "<not a tag> x<y", "<not a tag> x<y"],
  ["\\ \\n", "\\ \\n", "\\ \\n"],
  // Field values are never markup; spec text is not markup either.
  ["<red>{message}</red> {level:<8}|", `${ESC}31m<b>m</b>${RESET} ERROR   |`, "<b>m</b> ERROR   |"],
];

test("valid markup: ANSI codes with colorize, stripped without", () => {
  for (const [format, colored, plain] of valid) {
    const message = format.includes("{message}") ? "<b>m</b>" : "msg";
    assert.equal(render(format, true, message), colored, `colorize: ${format}`);
    assert.equal(render(format, false, message), plain, `strip: ${format}`);
  }
});

// [format, a pattern the error message must match (it names the tag)]
const invalid: [string, RegExp][] = [
  ["<foo>x</foo>", /<foo>/],
  ["<Red>x</Red>", /<Red>/],
  ["<>x</>", /<>/],
  ["<fg 256>x</>", /<fg 256>/],
  ["<bg #12>x</>", /<bg #12>/],
  ["<fg 1,2>x</>", /<fg 1,2>/],
  ["<fg 0,0,300>x</>", /<fg 0,0,300>/],
  ["<fg blurple>x</>", /<fg blurple>/],
  ["<red>x", /<red>/],
  ["<red>{message}", /<red>/],
  ["x</red>", /<\/red>/],
  ["x</>", /<\/>/],
  ["<red><b>x</red></b>", /<\/red>/],
  ["<red>x</blue>", /<\/blue>/],
];

test("invalid markup in a handler format is refused by add(), naming the tag", () => {
  for (const [format, named] of invalid) {
    logger.remove();
    assert.throws(() => logger.add(() => {}, { format, colorize: true, diagnose: false }), named, format);
    assert.throws(() => logger.add(() => {}, { format, colorize: false, diagnose: false }), named, format);
  }
  logger.remove();
});

test("a colored message keeps the format's colors around it after its own closing tags", () => {
  logger.remove();
  const out: string[] = [];
  logger.add((text: string) => void out.push(text), { format: "<u>{message}</u>", colorize: true, diagnose: false });
  logger.add((text: string) => void out.push(text), { format: "<u>{message}</u>", colorize: false, diagnose: false });
  logger.opt({ colors: true }).info("a <red>b</red> c {}", "<b>");
  logger.remove();
  assert.deepEqual(out, [`${ESC}4ma ${ESC}31mb${RESET}${ESC}4m c <b>${RESET}\n`, "a b c <b>\n"]);
});

test("level colors defined with markup color <level>", () => {
  logger.remove();
  logger.level("NOTICE", { no: 27, color: "<fg 208><underline>" });
  const out: string[] = [];
  logger.add((text: string) => void out.push(text), { format: "<level>{level.no} {message}</level>", colorize: true, diagnose: false });
  logger.log("NOTICE", "hi");
  logger.remove();
  assert.equal(out[0], `${ESC}38;5;208m${ESC}4m27 hi${RESET}\n`);
});
