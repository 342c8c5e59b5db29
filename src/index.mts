/// <reference types="node" preserve="true" />
export * from "./index.js";
export { logger as default } from "./index.js";
