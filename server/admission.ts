// Admission control: at most `limit` requests inside Remix at once, the others wait
// their turn in arrival order. Rendering is CPU work on one thread: twenty requests
// rendering at once each take twenty times as long, hold three pooled connections
// each while they crawl (so later ones time out waiting for the pool: 503s) and hit
// the render's abort timer (500s), and keep twenty big pages in memory. Queued, each
// is rendered at full speed in its turn: the same throughput, answers instead of
// errors, and a fraction of the memory. A request that waits longer than `maxWaitMs`
// is refused (the caller answers 503 with Retry-After). Plain TypeScript, no framework.

export interface Gate {
  /** Resolves with `release` when it is this caller's turn; rejects with GateTimeout after maxWaitMs. */
  acquire(): Promise<() => void>;
  readonly inFlight: number;
  readonly waiting: number;
}

export class GateTimeout extends Error {
  constructor(waitedMs: number) {
    super(`waited ${waitedMs} ms for a turn`);
    this.name = "GateTimeout";
  }
}

export function createGate(opts: { limit: number; maxWaitMs: number; setTimer?: (fn: () => void, ms: number) => { clear(): void } }): Gate {
  const setTimer =
    opts.setTimer ??
    ((fn: () => void, ms: number) => {
      const t = setTimeout(fn, ms);
      t.unref?.();
      return { clear: () => clearTimeout(t) };
    });
  let inFlight = 0;
  const queue: { grant: () => void }[] = [];

  const release = () => {
    const next = queue.shift();
    if (next) next.grant();
    else inFlight--;
  };
  const once = () => {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      release();
    };
  };

  return {
    get inFlight() {
      return inFlight;
    },
    get waiting() {
      return queue.length;
    },
    acquire() {
      if (inFlight < opts.limit) {
        inFlight++;
        return Promise.resolve(once());
      }
      return new Promise((resolve, reject) => {
        const entry = {
          grant: () => {
            timer.clear();
            resolve(once());
          },
        };
        const timer = setTimer(() => {
          const i = queue.indexOf(entry);
          if (i >= 0) queue.splice(i, 1);
          reject(new GateTimeout(opts.maxWaitMs));
        }, opts.maxWaitMs);
        queue.push(entry);
      });
    },
  };
}

/**
 * The response with `release` called once its body has been produced (a streamed
 * render does its work while the body is read), failed or been cancelled, or at once
 * for a response without a body. The body is read as fast as it is produced and held
 * for the client: a slow client does not hold a turn while it downloads.
 */
export function releaseWhenProduced(response: Response, release: () => void): Response {
  if (!response.body) {
    release();
    return response;
  }
  const reader = response.body.getReader();
  let settled = false;
  const settle = () => {
    if (!settled) {
      settled = true;
      release();
    }
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      void (async () => {
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            controller.enqueue(value);
          }
          settle();
          controller.close();
        } catch (error) {
          settle();
          try {
            controller.error(error);
          } catch {
            // cancelled meanwhile
          }
        }
      })();
    },
    async cancel(reason) {
      settle();
      await reader.cancel(reason).catch(() => {});
    },
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}
