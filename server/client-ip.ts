// Which address a request comes from (rate limits key on it). Pure: no I/O.
//
// Without trusted proxies, the socket's peer is the client, and X-Forwarded-For is
// whatever the client chose to write, so it is ignored. Behind N trusted proxies,
// each appends the address it received the request from, so the client is the Nth
// address from the right; everything left of it was written by the client itself.
// `true` trusts the whole header (its left-most address): only for a proxy chain of
// unknown length that strips the header it receives.
import { isIP } from "node:net";

/** "1.2.3.4", "1.2.3.4:5678", "[::1]:80", "::ffff:1.2.3.4" -> a bare address, or null. */
function bareAddress(entry: string): string | null {
  let a = entry.trim();
  if (a.startsWith("[")) a = a.slice(1, a.indexOf("]") > 0 ? a.indexOf("]") : undefined);
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(":"));
  if (!isIP(a)) return null;
  return a.toLowerCase().replace(/^::ffff:(\d{1,3}(\.\d{1,3}){3})$/, "$1");
}

export function chooseClientIp(
  socketAddress: string | null | undefined,
  forwardedFor: string | null | undefined,
  trustProxy: boolean | number,
): string {
  const socket = (socketAddress && bareAddress(socketAddress)) ?? socketAddress ?? "unknown";
  if (trustProxy === false || !forwardedFor) return socket;
  const hops = forwardedFor.split(",").map((e) => e.trim()).filter(Boolean);
  if (!hops.length) return socket;
  // With more trusted hops than addresses, the left-most one is the furthest we know.
  const index = trustProxy === true ? 0 : Math.max(0, hops.length - trustProxy);
  return bareAddress(hops[index]!) ?? socket;
}
