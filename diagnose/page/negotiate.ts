/** What a client is answered with: the page, its data, or (what it did not ask for either) the status text. */
export type PageFormat = "html" | "json" | "text";

/**
 * The format an `Accept` header asks for: HTML or JSON when named (`text/html`,
 * `application/json`, `application/problem+json`) with a non-zero quality, the higher quality
 * winning and the earlier on a tie; anything else (`*\/*`, none) gets the status text, as
 * `curl` and `fetch()` without headers do.
 */
export function preferredFormat(accept: string | undefined): PageFormat {
  if (accept === undefined || accept === "") return "text";
  let best: PageFormat = "text";
  let bestQuality = 0;
  for (const item of accept.slice(0, 1000).split(",")) {
    const [type = "", ...parameters] = item.split(";");
    const media = type.trim().toLowerCase();
    const format: PageFormat | undefined =
      media === "text/html" || media === "application/xhtml+xml" ? "html" : media === "application/json" || /^application\/[\w.-]+\+json$/.test(media) ? "json" : undefined;
    if (format === undefined) continue;
    let quality = 1;
    for (const parameter of parameters) {
      const match = /^\s*q\s*=\s*([\d.]+)\s*$/i.exec(parameter);
      if (match !== null) quality = Number(match[1]);
    }
    if (Number.isFinite(quality) && quality > bestQuality) {
      best = format;
      bestQuality = quality;
    }
  }
  return best;
}
