/**
 * The parser thread of a large import: it receives log bytes from the main thread, turns them
 * into record batches and sends them back, so parsing (JavaScript) and writing (SQLite) use
 * both cores. Pull-based in both directions: it asks for input only while it holds credit for
 * batches the writer has not yet taken, so neither side's queue grows with the log.
 */
import { parentPort, workerData } from "node:worker_threads";
import { batchTransfers, type RecordBatch } from "./record-batch";
import { RecordBatcher } from "./record-batcher";

export type ToParser = { type: "chunk"; data: Uint8Array } | { type: "end" } | { type: "credit" };
export type FromParser =
  | { type: "need" }
  | { type: "batch"; batch: RecordBatch; lines: number; events: number }
  | { type: "done"; stats: ReturnType<RecordBatcher["snapshot"]> };

export interface ParserSettings {
  batchSize: number;
  maxLineBytes: number;
  /** Batches the parser may have in flight before it waits for the writer. */
  credit: number;
}

const port = parentPort;
if (port) {
  const settings = workerData as ParserSettings;
  let credit = settings.credit;
  let waiting = false;
  const post = (m: FromParser, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
  const batcher = new RecordBatcher(
    (batch) => {
      credit--;
      const s = batcher.snapshot();
      post({ type: "batch", batch, lines: s.lines, events: s.events }, batchTransfers(batch));
    },
    settings.batchSize,
    settings.maxLineBytes,
  );
  const askForInput = () => {
    if (credit > 0) post({ type: "need" });
    else waiting = true;
  };
  port.on("message", (m: ToParser) => {
    if (m.type === "chunk") {
      batcher.push(Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength));
      askForInput();
    } else if (m.type === "credit") {
      credit++;
      if (waiting) {
        waiting = false;
        askForInput();
      }
    } else {
      batcher.end();
      post({ type: "done", stats: batcher.snapshot() });
      port.close();
    }
  });
  askForInput();
}
