import { inspect } from "node:util";

/** A rule as stored: the name with a trailing "/" ("" for everything), so a prefix test is a boundary test. */
interface ActivationRule {
  readonly prefix: string;
  readonly enabled: boolean;
}

const DECISION_CACHE_LIMIT = 4096;

function depthOf(prefix: string): number {
  let depth = 0;
  for (let i = 0; i < prefix.length; i++) if (prefix.charCodeAt(i) === 47 /* "/" */) depth++;
  return depth;
}

/**
 * The `disable(name)` / `enable(name)` state: which package-relative names may log.
 * A name is enabled unless its deepest matching rule says otherwise.
 */
export class Activation {
  /** Deepest rules first, so the first match is the one that decides. */
  private rules: ActivationRule[] = [];
  private readonly decisions = new Map<string, boolean>();

  /** Silences `name` and everything under it (`"lib"` covers `lib/db/pool`); `""` silences everything. */
  disable(name: string): void {
    this.change(name, false, "disable()");
  }

  /** Lets `name` and everything under it log again; `enable("")` removes every rule. */
  enable(name: string): void {
    this.change(name, true, "enable()");
  }

  /** `configure({ activation })`: each `[name, enabled]` pair applied in order, like successive enable/disable calls. */
  apply(rules: ReadonlyArray<readonly [string, boolean]>): void {
    if (!Array.isArray(rules)) {
      throw new TypeError(`Invalid activation ${inspect(rules)}: it should be an array of [name, enabled] pairs`);
    }
    for (const rule of rules) {
      if (!Array.isArray(rule) || rule.length !== 2 || typeof rule[1] !== "boolean") {
        throw new TypeError(`Invalid activation entry ${inspect(rule)}: it should be a [name, enabled] pair with a boolean`);
      }
    }
    for (const [name, enabled] of rules) this.change(name, enabled, "configure({ activation })");
  }

  /** True when no rule exists, so every name is enabled without looking anything up. */
  get empty(): boolean {
    return this.rules.length === 0;
  }

  isEnabled(name: string): boolean {
    let enabled = this.decisions.get(name);
    if (enabled === undefined) {
      enabled = this.decide(name);
      if (this.decisions.size >= DECISION_CACHE_LIMIT) this.decisions.clear();
      this.decisions.set(name, enabled);
    }
    return enabled;
  }

  private decide(name: string): boolean {
    const dotted = name + "/";
    for (const rule of this.rules) {
      if (dotted.startsWith(rule.prefix)) return rule.enabled;
    }
    return true;
  }

  private change(name: unknown, enabled: boolean, caller: string): void {
    if (typeof name !== "string") {
      throw new TypeError(`Invalid name for ${caller}: ${inspect(name)}, it should be a string ("" for everything)`);
    }
    const prefix = name === "" ? "" : name + "/";
    // A new rule replaces every rule at or below it; it is only kept if it changes what the parent says.
    const rules = this.rules.filter((rule) => !rule.prefix.startsWith(prefix));
    const inherited = rules.find((rule) => prefix.startsWith(rule.prefix));
    const parentEnabled = inherited ? inherited.enabled : true;
    if (parentEnabled !== enabled) {
      rules.push({ prefix, enabled });
      rules.sort((a, b) => depthOf(b.prefix) - depthOf(a.prefix) || b.prefix.length - a.prefix.length);
    }
    this.rules = rules;
    this.decisions.clear();
  }
}
