import { cleanup, configure, render } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { type ReactElement, type ReactNode, StrictMode } from "react";
import { afterEach, beforeEach, vi } from "vitest";
import { AppProviders, createQueryClient } from "../app/providers";
import { tableScroll, ui } from "../app/ui-state";
import { live } from "../live/live-state";
import { NOW } from "./fixtures";
import { MemoryOpsClient } from "./memory-ops-client";

/**
 * Set-up of the component tests (files that say `// @vitest-environment happy-dom` and import
 * this): times shown in UTC at a fixed instant, the app's stores as the app starts them, and the
 * rendered tree removed after each test.
 */
process.env.TZ = "UTC";

/**
 * happy-dom lays nothing out. A stand-in good enough for the virtual lists: every box is 1000×600,
 * a box's content is as tall as the tallest element in it with an inline height (a virtual
 * list's body), and scrolling clamps like a browser's and fires "scroll" a task later.
 */
const VIEWPORT = { width: 1000, height: 600 };
const scrollTops = new WeakMap<HTMLElement, number>();
function contentHeight(box: HTMLElement): number {
  let height = VIEWPORT.height;
  for (const el of box.querySelectorAll<HTMLElement>("[style*=height]")) {
    height = Math.max(height, Number.parseFloat(el.style.height) || 0);
  }
  return height;
}
Object.defineProperties(HTMLElement.prototype, {
  clientHeight: { configurable: true, get: () => VIEWPORT.height },
  clientWidth: { configurable: true, get: () => VIEWPORT.width },
  scrollHeight: {
    configurable: true,
    get(this: HTMLElement) {
      return contentHeight(this);
    },
  },
  scrollTop: {
    configurable: true,
    get(this: HTMLElement) {
      return scrollTops.get(this) ?? 0;
    },
    set(this: HTMLElement, value: number) {
      const top = Math.max(0, Math.min(contentHeight(this) - VIEWPORT.height, Math.round(Number(value) || 0)));
      if (top === (scrollTops.get(this) ?? 0)) return;
      scrollTops.set(this, top);
      setTimeout(() => this.dispatchEvent(new Event("scroll")), 0);
    },
  },
});

// happy-dom does not know <search> (Chromium has since 118), and React warns about it.
const consoleError = console.error;
console.error = (...args: unknown[]) => {
  if (String(args[0]).includes("is unrecognized in this browser") && args[1] === "search") return;
  consoleError(...args);
};

// findBy… and waitFor give a busy two-core machine more than their default second.
configure({ asyncUtilTimeout: 5000 });

const firstUi = ui.get();
const firstLive = live.get();

beforeEach(() => {
  // Only Date: timers stay real, so queries settle and Testing Library can wait for them.
  vi.useFakeTimers({ now: NOW, toFake: ["Date"] });
  ui.set(firstUi);
  live.set(firstLive);
  tableScroll.offset = 0;
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

/**
 * Renders `element` as the app does (StrictMode, the OpsClient and query providers, inside the
 * #app element that a modal hides) over an in-memory host.
 */
export function renderInApp(element: ReactElement, client = new MemoryOpsClient()) {
  const queryClient = createQueryClient();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <StrictMode>
      <AppProviders client={client} queryClient={queryClient}>
        <div id="app">{children}</div>
      </AppProviders>
    </StrictMode>
  );
  // user-event waits between keys with setTimeout: a test that fakes the timers too still runs.
  const user = userEvent.setup({ delay: null, advanceTimers: (ms) => vi.advanceTimersByTime(ms) });
  return { ...render(element, { wrapper }), client, queryClient, user };
}
