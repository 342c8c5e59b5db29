/** What the CLI hands to the program it runs, through the environment (see node-options.ts). */
export interface ProgramSettings {
  readonly all: boolean;
  readonly rate: number;
  readonly colorize: boolean;
  readonly includeNodeModules: boolean;
  /** The program's own NODE_OPTIONS (null: unset), restored before its code runs. */
  readonly nodeOptions: string | null;
}

/** The variable that carries the settings; removed from the program's environment at start. */
export const SETTINGS_VARIABLE = "LOGSIGHT_DIAGNOSE_SETTINGS";

export function encodeSettings(settings: ProgramSettings): string {
  return JSON.stringify(settings);
}

/** The settings, or undefined when `text` is not what encodeSettings wrote. */
export function decodeSettings(text: string | undefined): ProgramSettings | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.all !== "boolean" || typeof v.colorize !== "boolean" || typeof v.includeNodeModules !== "boolean") return undefined;
  if (typeof v.rate !== "number" || !(v.rate > 0)) return undefined;
  if (v.nodeOptions !== null && typeof v.nodeOptions !== "string") return undefined;
  return { all: v.all, rate: v.rate, colorize: v.colorize, includeNodeModules: v.includeNodeModules, nodeOptions: v.nodeOptions };
}
