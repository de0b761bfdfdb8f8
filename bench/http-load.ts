// Closed-loop HTTP load from the benchmark's process to the server's: `concurrency`
// users, each sending its next request when the last one has been answered, over
// keep-alive connections on loopback. Times each request from send to last byte.
import http from "node:http";

export interface PageRequest {
  host: string;
  path: string;
  cookie?: string;
}

export interface PageResponse {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

export function request(port: number, req: PageRequest, agent?: http.Agent): Promise<PageResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: req.host, "accept-encoding": "identity" };
    if (req.cookie) headers.cookie = req.cookie;
    const r = http.request({ host: "127.0.0.1", port, path: req.path, method: "GET", headers, agent }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    r.on("error", reject);
    r.setTimeout(30_000, () => r.destroy(new Error(`timeout on ${req.host}${req.path}`)));
    r.end();
  });
}

export interface LoadResult {
  times: number[];
  statuses: Map<number, number>;
  cacheHits: number;
}

/** `total` requests by `concurrency` users; `next(i)` names request i. */
export async function load(port: number, concurrency: number, total: number, next: (i: number) => PageRequest): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const times: number[] = [];
  const statuses = new Map<number, number>();
  let cacheHits = 0;
  let issued = 0;
  const user = async () => {
    while (issued < total) {
      const i = issued++;
      const started = performance.now();
      // No answer in 30 s (or a broken connection) counts as status 0, timed as long as it took.
      const res = await request(port, next(i), agent).catch(() => ({ status: 0, body: "", headers: {} as http.IncomingHttpHeaders }));
      times.push(performance.now() - started);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.headers["x-encore-cache"] === "hit") cacheHits++;
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, user));
  } finally {
    agent.destroy();
  }
  return { times, statuses, cacheHits };
}

/** The same closed loop for any async operation (the floors). */
export async function loadFn(concurrency: number, total: number, op: (i: number) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  let issued = 0;
  const user = async () => {
    while (issued < total) {
      const i = issued++;
      const started = performance.now();
      await op(i);
      times.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, user));
  return times;
}
