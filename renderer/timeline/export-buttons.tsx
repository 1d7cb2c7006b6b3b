import { useMutation } from "@tanstack/react-query";
import type { ExportInput, TimelineFilterInput } from "../../core/api/schemas";
import { describeError } from "../app/errors";
import { useOps } from "../app/ops-context";

/** How the result line names each format. */
const FORMAT_NAMES: Record<ExportInput["format"], string> = { csv: "CSV", jsonl: "JSONL", provlog: "provlog" };

/**
 * CSV, JSONL and provlog (the platform's own log lines, which `import-log` reads back) of the
 * current filter, written by the host with the CLI's exporter: a download in the browser host,
 * the main process's save dialog in the desktop app.
 */
export function ExportButtons({ filter }: { filter: TimelineFilterInput }) {
  const client = useOps();
  const exporter = useMutation({
    mutationFn: (format: ExportInput["format"]) =>
      client.exportTimeline({ filter, format }).then((r) => ({ ...r, format })),
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
      <button
        type="button"
        className="btn"
        disabled={exporter.isPending}
        onClick={() => exporter.mutate("provlog")}
        title="The platform's own log lines (server records and the console's); import-log reads them back"
      >
        Export provlog
      </button>
      <span className="export__result" role="status" data-testid="export-result">
        {exporter.isPending && "Exporting…"}
        {exporter.data &&
          (exporter.data.saved
            ? `Exported ${exporter.data.rows} rows as ${FORMAT_NAMES[exporter.data.format]}.`
            : "Export cancelled: nothing was saved.")}
        {exporter.error && `Export failed: ${describeError(exporter.error).message}`}
      </span>
    </fieldset>
  );
}
