import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { listTemplates, type Template } from '../../server/src/cli/initTemplates';

/**
 * "kpispec: New KPI Spec from Template…": the templates of `kpispec init`, written into a
 * folder of the workspace, then the spec opened beside its live preview. Without an open
 * folder it asks for one and opens it (VS Code reloads the window to do that).
 */
export async function newSpecFromTemplate(extensionUri: vscode.Uri, templateName?: string): Promise<vscode.Uri | undefined> {
  const templates = listTemplates(vscode.Uri.joinPath(extensionUri, 'templates').fsPath);
  const template = templateName ? templates.find((t) => t.name === templateName) : await pickTemplate(templates);
  if (!template) {
    if (templateName) void vscode.window.showErrorMessage(`kpispec: no template "${templateName}"; the templates are ${templates.map((t) => t.name).join(', ')}.`);
    return undefined;
  }
  const folder = await pickFolder();
  if (!folder) return undefined;
  const target = await freeTarget(template, folder.uri.fsPath);
  if (!target) return undefined;

  for (const file of template.files) {
    const to = path.join(target, file);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(path.join(template.dir, file), to);
  }
  const spec = vscode.Uri.file(path.join(target, template.files.find((f) => /^[^/]+\.kpi\.ya?ml$/.test(f))!));
  if (!folder.inWorkspace) {
    await vscode.commands.executeCommand('vscode.openFolder', folder.uri);
    return spec;
  }
  await vscode.window.showTextDocument(spec, { preview: false });
  await vscode.commands.executeCommand('kpispec.openPreviewToSide', spec);
  const readme = vscode.Uri.file(path.join(target, 'README.md'));
  const where = target === folder.uri.fsPath ? 'the workspace folder' : `${path.relative(folder.uri.fsPath, target)}/`;
  void vscode.window.showInformationMessage(`kpispec: wrote the ${template.name} template (${template.title}) into ${where}. Its README says how to point the sources at your own exports.`, 'Open README').then((a) => a && vscode.commands.executeCommand('markdown.showPreview', readme));
  return spec;
}

async function pickTemplate(templates: Template[]): Promise<Template | undefined> {
  const items = templates.map((t) => ({ label: t.title, description: t.name, detail: t.description, template: t }));
  const picked = await vscode.window.showQuickPick(items, { title: 'New KPI Spec from Template', placeHolder: 'the business the KPIs are for (each template comes with a year of sample data)', matchOnDescription: true, matchOnDetail: true });
  return picked?.template;
}

async function pickFolder(): Promise<{ uri: vscode.Uri; inWorkspace: boolean } | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 1) return { uri: folders[0]!.uri, inWorkspace: true };
  if (folders.length > 1) {
    const folder = await vscode.window.showWorkspaceFolderPick({ placeHolder: 'the folder to write the spec and its sample data into' });
    return folder && { uri: folder.uri, inWorkspace: true };
  }
  const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Create Spec Here', title: 'The folder for the new KPI spec' });
  return chosen?.[0] && { uri: chosen[0], inWorkspace: false };
}

/**
 * The folder to write into: the chosen one when none of the template's files exist there;
 * otherwise the user says whether to overwrite or to use a new sub-folder named after the template.
 */
async function freeTarget(template: Template, folder: string): Promise<string | undefined> {
  const clashes = template.files.filter((f) => fs.existsSync(path.join(folder, f)));
  if (!clashes.length) return folder;
  let sub = path.join(folder, template.name);
  for (let n = 2; fs.existsSync(sub); n++) sub = path.join(folder, `${template.name}-${n}`);
  const intoSub = `Write into ${path.basename(sub)}/`;
  const answer = await vscode.window.showWarningMessage(
    `${clashes.length === 1 ? 'A file' : `${clashes.length} files`} of the ${template.name} template already exist here: ${clashes.slice(0, 4).join(', ')}${clashes.length > 4 ? ', …' : ''}.`,
    { modal: true },
    intoSub,
    'Overwrite',
  );
  if (answer === 'Overwrite') return folder;
  return answer === intoSub ? sub : undefined;
}
