/// <reference types="node" preserve="true" />
export * from "./otel.js";
