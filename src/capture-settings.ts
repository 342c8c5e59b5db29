import { currentProcessFacts, unattendedReason, type ProcessFacts } from "./capture-default";

export type CaptureMode = "all" | "uncaught" | "off";

const MODES: readonly CaptureMode[] = ["all", "uncaught", "off"];
const TRUE_SPELLINGS = new Set(["1", "true", "yes", "y", "ok", "on"]);

export interface CaptureSettings {
  /** `LOGSIGHT_CAPTURE`, or null when unset (the default rules decide). */
  readonly mode: CaptureMode | null;
  /** `LOGSIGHT_CAPTURE_RATE`: captures a second in `all` mode. */
  readonly rate: number;
  /** `LOGSIGHT_CAPTURE_OVER_RATE`: past the rate, pause on uncaught throws only ("uncaught") or turn the debugger off ("off") for a while. */
  readonly overRate: "uncaught" | "off";
  /** `LOGSIGHT_DIAGNOSE` is set to a true value: every handler asks for values explicitly. */
  readonly diagnoseRequested: boolean;
  /** Why nobody is watching this process (no TTY, CI, a test runner), or null when someone is. */
  readonly unattended: string | null;
}

/** What the handlers want: some has `diagnose` on; some asked for it in its options. */
export interface DiagnoseDemand {
  readonly diagnose: boolean;
  readonly requested: boolean;
}

export interface CaptureDecision {
  readonly mode: CaptureMode;
  /** When the default rules left capture off although values are wanted: the one-line notice saying how to get them. */
  readonly notice: string | null;
}

/** Reads `LOGSIGHT_CAPTURE`, `LOGSIGHT_CAPTURE_RATE`, `LOGSIGHT_CAPTURE_OVER_RATE` and `LOGSIGHT_DIAGNOSE`, and who is watching. */
export function readCaptureSettings(facts: ProcessFacts = currentProcessFacts()): CaptureSettings {
  const { env } = facts;
  const modeText = (env.LOGSIGHT_CAPTURE ?? "").trim().toLowerCase();
  let mode: CaptureMode | null = null;
  if (modeText) {
    if (!MODES.includes(modeText as CaptureMode)) {
      throw new Error(`Invalid environment variable LOGSIGHT_CAPTURE=${JSON.stringify(env.LOGSIGHT_CAPTURE)}: expected all, uncaught or off`);
    }
    mode = modeText as CaptureMode;
  }
  const rateText = (env.LOGSIGHT_CAPTURE_RATE ?? "").trim();
  let rate = 50;
  if (rateText) {
    rate = Number(rateText);
    if (!Number.isFinite(rate) || rate <= 0) {
      throw new Error(`Invalid environment variable LOGSIGHT_CAPTURE_RATE=${JSON.stringify(env.LOGSIGHT_CAPTURE_RATE)}: expected a positive number`);
    }
  }
  const overRateText = (env.LOGSIGHT_CAPTURE_OVER_RATE ?? "").trim().toLowerCase();
  if (overRateText !== "" && overRateText !== "uncaught" && overRateText !== "off") {
    throw new Error(`Invalid environment variable LOGSIGHT_CAPTURE_OVER_RATE=${JSON.stringify(env.LOGSIGHT_CAPTURE_OVER_RATE)}: expected uncaught or off`);
  }
  const overRate = overRateText === "off" ? "off" : "uncaught";
  const diagnoseRequested = TRUE_SPELLINGS.has((env.LOGSIGHT_DIAGNOSE ?? "").trim().toLowerCase());
  return { mode, rate, overRate, diagnoseRequested, unattended: unattendedReason(facts) };
}

/**
 * The capture rules (README, "When values are captured"): no handler with `diagnose`, no session;
 * else `LOGSIGHT_CAPTURE` when set; else `all` when a handler asked for values (`diagnose: true`
 * in its options or `LOGSIGHT_DIAGNOSE=true`) or a person is watching; else no session.
 */
export function decideCapture(settings: CaptureSettings, demand: DiagnoseDemand): CaptureDecision {
  if (!demand.diagnose) return { mode: "off", notice: null };
  if (settings.mode !== null) return { mode: settings.mode, notice: null };
  if (demand.requested || settings.diagnoseRequested || settings.unattended === null) return { mode: "all", notice: null };
  return {
    mode: "off",
    notice: `(values not captured, ${settings.unattended}: set LOGSIGHT_CAPTURE=all or the handler option diagnose: true to capture them)`,
  };
}
