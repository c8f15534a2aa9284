import type { PreviewState } from '../preview/messages';
import type { Actions } from './actions';
import type { Shown } from './view';

/**
 * The KPI whose driver chart the host asked for ("Explain this change", `showDrivers`): once the
 * results of its spec are shown, the KPI is selected (on the scorecard), and its chart scrolled
 * to, again once the explanation is drawn. Checked after every draw; the request holds until then.
 */
export class DriversFocus {
  private wanted?: { uri: string; kpi: string };

  want(uri: string, kpi: string): void {
    this.wanted = { uri, kpi };
  }

  drawn(shown: Shown, state: PreviewState | undefined, actions: Actions): void {
    const wanted = this.wanted;
    if (!wanted || shown.kind !== 'results' || state?.uri !== wanted.uri) return;
    if (!shown.result.kpis.some((k) => k.id === wanted.kpi)) {
      this.wanted = undefined; // not one of this spec's KPIs
      return;
    }
    if (state.view === 'lineage') return actions.view('scorecard');
    if (state.selected !== wanted.kpi) return actions.select(wanted.kpi);
    const chart = document.querySelector(`[data-drivers="${CSS.escape(wanted.kpi)}"]`);
    if (!chart) return;
    // Until the explanation is drawn the chart is short: the last KPI's cannot reach the top yet.
    if (chart.getAttribute('aria-busy') !== 'true') this.wanted = undefined;
    chart.scrollIntoView({ block: 'start' });
  }
}
