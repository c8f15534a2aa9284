/// <reference lib="dom" />
// The webview runs in a browser; the rest of the repo type-checks against node only.

/** A chart to draw once its container is in the page (uPlot measures its width); returns its cleanup. */
export type Mount = () => () => void;

type Child = Node | string | null | undefined | false;

/** Props set as DOM properties or attributes. Never `innerHTML`, never a `style` attribute (the CSP forbids inline styles). */
export interface Props {
  class?: string;
  title?: string;
  /** Other attributes (`aria-*`, `role`, `tabindex`, `type`, `data-*`, ...). */
  attrs?: Record<string, string | number | boolean | undefined>;
  on?: { [K in keyof HTMLElementEventMap]?: (e: HTMLElementEventMap[K]) => void };
}

/**
 * Builds an element. Strings become text nodes, so spec and data text is shown as written and
 * never parsed as markup: the one rule that keeps `<img onerror=…>` in a KPI title harmless.
 */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.class) node.className = props.class;
  if (props.title !== undefined) node.title = props.title;
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const [type, handler] of Object.entries(props.on ?? {})) node.addEventListener(type, handler as EventListener);
  append(node, ...children);
  return node;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element; attributes are geometry and classes only (colours come from the stylesheet). */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  return node;
}

/** A button that looks like a link: for reveals and other in-text actions. */
export function linkButton(label: string, onClick: () => void, props: Props = {}): HTMLButtonElement {
  return el('button', { ...props, class: `link ${props.class ?? ''}`.trim(), attrs: { type: 'button', ...props.attrs }, on: { click: (e) => { e.stopPropagation(); onClick(); } } }, label);
}
