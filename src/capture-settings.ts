export type CaptureMode = "all" | "uncaught" | "off";

const MODES: readonly CaptureMode[] = ["all", "uncaught", "off"];

/** `LOGSIGHT_CAPTURE` (all, uncaught, off) and `LOGSIGHT_CAPTURE_RATE` (captures a second in `all` mode). */
export function readCaptureSettings(env: NodeJS.ProcessEnv = process.env): { mode: CaptureMode; rate: number } {
  const modeText = (env.LOGSIGHT_CAPTURE ?? "").trim().toLowerCase();
  let mode: CaptureMode = "all";
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
  return { mode, rate };
}
