import { isatty } from "node:tty";

/**
 * Whether a person is likely watching this process, which decides the default of throw-time capture:
 * an enabled debugger slows every `await` and throw of the whole program, a price worth paying only
 * where someone will read the values.
 */

/** What the default rules look at; `process` gives the real ones. */
export interface ProcessFacts {
  readonly env: NodeJS.ProcessEnv;
  readonly stderrIsTTY: boolean;
  readonly argv: readonly string[];
  readonly execArgv: readonly string[];
}

// Variables CI services set in every job (the generic `CI` is checked separately, as it can be "false").
const CI_VARIABLES = [
  "CONTINUOUS_INTEGRATION", "GITHUB_ACTIONS", "GITLAB_CI", "BUILDKITE", "CIRCLECI", "TRAVIS",
  "TF_BUILD", "JENKINS_URL", "TEAMCITY_VERSION", "BITBUCKET_BUILD_NUMBER", "CODEBUILD_BUILD_ID",
];

// mocha's executables, and the worker script of `mocha --parallel`.
const MOCHA_SCRIPT = /[\\/](?:_?mocha(?:\.c?js)?|mocha[\\/]bin[\\/]_?mocha(?:\.c?js)?|mocha[\\/]lib[\\/]nodejs[\\/]worker\.c?js)$/;

function isSet(env: NodeJS.ProcessEnv, key: string): boolean {
  const value = env[key];
  return value !== undefined && value !== "";
}

/** The test runner this process belongs to, or null. */
export function detectTestRunner(facts: ProcessFacts): string | null {
  const { env } = facts;
  if (isSet(env, "NODE_TEST_CONTEXT") || facts.execArgv.includes("--test")) return "node --test";
  if (isSet(env, "JEST_WORKER_ID")) return "Jest";
  if (isSet(env, "VITEST") || isSet(env, "VITEST_WORKER_ID") || isSet(env, "VITEST_POOL_ID")) return "Vitest";
  const script = facts.argv[1];
  if (script !== undefined && MOCHA_SCRIPT.test(script)) return "Mocha";
  return null;
}

/** The CI variable that is set, or null. `CI=false` and `CI=0` mean no CI. */
export function detectCI(env: NodeJS.ProcessEnv): string | null {
  const ci = (env.CI ?? "").trim().toLowerCase();
  if (ci !== "" && ci !== "false" && ci !== "0") return "CI";
  return CI_VARIABLES.find((key) => isSet(env, key)) ?? null;
}

/**
 * Why nobody is watching, as a phrase for the one-time notice ("stderr is not a terminal",
 * "CI is set", "running under Jest"), or null when stderr is a terminal outside CI and tests.
 */
export function unattendedReason(facts: ProcessFacts): string | null {
  const runner = detectTestRunner(facts);
  if (runner !== null) return `running under ${runner}`;
  const ci = detectCI(facts.env);
  if (ci !== null) return `${ci} is set`;
  if (!facts.stderrIsTTY) return "stderr is not a terminal";
  return null;
}

export function currentProcessFacts(): ProcessFacts {
  return {
    env: process.env,
    // isatty rather than process.stderr.isTTY: it does not create the stream.
    stderrIsTTY: isatty(2),
    argv: process.argv,
    execArgv: process.execArgv,
  };
}
