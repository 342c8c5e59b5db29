/**
 * A count of messages a sink could not write (dropped at a bound, or given up at exit). It is
 * reported as one line naming the handler, not as a failure with a stack.
 */
export class MessagesLost extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MessagesLost";
  }
}

/** Also true for one rebuilt from another thread, which keeps the name. */
export function isMessagesLost(error: unknown): error is Error {
  return error instanceof Error && error.name === "MessagesLost";
}

/** `"3 messages were"` / `"1 message was"`. */
export function messagesWere(count: number): string {
  return `${count} message${count === 1 ? " was" : "s were"}`;
}
