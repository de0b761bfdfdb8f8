// A DNS stand-in for tests: a UDP server on loopback that answers TXT questions from
// a table the test controls, and NXDOMAIN for anything else. Node's own resolver
// (dns.promises.Resolver with setServers) talks to it like to any DNS server.
import dgram from "node:dgram";

export interface DnsStandIn {
  /** "127.0.0.1:PORT", for DNS_RESOLVER. */
  address: string;
  /** TXT records by lower-case name; replace or delete entries freely. */
  txt: Map<string, string[]>;
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

function answer(query: Buffer, txt: Map<string, string[]>): Buffer {
  const { name, end } = readName(query, 12);
  const qtype = query.readUInt16BE(end);
  const question = query.subarray(12, end + 4);
  const records = qtype === 16 ? txt.get(name) : undefined;
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2); // id
  const rd = query.readUInt16BE(2) & 0x0100;
  const rcode = records || txt.has(name) ? 0 : 3; // NXDOMAIN when the name is unknown
  header.writeUInt16BE(0x8000 | 0x0400 | rd | rcode, 2); // response, authoritative
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(records?.length ?? 0, 6);
  const answers = (records ?? []).map((value) => {
    const bytes = Buffer.from(value, "utf8");
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length || i === 0; i += 255) {
      const part = bytes.subarray(i, i + 255);
      chunks.push(Buffer.from([part.length]), part);
      if (bytes.length === 0) break;
    }
    const rdata = Buffer.concat(chunks);
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0); // pointer to the question's name
    rr.writeUInt16BE(16, 2); // TXT
    rr.writeUInt16BE(1, 4); // IN
    rr.writeUInt32BE(60, 6);
    rr.writeUInt16BE(rdata.length, 10);
    return Buffer.concat([rr, rdata]);
  });
  return Buffer.concat([header, question, ...answers]);
}

export async function startDnsStandIn(): Promise<DnsStandIn> {
  const socket = dgram.createSocket("udp4");
  const txt = new Map<string, string[]>();
  socket.on("message", (msg, rinfo) => {
    try {
      socket.send(answer(msg, txt), rinfo.port, rinfo.address);
    } catch {
      // A malformed question gets no answer, as from a real server under attack.
    }
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const { port } = socket.address();
  return { address: `127.0.0.1:${port}`, txt, close: () => new Promise<void>((r) => socket.close(() => r())) };
}
