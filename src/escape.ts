/**
 * Text from a logging call's arguments, kwargs and `extra` reaches text sinks with its control
 * characters shown, not obeyed: it cannot start a forged log line (`\n`, `\r`), drive a terminal
 * (ESC/CSI/OSC sequences, C1 controls) or reorder what a reader sees (bidi overrides). Tabs stay.
 */

// C0 controls except tab, DEL, C1 controls, the Arabic letter mark, LRM/RLM, line and paragraph
// separators, and the bidi embeddings, overrides and isolates.
const UNSAFE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, "g");

const NAMED: { readonly [char: string]: string } = { "\n": "\\n", "\r": "\\r" };

function escapeChar(char: string): string {
  const named = NAMED[char];
  if (named !== undefined) return named;
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** Whether `text` holds a character that `escapeControls` would change. */
export function hasControls(text: string): boolean {
  return UNSAFE.test(text);
}

/** `text` with each unsafe character written as an escape: `\n`, `\r`, `\x1b`, `\x00`, `\u202e`. */
export function escapeControls(text: string): string {
  if (!UNSAFE.test(text)) return text;
  return text.replace(UNSAFE_ALL, escapeChar);
}
