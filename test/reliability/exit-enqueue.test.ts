import { testEveryEnding } from "./exit-cases";

// add({ enqueue: true }), started cold (the process may end before the worker runs) and warm;
// "mixed" adds a buffered file sink beside it, both flushed by the same exit and signal hooks.
testEveryEnding([
  { sink: "file-enqueue", output: "file", warm: true },
  { sink: "stderr-enqueue", output: "stderr", warm: true },
  { sink: "mixed", output: "file", warm: true },
  { sink: "file-enqueue-truncate", output: "file", warm: true },
]);
