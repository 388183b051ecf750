/** `npm run reset`: wipes the local stack's state (users, QR objects, mail) and outputs.local.json. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../infra/paths';

rmSync(join(ROOT, '.local'), { recursive: true, force: true });
rmSync(join(ROOT, 'outputs.local.json'), { force: true });
console.log('Local state wiped: .local/ and outputs.local.json. The next npm start begins empty.');
