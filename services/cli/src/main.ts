import { Command } from 'commander';
import { registerStackCommands } from './commands/stack';
import { registerStartCommand } from './commands/start';
import { registerClassifyCommand } from './commands/classify';
import { registerRulesCommands } from './commands/rules';
import { registerSetupCommand } from './commands/setup';
import { registerProcessCommand } from './commands/process';
import { registerSimulateCommand } from './commands/simulate';
import { registerAuditCommand } from './commands/audit';
import { registerAbandonmentCommands } from './commands/abandonment';
import { registerReplayCommand } from './commands/replay';
import { SIPFLOW_VERSION } from './version';
import { registerDlqCommands } from './commands/dlq';

const program = new Command('sipflow')
  .description('Call-outcome stream processor: SIP final responses in, dispositions and actions out.')
  // commander's convention (-V, as `-h` is help): one line, the bare version, for scripts to parse
  .version(SIPFLOW_VERSION, '-V, --version', 'print the version and exit')
  .showHelpAfterError();

registerStartCommand(program);
registerStackCommands(program);
registerSetupCommand(program);
registerProcessCommand(program);
registerSimulateCommand(program);
registerReplayCommand(program);
registerClassifyCommand(program);
registerRulesCommands(program);
registerAuditCommand(program);
registerAbandonmentCommands(program);
registerDlqCommands(program);

await program.parseAsync(process.argv);
