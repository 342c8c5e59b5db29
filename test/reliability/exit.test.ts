import { testEveryEnding } from "./exit-cases";

// The synchronous sinks, and the queue on its own (a worker thread for file and fd targets, a
// deferred drain on the main thread for local ones).
testEveryEnding([
  { sink: "file", output: "file" },
  { sink: "stderr", output: "stderr" },
  { sink: "queue-file", output: "file" },
  { sink: "queue-fd", output: "stderr" },
  { sink: "queue-local", output: "file" },
]);
