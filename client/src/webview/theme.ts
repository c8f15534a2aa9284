/**
 * Canvas charts cannot use CSS variables, so colours are read from VS Code's theme variables when
 * a chart is drawn, and charts are drawn again when the theme changes.
 */

/** A theme colour as the canvas accepts it, optionally with an alpha; `fallback` if the variable is unset. */
export function themeColor(variable: string, fallback: string, alpha = 1): string {
  // Resolving through a probe element normalises any CSS colour (hex, rgb, named) to `rgb(...)`.
  const probe = document.createElement('span');
  probe.style.color = `var(${variable}, ${fallback})`;
  probe.hidden = true;
  document.body.append(probe);
  const rgb = getComputedStyle(probe).color;
  probe.remove();
  const parts = rgb.match(/[\d.]+/g)?.map(Number);
  if (!parts || parts.length < 3) return fallback;
  const a = (parts[3] ?? 1) * alpha;
  return `rgba(${parts[0]}, ${parts[1]}, ${parts[2]}, ${a})`;
}

/** A theme font (family or size) from the variables VS Code sets. */
export function themeFont(): string {
  const style = getComputedStyle(document.body);
  const family = style.getPropertyValue('--vscode-font-family').trim() || 'system-ui, sans-serif';
  return `11px ${family}`;
}

/**
 * Calls `onChange` after the theme changed: VS Code swaps the body class (`vscode-light`,
 * `vscode-dark`, `vscode-high-contrast`) and rewrites the variables on `<html style>`.
 * Returns a function that stops listening.
 */
export function onThemeChange(onChange: () => void): () => void {
  let queued = 0;
  const observer = new MutationObserver(() => {
    if (queued) return;
    queued = requestAnimationFrame(() => {
      queued = 0;
      onChange();
    });
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  return () => {
    observer.disconnect();
    if (queued) cancelAnimationFrame(queued);
  };
}
