// Which addresses the platform may connect to when a school supplies the name
// (custom-domain checks): public unicast only. Private (10/8, 172.16/12, 192.168/16),
// loopback, link-local (cloud metadata at 169.254.169.254), unique-local (fc00::/7),
// carrier-grade NAT (100.64/10), multicast, broadcast, unspecified, documentation and
// other reserved ranges are refused, and so are IPv6 forms that carry an IPv4 address
// (IPv4-mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4, Teredo): their IPv4 part could
// be any of the above.
import ipaddr from "ipaddr.js";

export type AddressVerdict = { ok: true; address: string } | { ok: false; address: string; range: string };

/** Classifies one textual IP address; anything that does not parse is refused. */
export function classifyAddress(address: string): AddressVerdict {
  const text = address.trim().replace(/^\[|\]$/g, "");
  // Dotted quads only for IPv4 (ipaddr.js also reads "1.2.3" or "0x7f.1", as inet_aton does).
  if (!ipaddr.IPv4.isValidFourPartDecimal(text) && !ipaddr.IPv6.isValid(text)) return { ok: false, address, range: "invalid" };
  // parse(), not process(): an IPv4-mapped IPv6 address stays IPv6 and is refused as such.
  const parsed = ipaddr.parse(text);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).zoneId) return { ok: false, address, range: "linkLocal" };
  const range = parsed.range();
  return range === "unicast" ? { ok: true, address: parsed.toString() } : { ok: false, address, range };
}

/** Whether the platform may connect to `address`. */
export function isPublicAddress(address: string): boolean {
  return classifyAddress(address).ok;
}
