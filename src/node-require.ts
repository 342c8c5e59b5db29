declare const __non_webpack_require__: NodeJS.Require | undefined;

/**
 * Node's own `require`, hidden from bundlers: packages with native or WebAssembly parts and the
 * enqueue worker are loaded from `node_modules` at run time, never copied into a bundle. Webpack
 * renames `__non_webpack_require__` to the real `require`; esbuild leaves `require` alone.
 */
export const nodeRequire: NodeJS.Require = typeof __non_webpack_require__ === "function" ? __non_webpack_require__ : require;

/** Whether this module runs from logsight's own files rather than from inside a bundle. */
export function inOwnFiles(filename: string | undefined, ...expected: string[]): boolean {
  if (filename === undefined) return false;
  const parts = filename.split(/[\\/]/);
  const tail = parts.slice(-expected.length);
  return tail.length === expected.length && tail.every((part, i) => part.replace(/\.[cm]?[jt]s$/, "") === expected[i]);
}
