/** Types of build-app.mjs for the TypeScript that imports it (the e2e spec). */
export declare function buildElectronApp(options?: { outDir?: string }): Promise<{
  main: string;
  preload: string;
  parseWorker: string;
}>;
