/** What the capture engine records about one thrown value, read by the renderer at log time. */
import type { Preview } from "../preview";

export type ScopeType =
  | "local"
  | "block"
  | "catch"
  | "closure"
  | "module"
  | "script"
  | "with"
  | "eval"
  | "global"
  /** Not a scope of V8's: the frame's `this`, held as the one variable `this`. */
  | "this";

export interface CapturedScope {
  readonly type: ScopeType;
  /** A live object whose own properties are the scope's variables at the moment of the throw. */
  readonly variables: object;
  /**
   * Bounded previews of the variables holding objects, taken at the throw (the variables object
   * keeps the values of variables, but the contents of objects go on changing).
   */
  readonly previews?: ReadonlyMap<string, Preview>;
}

export interface CapturedFrame {
  /** `file:///abs/path.js`, an absolute path, or `node:internal/...`. */
  readonly url: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  /** "" for anonymous functions and module top level. */
  readonly functionName: string;
  /** Where the frame's function starts (1-based); 0 when unknown. Tells anonymous functions apart. */
  readonly functionLine?: number;
  readonly functionColumn?: number;
  /** The `sourceMappingURL` the script was loaded with (loaders that compile in memory), if any. */
  readonly sourceMapUrl?: string;
  /** Whether this is app code whose scopes were captured (other frames are positions only). */
  readonly app?: boolean;
  /** Innermost scope first, as the inspector lists them; empty for frames that are not app code. */
  readonly scopes: readonly CapturedScope[];
}

export interface Capture {
  /** Innermost (throwing) frame first: every frame of the throw's synchronous stack. */
  readonly frames: readonly CapturedFrame[];
  /** performance.now() when captured. */
  readonly at: number;
}
