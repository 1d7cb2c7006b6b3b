/**
 * Parsed records in columns, the unit that crosses from the parser to the writer (and from the
 * parser thread to the main thread: typed arrays move without copying, strings are few).
 */
export interface RecordBatch {
  count: number;
  /** ms since epoch; -1 for a record without a stamp (the store's NO_STAMP). */
  ts: Float64Array;
  /** Which occurrence of an identical (ts, event, payload) this is, within its file. */
  occurrence: Uint32Array;
  /** The store's dedup key of the record's identity (hash53 of recordIdentity, salt 0). */
  dedup: Float64Array;
  marshalError: Uint8Array;
  event: string[];
  workspaceId: (string | null)[];
  instanceId: (string | null)[];
  fields: string[];
}

/** What the parser counted, for the import report. */
export interface ParseStats {
  lines: number;
  events: number;
  skipped: number;
  malformed: number;
  first_malformed: Array<{ line: number; reason: string; event: string | null }>;
  marshal_errors: number;
  nul_lines: number;
  workspaces: number;
  bytes: number;
}

export function newBatch(capacity: number): RecordBatch {
  return {
    count: 0,
    ts: new Float64Array(capacity),
    occurrence: new Uint32Array(capacity),
    dedup: new Float64Array(capacity),
    marshalError: new Uint8Array(capacity),
    event: [],
    workspaceId: [],
    instanceId: [],
    fields: [],
  };
}

/** The transferable buffers of a batch, for postMessage. */
export function batchTransfers(b: RecordBatch): ArrayBuffer[] {
  return [b.ts.buffer, b.occurrence.buffer, b.dedup.buffer, b.marshalError.buffer] as ArrayBuffer[];
}
