import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listTemplates } from '../../server/src/cli/initTemplates';
import { runCli, tempWorkspace } from '../helpers/runCli';

interface EvalJson {
  periods: { key: string }[];
  kpis: { id: string; formula: string; series: { period: string; value: number | null }[] }[];
}

/** KPIs that compare with the period before have no value in the data's first period, and only there. */
const LOOKS_BACK = /\b(prev|growth)\(/;

function assertEveryKpiComputed(dir: string, spec: string): void {
  const r = runCli(['eval', spec, '--format', 'json'], dir);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as EvalJson;
  assert.ok(out.periods.length >= 12, `a year of sample data, got ${out.periods.length} periods`);
  assert.ok(out.kpis.length >= 4);
  for (const kpi of out.kpis) {
    const missing = kpi.series.filter((p) => typeof p.value !== 'number' || !Number.isFinite(p.value)).map((p) => p.period);
    const allowed = LOOKS_BACK.test(kpi.formula) ? [out.periods[0].key] : [];
    assert.deepEqual(missing.filter((p) => !allowed.includes(p)), [], `${kpi.id} (${kpi.formula}) has no data in these periods`);
    assert.equal(kpi.series.length, out.periods.length, `${kpi.id} has a value per period`);
  }
}

describe('kpispec init (command line)', () => {
  const templates = listTemplates();

  it('offers the templates sized to the business, smallest first, with the shop as the default', () => {
    assert.deepEqual(templates.map((t) => t.name).slice(0, 4), ['shop', 'dtc', 'b2b', 'enterprise']);
    const r = runCli(['init', '--list']);
    assert.equal(r.status, 0, r.stderr);
    for (const t of templates) assert.match(r.stdout, new RegExp(`^${t.name} +${t.title}: `, 'm'));
    assert.match(r.stdout, /^shop .*\(default\)$/m);
  });

  it('documents its options in --help and is listed in the main help', () => {
    const help = runCli(['init', '--help']);
    assert.equal(help.status, 0);
    for (const option of ['--template', '--dir', '--yes', '--force', '--list']) assert.ok(help.stdout.includes(option), option);
    assert.match(runCli(['--help']).stdout, /^ {2}init /m);
  });

  it('writes the default template into the current folder with --yes alone', () => {
    const dir = tempWorkspace({});
    const r = runCli(['init', '--yes'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(fs.existsSync(path.join(dir, 'shop.kpi.yaml')));
    assert.ok(fs.existsSync(path.join(dir, 'data/orders.csv')));
    assert.ok(!fs.existsSync(path.join(dir, 'template.json')), 'the template manifest stays behind');
    assert.match(r.stdout, /kpispec eval shop\.kpi\.yaml/);
  });

  for (const template of listTemplates()) {
    it(`${template.name}: check is clean and eval computes every KPI right after init`, () => {
      const dir = tempWorkspace({});
      const r = runCli(['init', '--template', template.name, '--dir', 'kpis', '--yes'], dir);
      assert.equal(r.status, 0, r.stderr);
      const ws = path.join(dir, 'kpis');
      const check = runCli(['check'], ws);
      assert.equal(check.status, 0, check.stdout + check.stderr);
      assert.equal(check.stdout.trim(), '✔ no problems');
      const spec = fs.readdirSync(ws).find((f) => f.endsWith('.kpi.yaml'));
      assert.ok(spec, 'a spec at the top of the folder');
      assertEveryKpiComputed(ws, spec);
      const readme = fs.readFileSync(path.join(ws, 'README.md'), 'utf8');
      assert.match(readme, /To use your own numbers/);
    });
  }

  it('enterprise: each team has a goal for the quarter and one for the year, and every KPI computes by quarter too', () => {
    const dir = tempWorkspace({});
    assert.equal(runCli(['init', '--template', 'enterprise', '--yes'], dir).status, 0);
    const r = runCli(['eval', 'enterprise.kpi.yaml', '--format', 'json'], dir);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      goals: { id: string; track: string }[];
      kpis: { id: string; series: { status: string }[] }[];
    };
    const spec = fs.readFileSync(path.join(dir, 'enterprise.kpi.yaml'), 'utf8');
    const goals = [...spec.matchAll(/^ {4}owner: (.+)\n {4}horizon: (short|long)\n {4}start: (\S+)\n {4}due: (\S+)$/gm)].map((m) => `${m[1]} ${m[2]} ${m[3]}…${m[4]}`);
    assert.deepEqual(goals.sort(), [
      'Brand & social long 2026-01…2026-12', 'Brand & social short 2026-Q4…2026-Q4',
      'CRM & email long 2026-01…2026-12', 'CRM & email short 2026-Q4…2026-Q4',
      'Growth marketing long 2026-01…2026-12', 'Growth marketing short 2026-Q4…2026-Q4',
      'Sales & retention long 2026-01…2026-12', 'Sales & retention short 2026-Q4…2026-Q4',
    ]);
    assert.equal(out.goals.length, 8);
    // the sample data shows a scorecard with news in it: KPIs met, at risk and missed, goals on and off track
    const latest = new Set(out.kpis.map((k) => k.series[k.series.length - 1].status));
    for (const status of ['met', 'at_risk', 'missed']) assert.ok(latest.has(status), `a KPI ${status} in the latest month`);
    const tracks = new Set(out.goals.map((g) => g.track));
    for (const track of ['on_track', 'off_track']) assert.ok(tracks.has(track), `a goal ${track}`);
    const quarters = runCli(['eval', 'enterprise.kpi.yaml', '--grain', 'quarter', '--format', 'json'], dir);
    assert.equal(quarters.status, 0, quarters.stderr);
    const byQuarter = JSON.parse(quarters.stdout) as EvalJson;
    assert.deepEqual(byQuarter.periods.map((p) => p.key), ['2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']);
    for (const kpi of byQuarter.kpis) {
      assert.ok(kpi.series.every((p) => typeof p.value === 'number' && Number.isFinite(p.value)), `${kpi.id} has a value every quarter`);
    }
  });

  it('refuses to overwrite existing files, naming them, unless --force', () => {
    const dir = tempWorkspace({ 'shop.kpi.yaml': 'kpispec: 1\n# mine\n', 'data/orders.csv': 'mine\n' });
    const r = runCli(['init', '--yes'], dir);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^kpispec: init would overwrite 2 files that exist in \.: data\/orders\.csv, shop\.kpi\.yaml; pass --force/);
    assert.equal(fs.readFileSync(path.join(dir, 'shop.kpi.yaml'), 'utf8'), 'kpispec: 1\n# mine\n');
    assert.ok(!fs.existsSync(path.join(dir, 'data/ad_spend.csv')), 'nothing written when refusing');
    const forced = runCli(['init', '--yes', '--force'], dir);
    assert.equal(forced.status, 0, forced.stderr);
    assert.match(fs.readFileSync(path.join(dir, 'shop.kpi.yaml'), 'utf8'), /^kpispec: 1\nname: Online shop scorecard/);
  });

  it('names the templates when given an unknown one, and takes no positional folder', () => {
    const dir = tempWorkspace({});
    const r = runCli(['init', '--template', 'shpo', '--yes'], dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown template "shpo" \(did you mean "shop"\?\); the templates are shop, dtc, b2b, enterprise/);
    const positional = runCli(['init', 'somewhere'], dir);
    assert.equal(positional.status, 2);
    assert.match(positional.stderr, /unexpected argument "somewhere": init takes no arguments \(the folder is --dir\)/);
    assert.deepEqual(fs.readdirSync(dir), []);
  });
});
