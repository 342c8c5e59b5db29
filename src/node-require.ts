declare const __webpack_require__: unknown;
declare const __non_webpack_require__: NodeJS.Require;

/**
 * Node's own `require`, hidden from bundlers: packages with native or WebAssembly parts and the
 * enqueue worker are loaded from `node_modules` at run time, never copied into a bundle. Webpack
 * knows `typeof __webpack_require__` when it bundles, keeps only the first branch and writes the
 * real `require` for `__non_webpack_require__`; esbuild leaves `require` alone.
 */
export const nodeRequire: NodeJS.Require = typeof __webpack_require__ === "function" ? __non_webpack_require__ : require;
