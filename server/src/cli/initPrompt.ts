import * as readline from 'node:readline/promises';
import type { Template } from './initTemplates';

/** What the user chose at the prompts; undefined when they declined to write. */
export interface InitAnswers {
  template: string;
  dir: string;
}

/**
 * Asks on the terminal for what the options did not say: the template (by number or name)
 * and the folder, each with a default that Enter accepts, then a yes/no before writing.
 */
export async function promptInit(
  templates: Template[],
  given: { template?: string; dir?: string },
  defaults: { template: string; dir: string },
): Promise<InitAnswers | undefined> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  try {
    let template = given.template;
    if (!template) {
      process.stdout.write('Templates:\n');
      templates.forEach((t, i) => process.stdout.write(`  ${i + 1}. ${t.name.padEnd(11)} ${t.title}: ${t.description}\n`));
      const fallback = templates.findIndex((t) => t.name === defaults.template) + 1;
      while (!template) {
        const answer = (await rl.question(`Template (1-${templates.length} or a name) [${fallback}]: `)).trim();
        template = pickTemplate(templates, answer || String(fallback));
        if (!template) process.stdout.write(`  "${answer}" is not a template; answer a number from 1 to ${templates.length} or a name.\n`);
      }
    }
    const dir = given.dir ?? ((await rl.question(`Folder [${defaults.dir}]: `)).trim() || defaults.dir);
    const go = (await rl.question(`Write the "${template}" template into ${dir}? [Y/n]: `)).trim().toLowerCase();
    return go === '' || go === 'y' || go === 'yes' ? { template, dir } : undefined;
  } finally {
    rl.close();
  }
}

function pickTemplate(templates: Template[], answer: string): string | undefined {
  const n = Number(answer);
  if (Number.isInteger(n) && n >= 1 && n <= templates.length) return templates[n - 1].name;
  return templates.find((t) => t.name === answer.toLowerCase())?.name;
}
