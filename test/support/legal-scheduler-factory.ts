import { DEFAULT_TIME_RULES } from '../../apps/server/src/modules/legal/deadlines';
import { NoticeScheduler } from '../../apps/server/src/modules/legal/notice-scheduler';
import { NoticeService } from '../../apps/server/src/modules/legal/notice-service';
import { sqlStores } from '../../apps/server/src/storage/sql-stores';
import { testCipher } from '../../apps/server/src/storage/test-cipher';

export type Db = Parameters<typeof sqlStores>[0];

/** A scheduler as another process would build it: its own connection and id. */
export function schedulerOn(db: Db, now: () => Date): NoticeScheduler {
  const s = sqlStores(db, testCipher());
  const notices = new NoticeService({ store: s.legal, directory: s.subjects, clock: now });
  return new NoticeScheduler({
    store: s.legal,
    notices,
    directory: s.subjects,
    clock: now,
    rules: DEFAULT_TIME_RULES,
    baseUrl: () => 'http://localhost',
  });
}
