import { BrowserWindow, dialog, type IpcMainInvokeEvent, ipcMain, type WebContents } from "electron";
import { type Answer, answerRequest, apiError, failed } from "../../core/api/dispatch";
import { IPC } from "../../core/api/ops-client";
import type { OpsService } from "../../core/api/ops-service";
import { EXPORT_FILE_KINDS } from "../../core/provlog/timeline-export";
import { answerExport, answerImport, type FileDialogs } from "../file-requests";
import { IpcSubscriptions } from "../ipc-subscriptions";
import { urlChangeQuestion } from "../profile-change-policy";
import { APP_ORIGIN, isTrustedSender } from "../security-policy";
import { logUnexpected } from "../unexpected-error";

/**
 * Serves core/api over the IPC channels of core/api/ops-client.ts: the messages only; answering,
 * subscriptions, the file operations and bug reports are the host kit's (core/api dispatch.ts,
 * subscription-stream.ts, file-streams.ts, bug-log.ts), as in the browser host. Every handler
 * first checks, with the URL parser, that the sending frame shows the app's own origin (DESIGN
 * "Electron security"); anything else gets a refusal and nothing runs. Errors cross as
 * {code, message}.
 */
export function serveIpc(service: OpsService): void {
  const subscriptions = new IpcSubscriptions(service);
  const watched = new Set<number>();

  const handle = (channel: string, run: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<Answer>) => {
    ipcMain.handle(channel, async (event, ...args): Promise<Answer> => {
      if (!isTrustedSender(event.senderFrame?.url, APP_ORIGIN)) return refused(channel);
      try {
        return await run(event, ...args);
      } catch (error) {
        return failed(service, error, channel, logUnexpected);
      }
    });
  };

  handle(IPC.invoke, async (event, name, input) => {
    if (name === "profiles.save" && !(await confirmUrlChange(service, event.sender, input))) {
      return apiError("Cancelled", "the URL change was cancelled; nothing was saved");
    }
    // A bug inside a request is answered "internal error"; its cause goes to the log (issue 14).
    return answerRequest(service, typeof name === "string" ? name : "", input, logUnexpected);
  });
  handle(IPC.export, (event, input) => answerExport(service, input, dialogsFor(event.sender)));
  handle(IPC.import, (event, suggested) => answerImport(service, dialogsFor(event.sender), suggested));

  ipcMain.on(IPC.subscribe, (event, id: unknown, name: unknown, input: unknown) => {
    if (!isTrustedSender(event.senderFrame?.url, APP_ORIGIN)) {
      refused(IPC.subscribe);
      return;
    }
    const contents = event.sender;
    watchOwner(contents);
    subscriptions.start(contents.id, id, name, input, (sid, message) => {
      if (!contents.isDestroyed()) contents.send(IPC.item, sid, message);
    });
  });
  ipcMain.on(IPC.unsubscribe, (event, id: unknown) => {
    if (!isTrustedSender(event.senderFrame?.url, APP_ORIGIN)) return;
    subscriptions.stop(event.sender.id, id);
  });

  /** A window's subscriptions end with its page: on a new document and when it is destroyed. */
  function watchOwner(contents: WebContents): void {
    const owner = contents.id;
    if (watched.has(owner)) return;
    watched.add(owner);
    contents.on("did-start-navigation", (details) => {
      if (details.isMainFrame && !details.isSameDocument) subscriptions.stopAll(owner);
    });
    contents.once("destroyed", () => {
      subscriptions.stopAll(owner);
      watched.delete(owner);
    });
  }
}

function refused(channel: string): Answer {
  console.warn(`molecule-ops: refused ${channel} from a frame outside ${APP_ORIGIN}`);
  return apiError("Forbidden", "this page may not use the desktop app's API");
}

/**
 * A profile with stored secrets pointed at another URL: asked in a main-process dialog, whose
 * answer the page cannot give (profile-change-policy.ts decides when). true: go on and save.
 */
async function confirmUrlChange(service: OpsService, contents: WebContents, input: unknown): Promise<boolean> {
  const question = urlChangeQuestion(await service.invoke("profiles.list", {}), input);
  if (!question) return true;
  const parent = BrowserWindow.fromWebContents(contents);
  const options: Electron.MessageBoxOptions = { type: "warning", noLink: true, ...question };
  const answer = parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
  return answer.response === 0;
}

/** Native dialogs attached to the window that asked. */
function dialogsFor(contents: WebContents): FileDialogs {
  const parent = BrowserWindow.fromWebContents(contents);
  const save = (options: Electron.SaveDialogOptions) =>
    parent ? dialog.showSaveDialog(parent, options) : dialog.showSaveDialog(options);
  const openFile = (options: Electron.OpenDialogOptions) =>
    parent ? dialog.showOpenDialog(parent, options) : dialog.showOpenDialog(options);
  return {
    async chooseExportPath(format) {
      const kind = EXPORT_FILE_KINDS[format];
      const choice = await save({
        title: "Export the timeline",
        defaultPath: `molecule-ops-timeline.${kind.extension}`,
        filters: [{ name: kind.label, extensions: [kind.extension] }],
      });
      return choice.canceled || !choice.filePath ? null : choice.filePath;
    },
    async chooseLogFile(suggested) {
      const choice = await openFile({
        title: "Import a platform log",
        ...(suggested ? { defaultPath: suggested } : {}),
        properties: ["openFile"],
        filters: [
          { name: "Platform logs", extensions: ["log", "jsonl", "txt", "gz"] },
          { name: "All files", extensions: ["*"] },
        ],
      });
      return choice.canceled ? null : (choice.filePaths[0] ?? null);
    },
  };
}
