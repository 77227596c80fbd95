import type { Migration } from 'kysely';
import { m0001_meetings } from './migrations/0001-meetings';
import { m0002_meeting_e2ee_settings } from './migrations/0002-meeting-e2ee-settings';
import { m0003_accounts } from './migrations/0003-accounts';
import { m0004_legal } from './migrations/0004-legal';
import { m0005_transparency } from './migrations/0005-transparency';
import { m0006_report_groups_index } from './migrations/0006-report-groups-index';
import { m0007_mail_queue } from './migrations/0007-mail-queue';
import { m0008_recordings } from './migrations/0008-recordings';
import { m0009_cluster } from './migrations/0009-cluster';
import { m0010_composition_claims } from './migrations/0010-composition-claims';

/** Numbered, forward-only migrations shared by every SQL adapter (CONVENTIONS.md rule 8). */
export const migrations: Record<string, Migration> = {
  '0001-meetings': m0001_meetings,
  '0002-meeting-e2ee-settings': m0002_meeting_e2ee_settings,
  '0003-accounts': m0003_accounts,
  '0004-legal': m0004_legal,
  '0005-transparency': m0005_transparency,
  '0006-report-groups-index': m0006_report_groups_index,
  '0007-mail-queue': m0007_mail_queue,
  '0008-recordings': m0008_recordings,
  '0009-cluster': m0009_cluster,
  '0010-composition-claims': m0010_composition_claims,
};
