import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, tempWorkspace } from '../helpers/runCli';

const SPEC = 'kpispec: 1\nsources:\n  web: { file: web.csv, time: date }\nmetrics:\n  sessions: { source: web, agg: sum, column: sessions }\nkpis:\n  k: { formula: sesions }\n';

/** A second real LSP client: Neovim's built-in one, headless, against `kpispec lsp --stdio`. */
describe('language server in Neovim (headless)', function () {
  this.timeout(60_000);

  it('delivers the checker diagnostics to Neovim', () => {
    const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
    assert.equal(nvim.status, 0, 'Neovim must be installed (.ci/run installs Debian neovim)');
    const dir = tempWorkspace({ 'a.kpi.yaml': SPEC, 'web.csv': 'date,sessions\n2026-01-01,5\n' });
    const out = path.join(dir, 'diagnostics.json');
    const lua = path.join(dir, 'test.lua');
    fs.writeFileSync(lua, `
local client = vim.lsp.start_client({
  cmd = { ${JSON.stringify(process.execPath)}, ${JSON.stringify(path.join(REPO, 'dist/cli.js'))}, 'lsp', '--stdio' },
  root_dir = ${JSON.stringify(dir)},
  name = 'kpispec',
})
vim.cmd('edit ' .. ${JSON.stringify(path.join(dir, 'a.kpi.yaml'))})
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, client)
vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
local items = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  table.insert(items, { lnum = d.lnum, col = d.col, message = d.message, code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) })
end
local f = io.open(${JSON.stringify(out)}, 'w')
f:write(vim.fn.json_encode(items))
f:close()
vim.lsp.stop_client(client)
vim.cmd('qa!')
`);
    const r = spawnSync('nvim', ['--headless', '--clean', '-u', 'NONE', '-c', `luafile ${lua}`], { encoding: 'utf8', timeout: 45_000, cwd: dir });
    assert.ok(fs.existsSync(out), `Neovim wrote no diagnostics (exit ${r.status}): ${r.stderr}${r.stdout}`);
    const items = JSON.parse(fs.readFileSync(out, 'utf8')) as { lnum: number; col: number; message: string; code: string }[];
    const lines = SPEC.split('\n');
    const line = lines.findIndex((l) => l.includes('sesions'));
    const metric = lines.findIndex((l) => l.includes('sessions:'));
    assert.deepEqual(items.map((d) => [d.lnum, d.col, d.code, d.message]).sort(), [
      [line, lines[line]!.indexOf('sesions'), 'unknown-reference', 'unknown metric or KPI `sesions` (did you mean `sessions`?)'],
      [metric, lines[metric]!.indexOf('sessions'), 'unused-metric', 'metric `sessions` is not used by any KPI; use it in a formula or remove it'],
    ].sort());
  });

  it('answers Neovim’s call hierarchy and code action requests; the quick fix edits the buffer', () => {
    const dir = tempWorkspace({ 'a.kpi.yaml': SPEC.replace('  k: { formula: sesions }\n', '  k: { formula: sesions }\n  j: { formula: sessions * 2 }\n'), 'web.csv': 'date,sessions\n2026-01-01,5\n' });
    const file = path.join(dir, 'a.kpi.yaml');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const at = (needle: string) => {
      const line = lines.findIndex((l) => l.includes(needle));
      return { line, character: lines[line]!.indexOf(needle) };
    };
    const out = path.join(dir, 'answers.json');
    const lua = path.join(dir, 'test.lua');
    fs.writeFileSync(lua, `
local id = vim.lsp.start_client({
  cmd = { ${JSON.stringify(process.execPath)}, ${JSON.stringify(path.join(REPO, 'dist/cli.js'))}, 'lsp', '--stdio' },
  root_dir = ${JSON.stringify(dir)},
  name = 'kpispec',
})
vim.cmd('edit ' .. ${JSON.stringify(file)})
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, id)
vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
local client = vim.lsp.get_client_by_id(id)
local doc = { uri = vim.uri_from_bufnr(buf) }
local answers = {}
local prepared = client.request_sync('textDocument/prepareCallHierarchy', { textDocument = doc, position = ${luaTable(at('sessions:'))} }, 10000, buf)
local item = prepared.result[1]
answers.prepared = item.name
answers.incoming = {}
for _, call in ipairs(client.request_sync('callHierarchy/incomingCalls', { item = item }, 10000, buf).result) do table.insert(answers.incoming, call.from.name) end
answers.outgoing = {}
for _, call in ipairs(client.request_sync('callHierarchy/outgoingCalls', { item = item }, 10000, buf).result) do table.insert(answers.outgoing, call.to.name) end
-- The LSP diagnostic again, as Neovim's own code action request builds it (0.7 keeps its code and data, not its range).
local lsp_diagnostic
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local lsp = d.user_data and d.user_data.lsp
  if lsp and lsp.code == 'unknown-reference' then
    lsp_diagnostic = { code = lsp.code, data = lsp.data, message = d.message, severity = d.severity, source = d.source,
      range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } } }
  end
end
local response = client.request_sync('textDocument/codeAction', { textDocument = doc, range = lsp_diagnostic.range, context = { diagnostics = { lsp_diagnostic } } }, 10000, buf)
answers.error = response.err and vim.inspect(response.err)
local actions = response.result or {}
answers.actions = {}
for _, a in ipairs(actions) do
  table.insert(answers.actions, a.title)
  if a.edit and not answers.applied then
    vim.lsp.util.apply_workspace_edit(a.edit, 'utf-16')
    answers.applied = a.title
  end
end
answers.line = vim.api.nvim_buf_get_lines(buf, ${at('sesions').line}, ${at('sesions').line + 1}, false)[1]
local f = io.open(${JSON.stringify(out)}, 'w')
f:write(vim.fn.json_encode(answers))
f:close()
vim.lsp.stop_client(id)
vim.cmd('qa!')
`);
    const r = spawnSync('nvim', ['--headless', '--clean', '-u', 'NONE', '-c', `luafile ${lua}`], { encoding: 'utf8', timeout: 45_000, cwd: dir });
    assert.ok(fs.existsSync(out), `Neovim wrote no answers (exit ${r.status}): ${r.stderr}${r.stdout}`);
    const answers = JSON.parse(fs.readFileSync(out, 'utf8')) as { prepared: string; incoming: string[]; outgoing: string[]; actions: string[]; applied: string; line: string; error?: string };
    assert.equal(answers.prepared, 'sessions');
    assert.deepEqual(answers.incoming, ['j'], 'the KPI that names the metric (k misspells it)');
    assert.deepEqual(answers.outgoing, ['web'], 'the source the metric reads');
    assert.ok(answers.actions.length >= 1, `a quick fix is offered (${answers.error ?? 'no error'})`);
    assert.match(answers.applied, /sessions/);
    assert.equal(answers.line, '  k: { formula: sessions }', 'the quick fix edited the buffer');
  });

  it('formats a badly formatted spec to the canonical text with vim.lsp.buf.format; range formatting touches one definition', () => {
    const messy = fs.readFileSync(path.join(REPO, 'test/fixtures/format/messy.yaml'), 'utf8');
    const formatted = fs.readFileSync(path.join(REPO, 'test/fixtures/format/messy.formatted.yaml'), 'utf8');
    const ranged = 'kpispec: 1\nkpis:\n  a:\n      formula: x\n      title:  A\n  b:\n      formula: y\n      title:  B\n';
    const dir = tempWorkspace({ 'messy.kpi.yaml': messy, 'ranged.kpi.yaml': ranged });
    const out = path.join(dir, 'formatted.json');
    const lua = path.join(dir, 'test.lua');
    const line = ranged.split('\n').indexOf('      formula: y');
    fs.writeFileSync(lua, `
local id = vim.lsp.start_client({
  cmd = { ${JSON.stringify(process.execPath)}, ${JSON.stringify(path.join(REPO, 'dist/cli.js'))}, 'lsp', '--stdio' },
  root_dir = ${JSON.stringify(dir)},
  name = 'kpispec',
})
local answers = {}
vim.cmd('edit ' .. ${JSON.stringify(path.join(dir, 'messy.kpi.yaml'))})
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, id)
vim.wait(20000, function() local c = vim.lsp.get_client_by_id(id); return c ~= nil and c.initialized end, 50)
local client = vim.lsp.get_client_by_id(id)
answers.provider = client.server_capabilities.documentFormattingProvider
-- vim.lsp.buf.format since Neovim 0.8; formatting_sync before it (Debian ships 0.7).
if vim.lsp.buf.format then vim.lsp.buf.format({ async = false, timeout_ms = 10000 }) else vim.lsp.buf.formatting_sync(nil, 10000) end
answers.text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\\n') .. '\\n'
-- Range formatting: the definition under the range only.
vim.cmd('edit ' .. ${JSON.stringify(path.join(dir, 'ranged.kpi.yaml'))})
local rbuf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(rbuf, id)
local response = client.request_sync('textDocument/rangeFormatting', {
  textDocument = { uri = vim.uri_from_bufnr(rbuf) },
  range = { start = { line = ${line}, character = 0 }, ['end'] = { line = ${line}, character = 4 } },
  options = { tabSize = 2, insertSpaces = true },
}, 10000, rbuf)
answers.error = response.err and vim.inspect(response.err)
vim.lsp.util.apply_text_edits(response.result or {}, rbuf, 'utf-16')
answers.ranged = table.concat(vim.api.nvim_buf_get_lines(rbuf, 0, -1, false), '\\n') .. '\\n'
local f = io.open(${JSON.stringify(out)}, 'w')
f:write(vim.fn.json_encode(answers))
f:close()
vim.lsp.stop_client(id)
vim.cmd('qa!')
`);
    const r = spawnSync('nvim', ['--headless', '--clean', '-u', 'NONE', '-c', `luafile ${lua}`], { encoding: 'utf8', timeout: 45_000, cwd: dir });
    assert.ok(fs.existsSync(out), `Neovim wrote no answers (exit ${r.status}): ${r.stderr}${r.stdout}`);
    const answers = JSON.parse(fs.readFileSync(out, 'utf8')) as { provider: boolean; text: string; ranged: string; error?: string };
    assert.equal(answers.provider, true, 'documentFormattingProvider');
    assert.equal(answers.text, formatted);
    assert.equal(answers.error, undefined);
    assert.equal(answers.ranged, ranged.replace('  b:\n      formula: y\n      title:  B\n', '  b:\n    title: B\n    formula: y\n'));
  });
});

/** A position as a Lua table. */
function luaTable(p: { line: number; character: number }): string {
  return `{ line = ${p.line}, character = ${p.character} }`;
}
