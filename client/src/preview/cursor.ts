import * as vscode from 'vscode';

/** The definition under a cursor, as the preview highlights it. */
export interface DefinitionAt {
  kpi?: string;
  goal?: string;
  /** A metric or source (the Lineage view highlights them; the scorecard does not). */
  metric?: string;
  source?: string;
}

/**
 * Finds the KPI, goal, metric or source whose definition holds a position, from the language
 * server's outline (document symbols: a "KPIs", "Goals", "Metrics" and "Sources" section, each
 * entry spanning its whole definition).
 * The outline of the current text, so it is right while typing, before any evaluation. Outlines
 * are kept per document version: moving the cursor asks the server once per edit, not per move.
 */
export class DefinitionFinder {
  private kept?: { uri: string; version: number; symbols: Promise<vscode.DocumentSymbol[]> };

  async at(document: vscode.TextDocument, position: vscode.Position): Promise<DefinitionAt> {
    const symbols = await this.outline(document);
    for (const section of symbols) {
      if (!section.range.contains(position)) continue;
      const entry = section.children.find((c) => c.range.contains(position));
      if (!entry) return {};
      if (section.name === 'KPIs') return { kpi: entry.name };
      if (section.name === 'Goals') return { goal: entry.name };
      if (section.name === 'Metrics') return { metric: entry.name };
      if (section.name === 'Sources') return { source: entry.name };
      return {};
    }
    return {};
  }

  private outline(document: vscode.TextDocument): Promise<vscode.DocumentSymbol[]> {
    const uri = document.uri.toString();
    if (this.kept?.uri === uri && this.kept.version === document.version) return this.kept.symbols;
    const symbols = Promise.resolve(vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>('vscode.executeDocumentSymbolProvider', document.uri)).then(
      (s) => (Array.isArray(s) ? s.filter((x): x is vscode.DocumentSymbol => 'children' in x) : []),
      () => [],
    );
    this.kept = { uri, version: document.version, symbols };
    return symbols;
  }
}
