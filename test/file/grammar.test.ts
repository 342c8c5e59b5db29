import { test } from "node:test";
import assert from "node:assert/strict";
import * as os from "node:os";
import * as path from "node:path";
import { logger } from "logsight";
import { parseDayTime, parseDuration, parseFrequency, parseSize } from "../../src/sinks/file/grammar";

logger.remove();

const sizes: Array<[string, number]> = [
  ["500 MB", 500e6],
  ["0.5 GB", 0.5e9],
  ["64 KiB", 64 * 1024],
  ["1 MiB", 1024 ** 2],
  ["100 b", 12.5],
  ["100 B", 100],
  ["8 kb", 1000],
  ["2KB", 2000],
  ["1 TB", 1e12],
  ["1e3 B", 1000],
  ["  3 giB  ", 3 * 1024 ** 3],
  ["3 gib", (3 * 1024 ** 3) / 8],
  ["1 YB", 1e24],
];

for (const [text, bytes] of sizes) {
  test(`size ${JSON.stringify(text)} is ${bytes} bytes`, () => assert.equal(parseSize(text), bytes));
}

const durations: Array<[string, number]> = [
  ["1 week, 3 days", (7 + 3) * 86_400_000],
  ["10h", 36_000_000],
  ["1.5 hours", 5_400_000],
  ["2 days and 3 hours", (48 + 3) * 3_600_000],
  ["4 days", 4 * 86_400_000],
  ["1 month 2 weeks", 2_628_000_000 + 14 * 86_400_000],
  ["30 min", 1_800_000],
  ["45 seconds", 45_000],
  ["1 y", 31_536_000_000],
  ["250 ms", 250],
  ["1 minute, 30 s", 90_000],
];

for (const [text, ms] of durations) {
  test(`duration ${JSON.stringify(text)} is ${ms} ms`, () => assert.equal(parseDuration(text), ms));
}

test("texts of another kind are not sizes or durations", () => {
  for (const text of ["daily", "sunday", "18:00", "foo", ""]) {
    assert.equal(parseSize(text), null, text);
    assert.equal(parseDuration(text), null, text);
  }
});

test("frequencies", () => {
  for (const word of ["hourly", "daily", "weekly", "monthly", "yearly", " Daily "]) assert.notEqual(parseFrequency(word), null, word);
  assert.equal(parseFrequency("fortnightly"), null);
});

const dayTimes: Array<[string, number | null, [number, number, number, number] | null]> = [
  ["18:00", null, [18, 0, 0, 0]],
  ["00:00", null, [0, 0, 0, 0]],
  ["10 PM", null, [22, 0, 0, 0]],
  ["12 am", null, [0, 0, 0, 0]],
  ["12:30 pm", null, [12, 30, 0, 0]],
  ["7", null, [7, 0, 0, 0]],
  ["08:30:15.5", null, [8, 30, 15, 500]],
  ["sunday", 0, null],
  ["Saturday", 6, null],
  ["w0", 1, null],
  ["w6", 0, null],
  ["monday at 12:00", 1, [12, 0, 0, 0]],
  ["w4 at 5 pm", 5, [17, 0, 0, 0]],
];

for (const [text, weekday, time] of dayTimes) {
  test(`day/time ${JSON.stringify(text)}`, () => {
    const parsed = parseDayTime(text);
    assert.ok(parsed !== null);
    assert.equal(parsed.weekday, weekday);
    if (time === null) assert.equal(parsed.time, null);
    else assert.deepEqual([parsed.time!.hour, parsed.time!.minute, parsed.time!.second, parsed.time!.millisecond], time);
  });
}

const file = path.join(os.tmpdir(), "logsight-never-created.log");

const invalidOptions: Array<[object, RegExp]> = [
  [{ rotation: "foo" }, /^Error: Invalid rotation "foo": cannot parse it as a size, duration, frequency or day\/time$/],
  [{ rotation: "w7" }, /^Error: Invalid rotation "w7": weekday "w7" must be w0 to w6 \(w0 is Monday\)$/],
  [{ rotation: "25:00" }, /^Error: Invalid rotation "25:00": unrecognized time "25:00"$/],
  [{ rotation: "13 pm" }, /^Error: Invalid rotation "13 pm": unrecognized time "13 pm": hour must be 1 to 12 with AM\/PM$/],
  [{ rotation: "funday at 10:00" }, /^Error: Invalid rotation "funday at 10:00": unknown day "funday"$/],
  [{ rotation: "monday at noon" }, /^Error: Invalid rotation "monday at noon": unrecognized time "noon"$/],
  [{ rotation: "5 parsecs" }, /^Error: Invalid rotation "5 parsecs": unknown duration unit "parsecs"$/],
  [{ rotation: "1.2.3 MB" }, /^Error: Invalid rotation "1.2.3 MB": "1.2.3" is not a valid size number$/],
  [{ rotation: "0 MB" }, /^Error: Invalid rotation "0 MB": the size must be a positive number$/],
  [{ rotation: "-1 hour" }, /^Error: Invalid rotation "-1 hour": the duration must be positive$/],
  [{ rotation: 0 }, /^Error: Invalid rotation 0: a size in bytes must be a positive number, got 0$/],
  [{ rotation: -5 }, /^Error: Invalid rotation -5: a size in bytes must be a positive number, got -5$/],
  [{ rotation: [] }, /^Error: Invalid rotation \[\]: an empty list never rotates; use null for no rotation$/],
  [{ rotation: ["1 MB", "bar"] }, /^Error: Invalid rotation \[ '1 MB', 'bar' \]: cannot parse it as a size/],
  [{ rotation: true }, /^Error: Invalid rotation true: expected a size, duration, frequency or day\/time string/],
  [{ retention: "forever" }, /^Error: Invalid retention "forever": cannot parse it as a duration/],
  [{ retention: "0 days" }, /^Error: Invalid retention "0 days": the duration must be positive$/],
  [{ retention: -1 }, /^Error: Invalid retention -1: a count of files to keep must be a whole number of at least 0$/],
  [{ retention: 2.5 }, /^Error: Invalid retention 2.5: a count of files to keep must be a whole number/],
  [{ retention: {} }, /^Error: Invalid retention \{\}: expected a count of files, a duration string or a function$/],
  [{ compression: "7z" }, /^Error: Invalid compression "7z": expected one of gz, bz2/],
  [{ mode: "r" }, /^Error: Invalid mode "r": expected "a" or "w"$/],
  [{ buffering: -1 }, /^Error: Invalid buffering -1: expected a whole number of bytes, 0 for none$/],
  [{ encoding: "klingon" }, /^Error: Invalid encoding "klingon": expected a Node.js encoding/],
  [{ delay: "yes" }, /^Error: Invalid delay "yes": expected true or false$/],
  [{ watch: 1 }, /^Error: Invalid watch 1: expected true or false$/],
];

for (const [options, message] of invalidOptions) {
  test(`add() refuses ${JSON.stringify(options)}`, () => {
    assert.throws(() => logger.add(file, { delay: true, ...options } as never), (error: Error) => {
      assert.match(`${error.name}: ${error.message}`, message);
      return true;
    });
  });
}

test("add() refuses a path with a field other than {time}", () => {
  assert.throws(() => logger.add(path.join(os.tmpdir(), "app-{pid}.log"), { delay: true }), /^Error: Invalid file path ".*app-\{pid\}\.log": unknown field "\{pid\}"/);
});
