import { describe, expect, it } from 'vitest';
import { yesNo } from '../../../sources/foi/answers.ts';

/** q1 "Does the trust accept referrals for children aged under two?" answered in the words trusts use. */
describe('yes or no, said without the word', () => {
  it.each([
    'The Trust does not accept referrals for children under the age of two.',
    'Our CAMHS do not routinely see children under 2; they are supported by health visitors.',
    'The Trust only accepts referrals for children aged 2 and over.',
    'CAMHS only sees children from the age of two.',
    'Under twos are not seen by our services.',
    'The Trust is not commissioned to provide a service for this age group.',
    'There is no service for children under two in the Trust.',
    // A joint reply for two trusts: "Trust hosts" inside must not read as yes.
    'Neither Trust hosts a specialist parent-infant team.',
    'Neither of the Trusts accepts referrals for children under two.',
  ])('no: %s', (text) => expect(yesNo(text)).toBe(false));

  it.each([
    ['Accept referrals under two: Yes', true],
    ['Accepts under-two referrals: Yes', true],
    ['Accept referrals under two: Yes (CAMHS and the Perinatal Parent-Infant service).', true],
    ['– Yes.', true],
    ['– No.', false],
    ['Specialist parent-infant relationship team No.', false],
    // v14 corpus: a quoted answer, and the trust by its name.
    [
      '“Yes” – NELFT’s Perinatal Parent-Infant Mental Health Service accepts referrals for babies up to 24 months.',
      true,
    ],
    ['Oxford Health accepts referrals for children under two into its Perinatal and CAMHS services.', true],
  ])('a label then its answer: %s', (text, want) => expect(yesNo(text)).toBe(want));

  it.each([
    'Yes, referrals are accepted into CAMHS.',
    'The Trust accepts referrals for children of all ages.',
    'Referrals for under twos are accepted by the perinatal service.',
    'Both Trusts accept referrals for children aged under two.',
  ])('yes: %s', (text) => expect(yesNo(text)).toBe(true));

  it.each([
    'Please see the table below.',
    'The Trust only accepts referrals for children aged 0-23 months via the GP.',
  ])('neither: %s', (text) => expect(yesNo(text)).toBeNull());
});
