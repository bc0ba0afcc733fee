import { defineConfig } from 'tsup';
import { packageConfig } from '../../scripts/build/package.tsup.mjs';

// Programs: cli (`weble-supervisor`), the loggers' store process and the alarm store's worker thread.
export default defineConfig(
  packageConfig(
    { index: 'src/index.ts' },
    {
      programs: {
        cli: 'src/cli.ts',
        'loggers-store': 'src/loggers/store/store-main.ts',
        'alarms-store': 'src/alarms/store/store-worker.ts',
      },
    },
  ),
);
