import type { PreviewState } from './messages';

export interface PreviewPage {
  /** URIs the webview may load, as `webview.asWebviewUri` gives them. */
  scriptUri: string;
  styleUri: string;
  /** `webview.cspSource`: the origin of those URIs. */
  cspSource: string;
  /** A fresh random value per page; only scripts carrying it run. */
  nonce: string;
  /** The state to start from, when the panel is restored after a reload. */
  state?: PreviewState;
}

/**
 * The preview's HTML shell. Nothing but the bundle runs: `default-src 'none'`, scripts only with
 * the nonce, styles only from the bundle. Spec text never enters this markup; the bundle renders it
 * as text nodes. Pure (no `vscode`), so tests load the same page in a browser.
 */
export function previewHtml(page: PreviewPage): string {
  const csp = [
    "default-src 'none'",
    `img-src ${page.cspSource} data:`,
    `style-src ${page.cspSource}`,
    `font-src ${page.cspSource}`,
    `script-src 'nonce-${page.nonce}'`,
  ].join('; ');
  // The state travels as JSON in a data attribute, escaped for an HTML attribute value.
  const state = page.state ? ` data-state="${escapeAttribute(JSON.stringify(page.state))}"` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(page.styleUri)}">
<title>KPI preview</title>
</head>
<body>
<main id="app"${state}></main>
<script nonce="${escapeAttribute(page.nonce)}" src="${escapeAttribute(page.scriptUri)}"></script>
</body>
</html>
`;
}

/** A nonce: 32 random bytes, base64 (the Web Crypto API exists in Node 20 and browsers alike). */
export function makeNonce(): string {
  const bytes = new Uint8Array(32);
  globalThis.crypto.getRandomValues(bytes);
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text);
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
