// The network side of verifying a school's custom domain (see
// Platform.verifyCustomDomain in server/db/privileged.server.ts):
// 1. control: the TXT record _encore-challenge.<domain> holds the school's token
//    (app/domain/custom-domain.ts), asked of the resolver in DNS_RESOLVER (default:
//    the system's);
// 2. reachability: the domain's A/AAAA answers, all of them public unicast
//    addresses (server/net/public-address.ts), and the platform's own answer at
//    http://<domain>/.well-known/encore-domain-verification fetched from the first
//    of them (the address is pinned: no second lookup a rebinding DNS could change).
// Only a domain whose TXT record already proved control is ever connected to.
import { Resolver } from "node:dns/promises";
import http from "node:http";
import { judgeChallenge, challengeRecord, type TxtOutcome } from "../../app/domain/custom-domain";
import { classifyAddress } from "./public-address";

export const DOMAIN_VERIFICATION_PATH = "/.well-known/encore-domain-verification";

type Failure = { ok: false; error: string };

/** A resolver on `servers` ("host:port", IPs only), or on the system's servers when none are given. */
export function createResolver(servers: string[] | undefined, timeoutMs = 3_000): Resolver {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 2 });
  if (servers?.length) resolver.setServers(servers);
  return resolver;
}

/** Looks up the challenge TXT record and judges it against the school's token. */
export async function checkChallenge(resolver: Resolver, domain: string, token: string): Promise<TxtOutcome> {
  try {
    const records = await resolver.resolveTxt(challengeRecord(domain, token).name);
    return judgeChallenge(domain, token, { records: records.map((chunks) => chunks.join("")) });
  } catch (error) {
    return judgeChallenge(domain, token, { errorCode: (error as NodeJS.ErrnoException).code ?? "ERROR" });
  }
}

/** The domain's A and AAAA addresses, refused when any of them is not public unicast. */
export async function resolvePublicAddresses(resolver: Resolver, domain: string): Promise<{ ok: true; addresses: string[] } | Failure> {
  const [v4, v6] = await Promise.allSettled([resolver.resolve4(domain), resolver.resolve6(domain)]);
  const addresses = [...(v4.status === "fulfilled" ? v4.value : []), ...(v6.status === "fulfilled" ? v6.value : [])];
  if (addresses.length === 0) {
    const codes = [v4, v6].map((r) => (r.status === "rejected" ? ((r.reason as NodeJS.ErrnoException).code ?? "ERROR") : "ENODATA"));
    if (codes.every((c) => c === "ENOTFOUND" || c === "ENODATA")) {
      return { ok: false, error: `The TXT record is right, but ${domain} does not point anywhere yet. Create the CNAME record as shown, then try again.` };
    }
    return { ok: false, error: `The TXT record is right, but looking up ${domain}'s address failed (${codes.find((c) => c !== "ENODATA")}). Try again in a few minutes.` };
  }
  const refused = addresses.map(classifyAddress).find((v) => !v.ok);
  if (refused) {
    return { ok: false, error: `${domain} points at ${refused.address}, a private or reserved address the platform never connects to. Point the CNAME record at the platform.` };
  }
  return { ok: true, addresses };
}

/** "host:port" or "[v6]:port" (DOMAIN_VERIFY_ADDRESS) as a connection target; null when it is neither. */
export function parseHostPort(value: string): { host: string; port: number } | null {
  const m = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/.exec(value.trim());
  if (!m || Number(m[2]) > 65535) return null;
  return { host: m[1]!.replace(/^\[|\]$/g, ""), port: Number(m[2]) };
}

/**
 * GET http://<domain>/.well-known/encore-domain-verification from `target` (a vetted
 * address on port 80, or DOMAIN_VERIFY_ADDRESS in tests), Host header the domain; no
 * redirects, 4 KB at most.
 */
export async function fetchDomainVerification(
  domain: string,
  target: { host: string; port: number },
  opts: { timeoutMs?: number } = {},
): Promise<{ ok: true; body: string } | Failure> {
  const { host, port } = target;
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const url = `http://${domain}${DOMAIN_VERIFICATION_PATH}`;
  return new Promise((resolve) => {
    let settled = false;
    const done = (result: { ok: true; body: string } | Failure) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const req = http.request(
      { host, port, path: DOMAIN_VERIFICATION_PATH, method: "GET", headers: { Host: domain, "User-Agent": "Encore-Domain-Verification/1", Accept: "text/plain" } },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          done({ ok: false, error: `The TXT record is right, but ${url} answered ${res.statusCode}: the domain does not reach this platform yet. Check the CNAME record.` });
          return;
        }
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
          if (body.length > 4096) {
            req.destroy();
            done({ ok: false, error: `The TXT record is right, but ${url} answered something other than this platform. Check the CNAME record.` });
          }
        });
        res.on("end", () => done({ ok: true, body }));
        res.on("error", () => done({ ok: false, error: `The answer from ${domain} was cut off. Try again.` }));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      done({ ok: false, error: `The TXT record is right, but ${domain} did not answer within ${Math.round(timeoutMs / 1000)} seconds. Check the CNAME record.` });
    }, timeoutMs);
    req.on("error", (error: NodeJS.ErrnoException) =>
      done({ ok: false, error: `The TXT record is right, but the platform could not reach http://${domain} (${error.code ?? error.message}). Check the CNAME record; DNS changes can take a while.` }),
    );
    req.end();
  });
}
