/**
 * NODE_OPTIONS with `--require <file>` added. Node splits NODE_OPTIONS on spaces and reads a
 * double-quoted word with backslash escapes, so a path is quoted whatever its shape: spaces,
 * quotes and Windows backslashes (`C:\Users\...`) arrive unchanged.
 */
export function withPreload(nodeOptions: string | undefined, file: string): string {
  const preload = `--require ${quoteNodeOption(file)}`;
  return nodeOptions === undefined || nodeOptions.trim() === "" ? preload : `${preload} ${nodeOptions}`;
}

export function quoteNodeOption(word: string): string {
  return `"${word.replace(/[\\"]/g, "\\$&")}"`;
}
