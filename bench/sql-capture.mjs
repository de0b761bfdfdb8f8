// Records the SQL a process sends through `pg` (text, parameters, and which
// connection and role sent it), so a benchmark's floor can replay exactly the
// statements the app sent. Plain JavaScript so it can be preloaded into the
// production server: `node --import ./bench/sql-capture.mjs build/server.js`, with an
// IPC channel: the parent sends "capture:start" and "capture:stop", and gets back
// { type: "capture", queries } on stop. In the benchmark's own process, import it and
// call startCapture()/stopCapture(). Nothing is recorded between a stop and a start.
import pg from "pg";

let recording = null;
const ids = new WeakMap();
let nextId = 1;

function connectionOf(client) {
  let id = ids.get(client);
  if (!id) {
    id = nextId++;
    ids.set(client, id);
  }
  const params = client.connectionParameters ?? {};
  const role = /-c role=([a-z_][a-z0-9_]*)/.exec(params.options ?? "")?.[1] ?? params.user ?? null;
  return { id, role };
}

const original = pg.Client.prototype.query;
pg.Client.prototype.query = function query(config, values, callback) {
  if (recording) {
    const text = typeof config === "string" ? config : config?.text;
    const params = typeof config === "object" && config && Array.isArray(config.values) ? config.values : Array.isArray(values) ? values : [];
    if (typeof text === "string") recording.push({ ...connectionOf(this), text, values: params });
  }
  return original.call(this, config, values, callback);
};

export function startCapture() {
  recording = [];
}

export function stopCapture() {
  const queries = recording ?? [];
  recording = null;
  return queries;
}

if (typeof process.send === "function") {
  process.on("message", (message) => {
    if (message === "capture:start") {
      startCapture();
      process.send?.({ type: "capture:started" });
    } else if (message === "capture:stop") {
      process.send?.({ type: "capture", queries: stopCapture() });
    } else if (message === "memory") {
      // After a full collection when the server runs with --expose-gc: what it keeps, not what it has yet to collect.
      globalThis.gc?.();
      process.send?.({ type: "memory", collected: typeof globalThis.gc === "function", usage: process.memoryUsage() });
    }
  });
  // The channel must not keep the server alive after it decides to stop, and the
  // server stops (cleanly) if the benchmark that started it has gone.
  process.channel?.unref?.();
  process.on("disconnect", () => process.kill(process.pid, "SIGTERM"));
}
