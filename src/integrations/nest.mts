/// <reference types="node" preserve="true" />
export * from "./nest.js";
