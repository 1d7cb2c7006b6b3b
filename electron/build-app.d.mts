/** Types of build-app.mjs for the TypeScript that imports it (the e2e spec, the build test). */
export declare function buildElectronApp(options?: { outDir?: string }): Promise<{
  main: string;
  preload: string;
  /** The parser thread as a data: URL, exactly as main.mjs carries it. */
  parseWorkerUrl: string;
  /** The source files read, relative to the repository (scripts/build.mjs records them). */
  inputs: string[];
}>;
