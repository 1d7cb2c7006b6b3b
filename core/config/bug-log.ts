// The log of bugs' causes is the host kit's (core/api/bug-log.ts); the CLI still imports it from here.
export { logBugInDataDir } from "../api/bug-log";
