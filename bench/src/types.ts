/** One open connection of a Node client, ready to send requests on (connect time excluded). */
export interface Session {
  /** GET /small and read its 13-byte body; rejects on anything but a 200 with that body. */
  small(): Promise<void>;
  /** GET /big?n=`bytes` and read the body in chunks without keeping it; resolves with the bytes read. */
  download(bytes: number): Promise<number>;
  close(): Promise<void>;
}

/** A Node HTTP/1.1 client under test: opens one connection allowing `depth` requests in flight. */
export interface NodeClient {
  readonly name: string;
  /** How the client handles the pipelined workload, printed under the table. */
  readonly pipelineNote?: string;
  connect(port: number, depth: number): Promise<Session>;
}

/** One measurement: `ops` requests (or bytes) in `seconds`. */
export interface Sample {
  readonly ops: number;
  readonly seconds: number;
}

/** The size of each workload, from BENCH_QUICK. */
export interface Config {
  readonly quick: boolean;
  readonly runs: number;
  /** The unrecorded JIT warm-up of each Node client before a workload's first run. */
  readonly warmUp: { readonly requests: number; readonly maxMs: number };
  /** Requests per client per run, and the time bound (ms) that stops a run early. */
  readonly sequential: { readonly requests: number; readonly maxMs: number };
  readonly pipelined: { readonly requests: number; readonly maxMs: number; readonly depth: number };
  readonly downloadBytes: number;
  /** `wrk -d` in seconds. */
  readonly wrkSeconds: number;
}

export const SMALL_BODY_LENGTH = 13;
