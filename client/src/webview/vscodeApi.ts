import type { PreviewState, WebviewMessage } from '../preview/messages';

/** What VS Code injects into a webview; declared here because the bundle does not import `vscode`. */
export interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): PreviewState | undefined;
  setState(state: PreviewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The API may be acquired once per page; keep the one instance. */
export const vscode: VsCodeApi = acquireVsCodeApi();
