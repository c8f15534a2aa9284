import type { ExplainResult } from '../../../server/src/protocol';
import type { DriversChoice, WebviewMessage } from '../preview/messages';

/** One explanation asked of the host: on its way, answered, or failed (with why). */
export interface Asked {
  id: number;
  state: 'loading' | 'ready' | 'failed';
  answer?: ExplainResult | null;
  error?: string;
}

/**
 * The explanations the driver charts show (drivers.ts), asked of the host (`explain`) when a
 * chart needs one and kept until the results change. The page is drawn again from scratch on
 * every change, so what was asked lives here, not in the DOM. While a newer explanation is on
 * its way (after an edit), the last one answered for the KPI stays on show, dimmed.
 */
export class ExplainStore {
  private readonly asked = new Map<string, Asked>();
  /** Per KPI, the last explanation answered: shown while a newer one is worked out. */
  private readonly last = new Map<string, ExplainResult>();
  private nextId = 1;
  private post: (m: WebviewMessage) => void = () => undefined;
  private changed: () => void = () => undefined;

  /** `post` sends a message to the host; `changed` draws the page again when an answer comes. */
  connect(post: (m: WebviewMessage) => void, changed: () => void): void {
    this.post = post;
    this.changed = changed;
  }

  /** The explanation of a KPI for a choice of periods; asks the host for it the first time. */
  get(kpi: string, choice: DriversChoice | undefined): Asked & { previous?: ExplainResult } {
    const key = JSON.stringify([kpi, choice?.period ?? null, choice?.vs ?? 'prev']);
    let asked = this.asked.get(key);
    if (!asked) {
      asked = { id: this.nextId++, state: 'loading' };
      this.asked.set(key, asked);
      this.post({ type: 'explain', id: asked.id, kpi, ...(choice?.period ? { period: choice.period } : {}), ...(choice?.vs && choice.vs !== 'prev' ? { vs: choice.vs } : {}) });
    }
    const previous = this.last.get(kpi);
    return { ...asked, ...(previous ? { previous } : {}) };
  }

  /** The host's answer to `explain` number `id`; an answer to a question no longer asked is dropped. */
  received(id: number, answer: ExplainResult | null, error?: string): void {
    const asked = [...this.asked.values()].find((a) => a.id === id);
    if (!asked || asked.state !== 'loading') return;
    if (error !== undefined) Object.assign(asked, { state: 'failed', error });
    else {
      Object.assign(asked, { state: 'ready', answer });
      if (answer) this.last.set(answer.kpi.id, answer);
    }
    this.changed();
  }

  /** The results changed (an edit, other controls, another spec): every explanation is asked again. */
  reset(sameSpec: boolean): void {
    this.asked.clear();
    if (!sameSpec) this.last.clear();
  }
}

/** The page's one store. */
export const explainStore = new ExplainStore();
