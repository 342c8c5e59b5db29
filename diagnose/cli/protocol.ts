/** The few Chrome DevTools Protocol shapes the CLI reads (Runtime and Debugger domains). */

export interface RemoteObject {
  readonly type: string;
  readonly subtype?: string;
  readonly className?: string;
  readonly value?: unknown;
  readonly unserializableValue?: string;
  readonly description?: string;
  readonly objectId?: string;
}

export interface RemoteProperty {
  readonly name: string;
  readonly value?: RemoteObject;
  readonly get?: RemoteObject;
  readonly set?: RemoteObject;
  readonly enumerable: boolean;
  readonly writable?: boolean;
  readonly symbol?: RemoteObject;
}

export interface RemoteInternalProperty {
  readonly name: string;
  readonly value?: RemoteObject;
}

export interface RemoteProperties {
  readonly result: readonly RemoteProperty[];
  readonly internalProperties?: readonly RemoteInternalProperty[];
}

export interface RemoteScope {
  readonly type: string;
  readonly object: RemoteObject;
}

export interface RemoteCallFrame {
  readonly functionName: string;
  readonly location: { readonly scriptId: string; readonly lineNumber: number; readonly columnNumber?: number };
  readonly url: string;
  readonly scopeChain: readonly RemoteScope[];
}

export interface PausedEvent {
  readonly reason: string;
  readonly data?: RemoteObject & { readonly uncaught?: boolean };
  readonly callFrames: readonly RemoteCallFrame[];
  readonly hitBreakpoints?: readonly string[];
}

export interface ScriptParsedEvent {
  readonly scriptId: string;
  readonly url: string;
  readonly sourceMapURL?: string;
}

/** Reads the own properties of a remote object (values only; getters are never invoked). */
export type PropertyReader = (objectId: string) => Promise<RemoteProperties>;

/** The time value of a remote Date (read with the engine's own Date.prototype.getTime). */
export type DateReader = (objectId: string) => Promise<number | undefined>;
