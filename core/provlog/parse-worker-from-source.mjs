// The parser thread when the import runs from TypeScript sources (the tests): tsx compiles it.
// The CLI bundle starts dist/parse-worker.mjs instead.
import { register } from "tsx/esm/api";

register();
await import("./parse-worker.ts");
