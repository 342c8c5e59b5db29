import { test } from "node:test";
import assert from "node:assert/strict";
import { logger, type RecordTime } from "logsight";

/** Renders one record whose time is pinned, with `format` as the whole handler format. */
function renderAt(format: string, time: Date, tz: string): string {
  process.env.TZ = tz;
  logger.remove();
  const out: string[] = [];
  logger.add((message: string) => void out.push(message), { format, colorize: false, diagnose: false });
  logger.patch((record) => { record.time = time as RecordTime; }).info("message");
  logger.remove();
  assert.equal(out.length, 1);
  return out[0].replace(/\n$/, "");
}

/** A Date carrying microseconds, as record times do. */
function at(iso: string, microsecond: number): Date {
  return Object.assign(new Date(iso), { microsecond });
}

// 2018-06-09 01:02:03.000045 UTC was a Saturday, day 160 of the year.
const saturday = at("2018-06-09T01:02:03.000Z", 45);

const tokenCases: [pattern: string, tz: string, expected: string][] = [
  ["YYYY-MM-DD HH:mm:ss.SSSSSS", "UTC", "2018-06-09 01:02:03.000045"],
  ["YY Q MMMM MMM MM M", "UTC", "18 2 June Jun 06 6"],
  ["DDDD DDD DD D", "UTC", "160 160 09 9"],
  ["dddd ddd d E", "UTC", "Saturday Sat 5 6"],
  ["HH H hh h A", "UTC", "01 1 01 1 AM"],
  ["mm m ss s", "UTC", "02 2 03 3"],
  ["S SS SSS SSSS SSSSS SSSSSS", "UTC", "0 00 000 0000 00004 000045"],
  ["X x", "UTC", "1528506123 1528506123000045"],
  ["Z ZZ zz", "UTC", "+00:00 +0000 UTC"],
  ["HH:mm Z ZZ zz", "Europe/Paris", "03:02 +02:00 +0200 CEST"],
  ["HH:mm Z ZZ", "America/New_York", "21:02 -04:00 -0400"],
  ["YYYY-MM-DD HH:mm zz", "America/New_York", "2018-06-08 21:02 EDT"],
  ["HH:mm Z ZZ zz", "Asia/Kolkata", "06:32 +05:30 +0530 +0530"],
  ["HH:mm ZZ", "Asia/Kathmandu", "06:47 +0545"],
  ["HH:mm Z zz!UTC", "Europe/Paris", "01:02 +00:00 UTC"],
  ["YYYY-MM-DD HH:mm:ss!UTC", "Asia/Tokyo", "2018-06-09 01:02:03"],
  ["[YYYY] YYYY [MM]-MM [!UTC] []", "UTC", "YYYY 2018 MM-06 !UTC "],
  ["[at] HH [HH]", "UTC", "[at] 01 HH"],
  ["YYY MMMMM DDDDD", "UTC", "18Y June6 1609"],
  ["HHH mmm sss", "UTC", "011 022 033"],
  ["%Y-%m-%d %H:%M:%S.%f %z %Z %a %A %b %B %j %p %%", "UTC", "2018-06-09 01:02:03.000045 +0000 UTC Sat Saturday Jun June 160 AM %"],
  ["%Y-%m-%d %H:%M %z!UTC", "Europe/Paris", "2018-06-09 01:02 +0000"],
];

test("time tokens render as loguru's table says", () => {
  for (const [pattern, tz, expected] of tokenCases) {
    assert.equal(renderAt(`{time:${pattern}}`, saturday, tz), expected, `pattern ${pattern} in ${tz}`);
  }
});

test("12-hour clock, AM/PM and day names over a whole day and week", () => {
  const cases: [iso: string, expected: string][] = [
    ["2024-01-01T00:00:00Z", "Monday Mon 0 1 | 12 12 AM | 00 0"],
    ["2024-01-02T11:59:00Z", "Tuesday Tue 1 2 | 11 11 AM | 11 11"],
    ["2024-01-03T12:00:00Z", "Wednesday Wed 2 3 | 12 12 PM | 12 12"],
    ["2024-01-04T13:00:00Z", "Thursday Thu 3 4 | 01 1 PM | 13 13"],
    ["2024-01-05T23:00:00Z", "Friday Fri 4 5 | 11 11 PM | 23 23"],
    ["2024-01-07T09:00:00Z", "Sunday Sun 6 7 | 09 9 AM | 09 9"],
  ];
  for (const [iso, expected] of cases) {
    assert.equal(renderAt("{time:dddd ddd d E | hh h A | HH H}", new Date(iso), "UTC"), expected, iso);
  }
});

test("quarters, leap-year day numbers and all month names", () => {
  assert.equal(renderAt("{time:Q DDDD DDD}", new Date("2024-12-31T12:00:00Z"), "UTC"), "4 366 366");
  assert.equal(renderAt("{time:Q DDDD}", new Date("2023-03-31T12:00:00Z"), "UTC"), "1 090");
  assert.equal(renderAt("{time:Q}", new Date("2023-07-01T12:00:00Z"), "UTC"), "3");
  const months = [];
  for (let m = 0; m < 12; m++) months.push(renderAt("{time:MMMM/MMM}", new Date(Date.UTC(2023, m, 15)), "UTC"));
  assert.deepEqual(months, [
    "January/Jan", "February/Feb", "March/Mar", "April/Apr", "May/May", "June/Jun",
    "July/Jul", "August/Aug", "September/Sep", "October/Oct", "November/Nov", "December/Dec",
  ]);
});

test("a Date without microseconds takes them from its milliseconds", () => {
  assert.equal(renderAt("{time:SSS SSSSSS}", new Date("2020-01-01T00:00:00.987Z"), "UTC"), "987 987000");
});

test("{time} alone is ISO 8601 with microseconds and offset; {time:!UTC} converts first", () => {
  assert.equal(renderAt("{time}", saturday, "UTC"), "2018-06-09T01:02:03.000045+00:00");
  assert.equal(renderAt("{time}", saturday, "Europe/Paris"), "2018-06-09T03:02:03.000045+02:00");
  assert.equal(renderAt("{time}", saturday, "America/St_Johns"), "2018-06-08T22:32:03.000045-02:30");
  assert.equal(renderAt("{time:!UTC}", saturday, "Europe/Paris"), "2018-06-09T01:02:03.000045+00:00");
});

test("the default format's time part and the time of real records", () => {
  process.env.TZ = "UTC";
  logger.remove();
  const out: string[] = [];
  logger.add((message: string) => void out.push(message), { format: "{time:YYYY-MM-DD HH:mm:ss.SSS}|{time:x}|{time}", colorize: false, diagnose: false });
  const before = Date.now();
  logger.info("now");
  const after = Date.now();
  logger.remove();
  const [short, micros, iso] = out[0].replace(/\n$/, "").split("|");
  assert.match(short, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
  const epochMs = Math.floor(Number(micros) / 1000);
  assert.ok(epochMs >= before && epochMs <= after, `${epochMs} within [${before}, ${after}]`);
  assert.equal(new Date(epochMs).toISOString().replace("T", " ").slice(0, 23), short);
  assert.equal(iso.slice(20, 26), micros.slice(-6), "ISO microseconds agree with x");
});

test("more than six S is refused when the handler is added", () => {
  logger.remove();
  assert.throws(() => logger.add(() => {}, { format: "{time:ss.SSSSSSS}", diagnose: false }), /SSSSSSS.*six|six.*S/);
});

test("the time in a message: a Date argument takes a time pattern as its spec", () => {
  process.env.TZ = "UTC";
  logger.remove();
  const out: string[] = [];
  logger.add((message: string) => void out.push(message), { format: "{message}", colorize: false, diagnose: false });
  logger.info("on {:YYYY-MM-DD [YYYY] HH:mm} and {when:%d/%m/%Y}", new Date("2021-02-03T04:05:06Z"), { when: new Date("2022-12-25T00:00:00Z") });
  logger.remove();
  assert.equal(out[0], "on 2021-02-03 YYYY 04:05 and 25/12/2022\n");
});
