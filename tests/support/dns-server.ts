// A DNS stand-in for tests: a UDP server on loopback that answers TXT, A and AAAA
// questions from tables the test controls, SERVFAIL for names in `fail`, and
// NXDOMAIN for anything else. Node's own resolver (dns.promises.Resolver with
// setServers) talks to it like to any DNS server.
import dgram from "node:dgram";
import { isIP } from "node:net";

export interface DnsStandIn {
  /** "127.0.0.1:PORT", for DNS_RESOLVER. */
  address: string;
  /** TXT records by lower-case name; replace or delete entries freely. */
  txt: Map<string, string[]>;
  /** A records (IPv4 addresses) by lower-case name. */
  a: Map<string, string[]>;
  /** AAAA records (IPv6 addresses) by lower-case name. */
  aaaa: Map<string, string[]>;
  /** Names answered SERVFAIL (a broken zone). */
  fail: Set<string>;
  close(): Promise<void>;
}

function readName(msg: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let i = offset;
  for (;;) {
    const len = msg[i]!;
    if (len === 0) return { name: labels.join(".").toLowerCase(), end: i + 1 };
    labels.push(msg.subarray(i + 1, i + 1 + len).toString("latin1"));
    i += 1 + len;
  }
}

type Tables = Pick<DnsStandIn, "txt" | "a" | "aaaa" | "fail">;

function txtData(value: string): Buffer {
  const bytes = Buffer.from(value, "utf8");
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length || i === 0; i += 255) {
    const part = bytes.subarray(i, i + 255);
    chunks.push(Buffer.from([part.length]), part);
    if (bytes.length === 0) break;
  }
  return Buffer.concat(chunks);
}

function ipv6Data(address: string): Buffer {
  const [head, tail] = address.includes("::") ? address.split("::") : [address, undefined];
  const parse = (part: string | undefined) => (part ? part.split(":") : []).flatMap((g) => (isIP(g) === 4 ? [] : [g]));
  const v4 = address.split(":").at(-1)!;
  const embedded = isIP(v4) === 4 ? v4.split(".").map(Number) : null;
  const left = parse(head);
  const right = parse(tail);
  const groups = 8 - (embedded ? 2 : 0);
  const all = tail === undefined ? left : [...left, ...Array<string>(groups - left.length - right.length).fill("0"), ...right];
  const out = Buffer.alloc(16);
  all.forEach((g, i) => out.writeUInt16BE(parseInt(g || "0", 16), i * 2));
  if (embedded) Buffer.from(embedded).copy(out, 12);
  return out;
}

function answer(query: Buffer, tables: Tables): Buffer {
  const { name, end } = readName(query, 12);
  const qtype = query.readUInt16BE(end);
  const question = query.subarray(12, end + 4);
  const rdatas: Buffer[] =
    qtype === 16
      ? (tables.txt.get(name) ?? []).map(txtData)
      : qtype === 1
        ? (tables.a.get(name) ?? []).map((ip) => Buffer.from(ip.split(".").map(Number)))
        : qtype === 28
          ? (tables.aaaa.get(name) ?? []).map(ipv6Data)
          : [];
  const known = tables.txt.has(name) || tables.a.has(name) || tables.aaaa.has(name);
  const failed = tables.fail.has(name);
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2); // id
  const rd = query.readUInt16BE(2) & 0x0100;
  const rcode = failed ? 2 : known ? 0 : 3; // SERVFAIL, NOERROR, NXDOMAIN
  header.writeUInt16BE(0x8000 | 0x0400 | rd | rcode, 2); // response, authoritative
  header.writeUInt16BE(1, 4);
  const answers = failed ? [] : rdatas;
  header.writeUInt16BE(answers.length, 6);
  const records = answers.map((rdata) => {
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0); // pointer to the question's name
    rr.writeUInt16BE(qtype, 2);
    rr.writeUInt16BE(1, 4); // IN
    rr.writeUInt32BE(60, 6);
    rr.writeUInt16BE(rdata.length, 10);
    return Buffer.concat([rr, rdata]);
  });
  return Buffer.concat([header, question, ...records]);
}

export async function startDnsStandIn(): Promise<DnsStandIn> {
  const socket = dgram.createSocket("udp4");
  const tables: Tables = { txt: new Map(), a: new Map(), aaaa: new Map(), fail: new Set() };
  socket.on("message", (msg, rinfo) => {
    try {
      socket.send(answer(msg, tables), rinfo.port, rinfo.address);
    } catch {
      // A malformed question gets no answer, as from a real server under attack.
    }
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const { port } = socket.address();
  return { address: `127.0.0.1:${port}`, ...tables, close: () => new Promise<void>((r) => socket.close(() => r())) };
}
