import type { ReactNode } from "react";
import { describeError } from "../app/errors";

/** Empty, loading and error states that say what is happening and what to do. */
export function StateMessage({
  title,
  children,
  tone = "info",
  action,
}: {
  title: string;
  children?: ReactNode;
  tone?: "info" | "error" | "loading";
  action?: ReactNode;
}) {
  return (
    <div className={`state state--${tone}`} role={tone === "error" ? "alert" : "status"}>
      {tone === "loading" && <span className="spinner" aria-hidden="true" />}
      <p className="state__title">{title}</p>
      {children && <div className="state__body">{children}</div>}
      {action && <div className="state__action">{action}</div>}
    </div>
  );
}

export function ErrorMessage({ error, title, action }: { error: unknown; title: string; action?: ReactNode }) {
  const e = describeError(error);
  return (
    <StateMessage title={title} tone="error" action={action}>
      <p>
        <code className="code-chip">{e.code}</code> {e.message}
      </p>
      {e.hint && <p className="muted">{e.hint}</p>}
    </StateMessage>
  );
}
