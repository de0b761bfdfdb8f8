import { describe, expect, it } from "vitest";
import { createGate, GateTimeout, releaseWhenProduced } from "./admission";

/** Timers run by hand. */
function manualTimers() {
  const timers: { fn: () => void; cleared: boolean }[] = [];
  return {
    setTimer: (fn: () => void) => {
      const t = { fn, cleared: false };
      timers.push(t);
      return { clear: () => (t.cleared = true) };
    },
    fireAll: () => timers.filter((t) => !t.cleared).forEach((t) => ((t.cleared = true), t.fn())),
  };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

describe("admission gate", () => {
  it("lets `limit` callers in at once and the others in arrival order as turns are released", async () => {
    const gate = createGate({ limit: 2, maxWaitMs: 1_000, ...manualTimers() });
    const order: string[] = [];
    const a = await gate.acquire();
    const b = await gate.acquire();
    const waits = ["c", "d", "e"].map((name) => gate.acquire().then((release) => (order.push(name), release)));
    await tick();
    expect([gate.inFlight, gate.waiting, order]).toEqual([2, 3, []]);
    b();
    b(); // a second release of the same turn changes nothing
    await tick();
    expect(order).toEqual(["c"]);
    a();
    await tick();
    expect(order).toEqual(["c", "d"]);
    (await waits[0]!)();
    await tick();
    expect(order).toEqual(["c", "d", "e"]);
    (await waits[1]!)();
    (await waits[2]!)();
    expect([gate.inFlight, gate.waiting]).toEqual([0, 0]);
  });

  it("refuses a caller that waited too long, and its place goes to the next", async () => {
    const timers = manualTimers();
    const gate = createGate({ limit: 1, maxWaitMs: 50, setTimer: timers.setTimer });
    const first = await gate.acquire();
    const late = gate.acquire();
    timers.fireAll();
    await expect(late).rejects.toBeInstanceOf(GateTimeout);
    const next = gate.acquire();
    first();
    const release = await next;
    expect([gate.inFlight, gate.waiting]).toEqual([1, 0]);
    release();
    expect(gate.inFlight).toBe(0);
  });

  it("releases a turn when the response body has been produced (not when the client has read it), or cancelled", async () => {
    let released = 0;
    let finish!: () => void;
    const source = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("hello "));
        finish = () => {
          controller.enqueue(new TextEncoder().encode("world"));
          controller.close();
        };
      },
    });
    const res = releaseWhenProduced(new Response(source), () => released++);
    await tick();
    expect(released).toBe(0);
    finish();
    await tick();
    expect(released).toBe(1); // the client has read nothing yet
    expect(await res.text()).toBe("hello world");
    expect(released).toBe(1);

    const cancelled = releaseWhenProduced(new Response(new ReadableStream({ pull: (c) => c.enqueue(new Uint8Array(8)) })), () => released++);
    await cancelled.body!.cancel();
    expect(released).toBe(2);

    const empty = releaseWhenProduced(new Response(null, { status: 204 }), () => released++);
    expect([empty.status, released]).toEqual([204, 3]);
  });
});
