import ExcelJS from 'exceljs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deskApp } from '../../../pipeline/desk/app.ts';
import { ingest } from '../../../pipeline/ingest/job.ts';
import { labelMapFor, unmatchedLabels } from '../../../pipeline/ingest/questionnaire/label-map.ts';
import { waveProcessor } from '../../../pipeline/ingest/questionnaire/reread.ts';
import type { Ctx } from '../../../pipeline/runtime/ctx.ts';
import { loadQuestionList } from '../../../schemas/waves/index.ts';
import { testCtx } from '../../support/ctx.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';

const list = loadQuestionList(2019);

/** A 2019 hand-made workbook: labels in column A, answers in B. */
async function handWorkbook(path: string, team: string, extra: [string, string | number][]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Survey');
  for (const r of [
    ['Name of the team', team],
    ['Nation (England / Scotland / Wales / NI)', 'England'],
    ...extra,
    ['Your name', 'Sam Example'],
  ])
    ws.addRow(r);
  writeFileSync(path, Buffer.from(await wb.xlsx.writeBuffer()));
}

describe('the desk label mapping', { timeout: 120_000 }, () => {
  let t: TestDb;
  let ctx: Ctx;
  let app: ReturnType<typeof deskApp>;
  let cookie = '';
  let token = '';
  const post = (path: string, form: Record<string, string>) =>
    app.request(path, {
      method: 'POST',
      body: new URLSearchParams(form),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    });
  const hosted = async (team: string) =>
    (
      await t.pool.query(
        `select a.text_value from answer a join questionnaire_return r on r.id = a.return_id
         join answer n on n.return_id = r.id and n.question_id = 'team_name'
         where n.text_value = $1 and a.question_id = 'host_organisation' and r.state = 'loaded'`,
        [team],
      )
    ).rows.map((r) => r.text_value);

  beforeAll(async () => {
    t = await freshDatabase();
    ctx = testCtx(t);
    const inbox = mkdtempSync(join(tmpdir(), 'desk-labels-'));
    await handWorkbook(join(inbox, 'alder.xlsx'), 'Alder Babies', [['Hosted by', 'Alder NHS Trust']]);
    await handWorkbook(join(inbox, 'birch.xlsx'), 'Birch Babies', [['Favourite biscuit', 'CANARY-BISCUIT']]);
    await ingest({ paths: [inbox], wave: 2019, processor: await waveProcessor(ctx, 2019), command: 'test' }, ctx);
    app = deskApp({ ctx: () => ({ ...ctx }) });
    const first = await app.request('/waves/2019/labels');
    token = /desk_csrf=([^;]+)/.exec(first.headers.get('set-cookie') ?? '')![1]!;
    cookie = `desk_csrf=${token}`;
  });
  afterAll(async () => {
    await t.drop();
  });

  it('lists each unmatched label with its files and candidates, never its example answer', async () => {
    const labels = await unmatchedLabels(t.db, list);
    expect(labels.map((l) => l.label).sort()).toEqual(['Favourite biscuit', 'Hosted by']);
    const html = await (await app.request('/waves/2019/labels', { headers: { cookie } })).text();
    for (const l of labels) {
      expect(html).toContain(l.label);
      for (const c of l.candidates) expect(html).toContain(`value="${c.questionId}"`);
    }
    expect(html).toContain('alder.xlsx');
    expect(html).not.toContain('CANARY-BISCUIT');
    expect(html).not.toContain('Alder NHS Trust');
  });

  it('maps a label in one click through census questions map: stored under the name, the file read again', async () => {
    expect((await post('/waves/2019/labels/map', { label: 'Hosted by', question: 'host_organisation' })).status).toBe(
      403,
    );
    const ask = await post('/waves/2019/labels/map', {
      label: 'Hosted by',
      question: 'host_organisation',
      csrf: token,
    });
    expect(ask.headers.get('location')).toBe('/name?next=%2Fwaves%2F2019%2Flabels');
    await post('/name', { name: 'A. Lee', next: '/', csrf: token });
    const wrong = await post('/waves/2019/labels/map', { label: 'Hosted by', question: 'no_such_q', csrf: token });
    expect(wrong.status).toBe(400);
    expect(await labelMapFor(t.db, 2019)).toEqual([]);
    expect(await hosted('Alder Babies')).not.toContain('Alder NHS Trust');
    const res = await post('/waves/2019/labels/map', {
      label: 'Hosted by',
      question: 'host_organisation',
      csrf: token,
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/waves/2019/labels?reread=1');
    expect(await hosted('Alder Babies')).toEqual(['Alder NHS Trust']);
    const audit = await t.pool.query("select distinct actor from audit_log where action like '%map%'");
    expect(audit.rows).toEqual([{ actor: 'A. Lee' }]);
    const ignore = await post('/waves/2019/labels/map', {
      label: 'Favourite biscuit',
      question: 'ignore',
      csrf: token,
    });
    expect(ignore.status).toBe(303);
    const html = await (await app.request('/waves/2019/labels?reread=1', { headers: { cookie } })).text();
    expect(html).toContain('No unmatched labels in wave 2019.');
    expect(html).toContain('1 file(s) read again');
  });

  it('says a wave with no questionnaire has no labels to map', async () => {
    const res = await app.request('/waves/2024/labels', { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Wave 2024 has no questionnaire.');
  });
});
