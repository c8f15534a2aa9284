/**
 * Runs every cursor-driven editor feature at every offset of the texts given as JSON in
 * argv[2]. It is run in a child process with a time limit, so a feature that loops forever
 * fails the calling test instead of hanging the suite.
 */
import { codeActions } from '../../server/src/services/codeActions';
import { codeLenses } from '../../server/src/services/codeLens';
import { completions } from '../../server/src/services/completion';
import { formulaCursor, yamlCursor } from '../../server/src/services/completionContext';
import { definition } from '../../server/src/services/definition';
import { documentLinks } from '../../server/src/services/documentLinks';
import { hover } from '../../server/src/services/hover';
import { prepareRename } from '../../server/src/services/rename';
import { semanticTokens } from '../../server/src/services/semanticTokens';
import { signatureHelp } from '../../server/src/services/signatureHelp';
import { documentSymbols } from '../../server/src/services/symbols';
import { DATA, snapshot } from './completionFixture';

const texts = JSON.parse(process.argv[2]!) as string[];
let calls = 0;
for (const text of texts) {
  const snap = snapshot(text, DATA);
  semanticTokens(snap);
  documentSymbols(snap);
  documentLinks(snap);
  codeLenses(snap);
  for (let offset = 0; offset <= text.length; offset++) {
    yamlCursor(text, offset);
    formulaCursor(snap, offset);
    completions(snap, offset);
    signatureHelp(snap, offset);
    hover(snap, offset);
    definition(snap, offset);
    prepareRename(snap, offset);
    codeActions(snap, [], { offset, length: 0 });
    calls += 8;
  }
}
process.stdout.write(String(calls));
