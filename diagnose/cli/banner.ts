/** What the inspector writes on the program's stderr, and what the CLI does with it. */
export interface BannerEvents {
  /** "Debugger listening on ws://…": the address to attach to. */
  onListening(webSocketUrl: string): void;
  /** "Waiting for the debugger to disconnect...": the program is done and waits for us to leave. */
  onWaitingForDisconnect(): void;
  /** Everything else, unchanged. */
  passThrough(chunk: Buffer): void;
}

const LISTENING = "Debugger listening on ";
const WAITING = "Waiting for the debugger to disconnect...";
const FIXED_LINES = ["For help, see: https://nodejs.org/en/docs/inspector", "Debugger attached.", WAITING];
const PREFIXED_LINES = [LISTENING, "Debugger ending on "];

/**
 * Removes the inspector's own lines from the program's stderr. Text is held back only while the
 * current line could still become one of them, so prompts without a newline appear at once.
 */
export class BannerFilter {
  private held = Buffer.alloc(0);
  /** The current line is known to be the program's own: bytes go straight through until "\n". */
  private passing = false;

  constructor(private readonly events: BannerEvents) {}

  write(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(10, start);
      const end = newline === -1 ? chunk.length : newline + 1;
      const piece = chunk.subarray(start, end);
      start = end;
      if (this.passing) {
        // The program's last line had no newline: the inspector's line is glued to it.
        if (newline !== -1 && piece.toString("utf8").endsWith(`${WAITING}\n`)) {
          const own = piece.subarray(0, piece.length - Buffer.byteLength(`${WAITING}\n`));
          if (own.length > 0) this.events.passThrough(own);
          this.passing = false;
          this.events.onWaitingForDisconnect();
          continue;
        }
        this.events.passThrough(piece);
        if (newline !== -1) this.passing = false;
        continue;
      }
      this.held = this.held.length === 0 ? Buffer.from(piece) : Buffer.concat([this.held, piece]);
      if (newline !== -1) {
        this.completeLine();
      } else if (!couldBeBanner(this.held.toString("utf8"))) {
        this.events.passThrough(this.held);
        this.held = Buffer.alloc(0);
        this.passing = true;
      }
    }
  }

  /** The program's stderr closed: whatever is held is the program's. */
  end(): void {
    if (this.held.length > 0) this.events.passThrough(this.held);
    this.held = Buffer.alloc(0);
  }

  private completeLine(): void {
    const line = this.held.toString("utf8").replace(/\r?\n$/, "");
    const bytes = this.held;
    this.held = Buffer.alloc(0);
    if (line.startsWith(LISTENING)) {
      const url = line.slice(LISTENING.length).trim();
      if (/^wss?:\/\//.test(url)) {
        this.events.onListening(url);
        return;
      }
    }
    if (line === WAITING) {
      this.events.onWaitingForDisconnect();
      return;
    }
    if (FIXED_LINES.includes(line) || PREFIXED_LINES.some((p) => p !== LISTENING && line.startsWith(p) && /wss?:\/\//.test(line))) return;
    this.events.passThrough(bytes);
  }
}

function couldBeBanner(partial: string): boolean {
  for (const line of [...FIXED_LINES, ...PREFIXED_LINES]) {
    if (line.startsWith(partial) || partial.startsWith(line)) return true;
  }
  return false;
}
