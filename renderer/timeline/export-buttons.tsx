import { useMutation } from "@tanstack/react-query";
import type { TimelineFilterInput } from "../../core/api/schemas";
import { describeError } from "../app/errors";
import { useOps } from "../app/ops-context";

/**
 * CSV and JSONL of the current filter, written by the host with the CLI's exporter: a download
 * in the browser host, the main process's save dialog in the desktop app.
 */
export function ExportButtons({ filter }: { filter: TimelineFilterInput }) {
  const client = useOps();
  const exporter = useMutation({
    mutationFn: (format: "csv" | "jsonl") => client.exportTimeline({ filter, format }).then((r) => ({ ...r, format })),
  });
  return (
    <fieldset className="export">
      <legend className="visually-hidden">Export</legend>
      <button type="button" className="btn" disabled={exporter.isPending} onClick={() => exporter.mutate("csv")}>
        Export CSV
      </button>
      <button type="button" className="btn" disabled={exporter.isPending} onClick={() => exporter.mutate("jsonl")}>
        Export JSONL
      </button>
      <span className="export__result" role="status" data-testid="export-result">
        {exporter.isPending && "Exporting…"}
        {exporter.data &&
          (exporter.data.saved
            ? `Exported ${exporter.data.rows} rows as ${exporter.data.format.toUpperCase()}.`
            : "Export cancelled: nothing was saved.")}
        {exporter.error && `Export failed: ${describeError(exporter.error).message}`}
      </span>
    </fieldset>
  );
}
