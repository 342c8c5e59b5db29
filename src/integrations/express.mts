/// <reference types="node" preserve="true" />
export * from "./express.js";
