import { afterEach, describe, expect, it, jest } from '@jest/globals';
import {
  StatusPoller,
  errorText,
  isAwaitingConfirmation,
  reduceErrors,
  rowActionsFor,
  statusPresentation,
  toTableRow,
  type CredentialRowDto,
} from 'c/avochatoSetupUtils';
import { advance } from '../../__tests__/setupTabTestUtils';

const base: CredentialRowDto = {
  key: 'a01000000000001AAA',
  userId: '005000000000001AAA',
  fullName: 'Ada Admin',
  username: 'ada@example.com',
  email: 'ada@example.com',
  userActive: true,
  credentialId: 'a01000000000001AAA',
  authId: 'FAKE-AUTH',
  inbox: 'acme',
  isDefault: false,
  isActive: true,
  status: 'Pending',
  statusMessage: null,
  confirmedAt: null,
  lastModified: null,
};

describe('status presentation', () => {
  it('maps each state to an icon, a colour and an alternative text', () => {
    expect(statusPresentation(base)).toEqual({
      label: 'Pending',
      icon: 'utility:warning',
      variant: 'warning',
      alternativeText: 'Pending confirmation',
    });
    expect(statusPresentation({ ...base, status: 'Confirmed' })).toMatchObject({
      icon: 'utility:success',
      variant: 'success',
    });
    expect(statusPresentation({ ...base, status: 'Failed' })).toMatchObject({
      icon: 'utility:error',
      variant: 'error',
    });
    expect(statusPresentation({ ...base, isActive: false, status: null })).toEqual({
      label: 'Inactive',
      icon: 'utility:toggle_off',
      variant: null,
      alternativeText: 'Inactive',
    });
    expect(statusPresentation({ ...base, isActive: false, status: 'Confirmed' }).variant).toBeNull();
    expect(statusPresentation({ ...base, credentialId: null })).toMatchObject({ icon: null, variant: null });
  });

  it('gives each table row the colour of its status', () => {
    expect(toTableRow({ ...base, status: 'Confirmed' }).statusVariant).toBe('success');
    expect(toTableRow({ ...base, status: 'Pending' }).statusVariant).toBe('warning');
    expect(toTableRow({ ...base, status: 'Failed' }).statusVariant).toBe('error');
  });

  it('builds the table row fields', () => {
    expect(toTableRow(base).userLogin).toBe('ada@example.com');
    expect(toTableRow({ ...base, email: null }).userLogin).toBe('ada@example.com');
    expect(toTableRow({ ...base, email: 'other@example.com' }).userLogin).toBe('ada@example.com / other@example.com');
    expect(toTableRow({ ...base, userActive: false }).userLabel).toBe('Ada Admin (inactive user)');
  });

  it('knows which credentials still wait for their confirmation', () => {
    expect(isAwaitingConfirmation(base)).toBe(true);
    expect(isAwaitingConfirmation({ ...base, isActive: false })).toBe(false);
    expect(isAwaitingConfirmation({ ...base, status: 'Confirmed' })).toBe(false);
    expect(isAwaitingConfirmation({ ...base, credentialId: null })).toBe(false);
  });
});

describe('row actions', () => {
  const names = (row: CredentialRowDto) => rowActionsFor(row).map((a) => a.name);

  it('offers only what applies', () => {
    expect(names({ ...base, credentialId: null })).toEqual(['add_credential']);
    expect(names(base)).toEqual(['add_credential', 'make_default', 'deactivate', 'confirm']);
    expect(names({ ...base, status: 'Confirmed', isDefault: true })).toEqual(['add_credential', 'deactivate']);
    expect(names({ ...base, status: 'Confirmed' })).toEqual(['add_credential', 'make_default', 'deactivate']);
    expect(names({ ...base, isActive: false })).toEqual(['add_credential', 'activate']);
  });

  it('disables adding a credential for an inactive user', () => {
    expect(rowActionsFor({ ...base, userActive: false, credentialId: null })).toEqual([
      { label: 'Add API Credential', name: 'add_credential', disabled: true },
    ]);
  });
});

describe('error messages', () => {
  it('reads Apex, DML, JavaScript and plain errors without duplicates', () => {
    expect(reduceErrors({ body: { message: 'Plain words.' } })).toEqual(['Plain words.']);
    expect(
      reduceErrors([
        { body: [{ message: 'One.' }, { message: 'One.' }] },
        { body: { pageErrors: [{ message: 'Two.' }], fieldErrors: { Auth_Id__c: [{ message: 'Three.' }] } } },
        { body: { output: { errors: [{ message: 'Four.' }], fieldErrors: { Inbox__c: [{ message: 'Five.' }] } } } },
        new Error('Six.'),
        'Seven.',
        null,
      ]),
    ).toEqual(['One.', 'Two.', 'Three.', 'Four.', 'Five.', 'Six.', 'Seven.']);
  });

  it('falls back to a sentence, never a stack trace', () => {
    expect(errorText({ body: {} })).toBe(
      'Something went wrong. Try again, and ask your Salesforce administrator if it persists.',
    );
    expect(errorText(undefined)).toContain('Something went wrong');
    // an unhandled Apex exception arrives with its stack trace in the body: only the message is shown
    expect(
      errorText({
        body: {
          message: 'The credential could not be read.',
          exceptionType: 'System.QueryException',
          stackTrace: 'Class.AvochatoSetupController.getRows: line 42, column 1',
        },
      }),
    ).toBe('The credential could not be read.');
  });
});

describe('StatusPoller', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('polls with back-off until the work is done', async () => {
    jest.useFakeTimers();
    let remaining = 3;
    const tick = jest.fn(() => Promise.resolve(--remaining > 0));
    const poller = new StatusPoller(tick, [100, 200]);

    poller.start();
    expect(poller.active).toBe(true);
    jest.advanceTimersByTime(99);
    expect(tick).not.toHaveBeenCalled();
    await advance(1);
    expect(tick).toHaveBeenCalledTimes(1);
    await advance(200);
    await advance(200);
    expect(tick).toHaveBeenCalledTimes(3);
    expect(poller.active).toBe(false);
    jest.advanceTimersByTime(10000);
    expect(tick).toHaveBeenCalledTimes(3);
  });

  it('keeps polling after an error, and stops on request or after the time limit', async () => {
    jest.useFakeTimers();
    const tick = jest.fn(() => Promise.reject(new Error('offline')));
    const poller = new StatusPoller(tick, [100], 250);

    poller.start();
    await advance(100);
    await advance(100);
    expect(tick).toHaveBeenCalledTimes(2);
    await advance(100);
    await advance(1000);
    expect(tick).toHaveBeenCalledTimes(3);

    poller.start();
    poller.stop();
    jest.advanceTimersByTime(1000);
    expect(tick).toHaveBeenCalledTimes(3);
    expect(poller.active).toBe(false);
  });
});
