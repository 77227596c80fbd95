// A second process for the scheduler test: opens the SQLite file, runs one pass at the given
// instant and prints its report as JSON.
import { openSqlite } from '../../apps/server/src/storage/sqlite/database';
import { schedulerOn } from './legal-scheduler-factory';

const [file, iso] = process.argv.slice(2) as [string, string];
const db = await openSqlite(file);
const report = await schedulerOn(db, () => new Date(iso)).tick();
await db.destroy();
process.stdout.write(JSON.stringify(report));
