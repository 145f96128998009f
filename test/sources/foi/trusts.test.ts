import { describe, expect, it } from 'vitest';
import {
  currentSuccessor,
  domainLabel,
  loadTrusts,
  matchTrust,
  normaliseTrustName,
  trustsFromCsv,
} from '../../../sources/foi/trusts.ts';

const list = loadTrusts();
const HEADER = 'ods_code,name,region,postcode,mh_confidence,opened,closed,successor_ods_code';

describe('the reference trust list', () => {
  it('loads every row, with successors and a content version', () => {
    expect(list.trusts).toHaveLength(53);
    expect(list.byOds.get('RRP')).toMatchObject({ closed: '2024-10-31', successorOdsCode: 'G6V2S' });
    expect(list.byOds.get('TAD')?.postcode).toBeNull();
    expect(list.version).toMatch(/^[0-9a-f]{64}$/);
  });

  it('follows a chain of successors to the trust that exists today', () => {
    const chain = trustsFromCsv(
      [
        HEADER,
        'AAA,Alpha NHS Trust,London,,listed,,2020-01-01,BBB',
        'BBB,Beta NHS Trust,London,,listed,,2022-01-01,CCC',
        'CCC,Gamma NHS Trust,London,,listed,,,',
      ].join('\n'),
    );
    expect(currentSuccessor('AAA', chain)).toBe('CCC');
    expect(matchTrust({ ods: 'AAA' }, chain)).toEqual({
      odsCode: 'CCC',
      method: 'successor',
      score: 1,
      original: { odsCode: 'AAA', method: 'ods' },
    });
  });
});

describe('matching by ODS code', () => {
  it('matches a code whatever its case and spacing', () => {
    expect(matchTrust({ ods: ' rpg ' }, list)).toEqual({ odsCode: 'RPG', method: 'ods', score: 1 });
  });

  it('maps a merged trust to its successor and keeps the original', () => {
    expect(matchTrust({ ods: 'RRP' }, list)).toEqual({
      odsCode: 'G6V2S',
      method: 'successor',
      score: 1,
      original: { odsCode: 'RRP', method: 'ods' },
    });
    expect(matchTrust({ ods: 'R1C' }, list)?.odsCode).toBe('RW1');
  });

  it('falls back to the name when the code is not in the list', () => {
    expect(matchTrust({ ods: 'ZZZ', name: 'Oxleas' }, list)).toEqual({ odsCode: 'RPG', method: 'name', score: 1 });
  });
});

describe('matching by name', () => {
  it('drops NHS, Foundation, Trust and FT, reads & as and, MH as mental health', () => {
    expect(normaliseTrustName('South London & Maudsley NHS Foundation Trust')).toBe('south london maudsley');
    expect(matchTrust({ name: 'Oxleas NHS FT' }, list)).toEqual({ odsCode: 'RPG', method: 'name', score: 1 });
    expect(matchTrust({ name: 'Birmingham & Solihull MH FT' }, list)?.odsCode).toBe('RXT');
    expect(matchTrust({ name: 'South West London and St Georges Mental Health' }, list)).toEqual({
      odsCode: 'RQY',
      method: 'name',
      score: 1,
    });
  });

  it('matches a shortened name loosely, with a score below 1', () => {
    const m = matchTrust({ name: 'Birmingham and Solihull' }, list);
    expect(m?.odsCode).toBe('RXT');
    expect(m!.score).toBeLessThan(1);
  });

  it('never reads "South West London" as West London NHS Trust', () => {
    expect(matchTrust({ name: 'South West London' }, list)?.odsCode).not.toBe('RKL');
  });

  it('gives no match when a name fits several trusts equally', () => {
    expect(matchTrust({ name: 'London' }, list)).toBeNull();
    expect(matchTrust({ name: 'NHS Trust' }, list)).toBeNull();
  });

  it('maps a merged trust found by name to its successor', () => {
    expect(matchTrust({ name: 'Camden and Islington NHS Foundation Trust' }, list)).toEqual({
      odsCode: 'G6V2S',
      method: 'successor',
      score: 1,
      original: { odsCode: 'TAF', method: 'name' },
    });
  });
});

describe('matching by e-mail domain (weak heuristic)', () => {
  it.each([
    ['foi@oxleas.nhs.uk', 'RPG'],
    ['slam.nhs.uk', 'RV5'],
    ['x@cntw.nhs.uk', 'RX4'],
    ['foi@swlstg.nhs.uk', 'RQY'],
    ['a@bsmhft.nhs.uk', 'RXT'],
    ['a@berkshirehealthcare.nhs.uk', 'RWX'],
    ['a@merseycare.nhs.uk', 'RW4'],
    ['a@tewv.nhs.uk', 'RX3'],
  ])('reads %s as %s from initials or whole words of the name', (address, ods) => {
    expect(matchTrust({ emailDomain: address }, list)).toEqual({ odsCode: ods, method: 'domain', score: 0.9 });
  });

  it('gives no match for shared mail hosts', () => {
    expect(domainLabel('someone@nhs.net')).toBeNull();
    expect(matchTrust({ emailDomain: 'foi@nhs.net' }, list)).toBeNull();
    expect(matchTrust({ emailDomain: 'me@gmail.com' }, list)).toBeNull();
  });

  it('gives no match when initials fit two trusts (nhft: Nottinghamshire and Northamptonshire)', () => {
    expect(matchTrust({ emailDomain: 'foi@nhft.nhs.uk' }, list)).toBeNull();
  });

  it('reads a domain kept from an old name through the name history, still as loose evidence', () => {
    const m = matchTrust({ emailDomain: 'foi@southernhealth.nhs.uk' }, list);
    expect(m).toMatchObject({ odsCode: 'RW1', method: 'domain' });
    expect(m!.score).toBeLessThan(1);
  });

  it('maps a merged trust found by domain to its successor', () => {
    expect(matchTrust({ emailDomain: 'foi@candi.nhs.uk' }, list)).toMatchObject({
      odsCode: 'G6V2S',
      method: 'successor',
      original: { odsCode: 'TAF', method: 'domain' },
    });
  });

  it('prefers the ODS code and the name to the domain', () => {
    expect(matchTrust({ ods: 'RPG', emailDomain: 'slam.nhs.uk' }, list)?.method).toBe('ods');
    expect(matchTrust({ name: 'Oxleas', emailDomain: 'slam.nhs.uk' }, list)?.odsCode).toBe('RPG');
  });
});
