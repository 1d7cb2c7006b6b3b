import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type DragEvent, useRef, useState } from "react";
import type { ImportReportView } from "../../core/api/ops-client";
import { describeError } from "../app/errors";
import { useOps } from "../app/ops-context";
import { keys } from "../app/query-keys";

/** Import of a provlog by drag-and-drop or file picker, and the report of what it found. */
export function ImportPanel() {
  const client = useOps();
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const importer = useMutation({
    // null: the desktop app's own dialog chooses the file (and names it in the report).
    mutationFn: (file: File | null) =>
      (file ? client.importLog(file) : (client.chooseAndImportLog?.() ?? Promise.reject(new Error("no dialog")))).then(
        (report) => ({ report, name: file?.name ?? "the chosen log" }),
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ["timeline"] });
      void queryClient.invalidateQueries({ queryKey: keys.workspaces });
      // A server log teaches instance ids: every workspace's detail (instance, history) may change.
      void queryClient.invalidateQueries({ queryKey: keys.details });
    },
  });
  const take = (files: FileList | null | undefined) => {
    const file = files?.[0];
    if (file) importer.mutate(file);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    take(e.dataTransfer.files);
  };
  return (
    <section
      className={`import${over ? " import--over" : ""}`}
      aria-label="Import a log"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <p>
        Drop a provisioning log here (plain or gzip), or{" "}
        <button
          type="button"
          className="btn btn--small"
          onClick={() => (client.chooseAndImportLog ? importer.mutate(null) : input.current?.click())}
          disabled={importer.isPending}
        >
          Choose a log file…
        </button>
      </p>
      <input
        ref={input}
        className="visually-hidden"
        type="file"
        aria-label="Log file to import"
        tabIndex={-1}
        onChange={(e) => {
          take(e.target.files);
          e.target.value = "";
        }}
      />
      {importer.isPending && <p role="status">Importing {importer.variables?.name ?? "the log"}…</p>}
      {importer.error &&
        (describeError(importer.error).code === "Cancelled" ? (
          <p className="muted">Import cancelled: no file was chosen.</p>
        ) : (
          <p className="field-error" role="alert">
            Import failed: {describeError(importer.error).message}
          </p>
        ))}
      {importer.data && <ImportReport name={importer.data.name} report={importer.data.report} />}
    </section>
  );
}

function ImportReport({ name, report }: { name: string; report: ImportReportView }) {
  const figures: Array<[string, number]> = [
    ["lines", report.lines],
    ["events", report.events],
    ["added", report.added],
    ["duplicates", report.duplicates],
    ["skipped (noise)", report.skipped],
    ["malformed", report.malformed],
    ["workspaces", report.workspaces],
    ["bindings learnt", report.bindings],
  ];
  return (
    <div className="import-report" role="status" aria-label="Import report">
      <p>
        Imported <strong>{name}</strong>:
      </p>
      <dl className="import-report__figures">
        {figures.map(([k, v]) => (
          <div key={k} className={k === "malformed" && v > 0 ? "figure figure--warn" : "figure"}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {report.first_malformed.length > 0 && (
        <>
          <p>First malformed lines (kept out of the timeline, never fatal):</p>
          <ul className="import-report__malformed">
            {report.first_malformed.map((m) => (
              <li key={m.line}>
                line {m.line}: {m.reason}
                {m.event ? ` (${m.event})` : ""}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
