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
});
