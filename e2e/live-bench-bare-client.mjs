// The live-feed benchmark's baseline: a bare `ws` client of the tenant's /ws feed that only
// parses each message (JSON.parse) and counts it. Run as its own process so its CPU time is its
// own. argv: the /ws URL; LIVE_BENCH_HEADERS: the request headers as JSON. Every line on stdin
// is answered with one JSON line on stdout: {messages, bytes, cpuUs} so far.
import { createInterface } from "node:readline";
import WebSocket from "ws";

const url = process.argv[2];
const headers = JSON.parse(process.env.LIVE_BENCH_HEADERS ?? "{}");
let messages = 0;
let bytes = 0;
let parsed = 0;
const ws = new WebSocket(url, { headers, perMessageDeflate: false });
ws.on("open", () => process.stdout.write(`${JSON.stringify({ open: true })}\n`));
ws.on("message", (data) => {
  const text = data.toString();
  bytes += text.length;
  const message = JSON.parse(text);
  if (message.event) parsed++;
  messages++;
});
ws.on("error", (error) => {
  process.stderr.write(`bare client: ${error.message}\n`);
  process.exit(1);
});
createInterface({ input: process.stdin }).on("line", () => {
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ messages, parsed, bytes, cpuUs: cpu.user + cpu.system })}\n`);
});
process.stdin.on("end", () => {
  ws.terminate();
  process.exit(0);
});
