import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpSchema } from '../../../pipeline/db/schema-dump.ts';
import { SQL_DIR } from '../../../pipeline/db/migrate.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';

describe('sql/schema.sql', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  it('matches the schema the migrations and views produce (regenerate with UPDATE_SCHEMA=1)', async () => {
    const actual = await dumpSchema(t.pool);
    const file = join(SQL_DIR, 'schema.sql');
    if (process.env.UPDATE_SCHEMA === '1') writeFileSync(file, actual);
    expect(
      existsSync(file),
      'sql/schema.sql is missing: run UPDATE_SCHEMA=1 npx vitest run test/pipeline/db/schema-dump.test.ts',
    ).toBe(true);
    expect(actual).toBe(readFileSync(file, 'utf8'));
  });
});
