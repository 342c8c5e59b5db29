"use strict";
// Loaded by the import-time case to measure what Node charges for the first require() of any module.
