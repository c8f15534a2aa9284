import * as vscode from 'vscode';
import type { PreviewControls, PreviewGrain } from './preview/messages';

/** The extension's settings (declared in package.json `contributes.configuration`), read fresh each time. */
export function previewDefaults(): PreviewControls {
  const c = vscode.workspace.getConfiguration('kpispec.preview');
  const grain = c.get<string>('defaultGrain', 'spec');
  const by = c.get<string>('defaultBreakdown', '').trim();
  const controls: PreviewControls = {};
  if (grain !== 'spec') controls.grain = grain as PreviewGrain;
  if (by) controls.by = by;
  return controls;
}

/** The locale values are shown in instead of the spec's `defaults.locale`; undefined when the setting is empty. */
export function displayLocale(): string | undefined {
  return vscode.workspace.getConfiguration('kpispec').get<string>('locale', '').trim() || undefined;
}

/** Data files larger than this (in MB) are not read by the editor; 0 means no limit. */
export function maxDataFileSizeMb(): number {
  const mb = vscode.workspace.getConfiguration('kpispec.data').get<number>('maxFileSizeMB', 50);
  return Number.isFinite(mb) && mb > 0 ? mb : 0;
}

/** Specs larger than this (in MB) are not checked by the editor; the server keeps its safe default for anything not above 0. */
export function maxSpecFileSizeMb(): number {
  return vscode.workspace.getConfiguration('kpispec.spec').get<number>('maxFileSizeMB', 10);
}
