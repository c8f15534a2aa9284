import type { PreviewState } from '../preview/messages';
import type { VsCodeApi } from './vscodeApi';

/**
 * The state to start from: what this webview saved before a reload (getState), else what the host
 * wrote into the page (the serializer's copy after a window reload), else nothing yet.
 */
export function restoreState(api: VsCodeApi, app: HTMLElement): PreviewState | undefined {
  const saved = api.getState();
  if (isState(saved)) return saved;
  const written = app.dataset.state;
  if (!written) return undefined;
  try {
    const parsed: unknown = JSON.parse(written);
    return isState(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isState(v: unknown): v is PreviewState {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Partial<PreviewState>;
  return typeof s.uri === 'string' && typeof s.locked === 'boolean' && typeof s.controls === 'object' && s.controls !== null;
}
