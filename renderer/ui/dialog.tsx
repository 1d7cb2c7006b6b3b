import { type ReactNode, useEffect, useId, useRef } from "react";
import { createPortal } from "react-dom";

let openModals = 0;

/** While a modal is open the app behind it is hidden from assistive tech (and from role queries). */
function hideApp(hidden: boolean): void {
  const app = document.getElementById("app");
  if (!app) return;
  if (hidden) app.setAttribute("aria-hidden", "true");
  else app.removeAttribute("aria-hidden");
}

/**
 * A modal on the native <dialog> (focus trap, Escape, top layer) rendered outside the app, so
 * the app can be marked aria-hidden while it is open. Mount it to open it.
 */
export function Dialog({
  title,
  onClose,
  children,
  className,
  footer,
}: {
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  className?: string;
  footer?: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const close = useRef(onClose);
  close.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    openModals++;
    hideApp(true);
    return () => {
      openModals--;
      if (openModals === 0) hideApp(false);
      if (dialog?.open) dialog.close();
      before?.focus();
    };
  }, []);

  return createPortal(
    <dialog
      ref={ref}
      className={`dialog ${className ?? ""}`}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        close.current();
      }}
      onMouseDown={(e) => {
        // A click on the backdrop (the dialog element itself, outside its content box) closes it.
        if (e.target === ref.current) close.current();
      }}
    >
      <div className="dialog__box">
        <h2 id={titleId} className="dialog__title">
          {title}
        </h2>
        <div className="dialog__body">{children}</div>
        {footer && <div className="dialog__footer">{footer}</div>}
      </div>
    </dialog>,
    document.body,
  );
}
