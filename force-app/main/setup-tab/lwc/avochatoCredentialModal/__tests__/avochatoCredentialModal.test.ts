import { createElement } from 'lwc';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import AvochatoCredentialModal from 'c/avochatoCredentialModal';
import createCredential from '@salesforce/apex/AvochatoSetupController.createCredential';
import type { CredentialRowDto } from 'c/avochatoSetupUtils';
import createdJson from '../../avochatoCredentialTable/__tests__/data/createCredentialRows.json';
import { alertOf, flush, resetDom } from '../../__tests__/setupTabTestUtils';

jest.mock('@salesforce/apex/AvochatoSetupController.createCredential', () => ({ default: jest.fn() }), {
  virtual: true,
});

const mockCreate = jest.mocked(createCredential);
const CREATED = createdJson as CredentialRowDto[];
const FAKE_SECRET = 'fake-secret-not-real';

interface InputStub extends HTMLElement {
  label: string;
  type: string;
  required: boolean;
  maxLength: number;
  value: string;
  checked: boolean;
}

function mount(): { element: HTMLElement; closed: unknown[] } {
  const element = createElement('c-avochato-credential-modal', { is: AvochatoCredentialModal });
  Object.assign(element, { userId: '005000000000004AAA', userName: 'Jane Roe' });
  const closed: unknown[] = [];
  element.addEventListener('close', (e) => closed.push((e as CustomEvent).detail));
  document.body.appendChild(element);
  return { element, closed };
}

function input(element: HTMLElement, id: string): InputStub {
  return element.shadowRoot!.querySelector(`lightning-input[data-id="${id}"]`) as InputStub;
}

function type(element: HTMLElement, id: string, value: string | boolean): void {
  const field = input(element, id);
  if (typeof value === 'boolean') {
    field.checked = value;
    field.dispatchEvent(new CustomEvent('change', { detail: { checked: value } }));
  } else {
    field.value = value;
    field.dispatchEvent(new CustomEvent('change', { detail: { value } }));
  }
}

function click(element: HTMLElement, id: string): void {
  element.shadowRoot!.querySelector<HTMLElement>(`lightning-button[data-id="${id}"]`)!.click();
}

/** Enters the values into their fields, in this order, clicks Create and lets the save finish. */
async function createWith(element: HTMLElement, values: Record<string, string | boolean>): Promise<void> {
  for (const [id, value] of Object.entries(values)) type(element, id, value);
  click(element, 'create');
  await flush();
}

function fieldErrors(element: HTMLElement): string[] {
  return [...element.shadowRoot!.querySelectorAll('[data-id="field-errors"] li')].map((li) => li.textContent ?? '');
}

describe('c-avochato-credential-modal', () => {
  afterEach(resetDom);

  it('asks for the Auth Id, the masked Auth Secret, the inbox and the default flag', () => {
    const { element } = mount();

    expect((element.shadowRoot!.querySelector('lightning-modal-header') as HTMLElement & { label: string }).label).toBe(
      'Add API Credential for Jane Roe',
    );
    const fields = [...element.shadowRoot!.querySelectorAll('lightning-input')] as InputStub[];
    expect(fields.map((f) => [f.label, f.type ?? 'text', !!f.required, f.maxLength ?? null])).toEqual([
      ['Auth Id', 'text', true, 80],
      ['Auth Secret', 'password', true, 255],
      ['Avochato Inbox', 'text', false, 255],
      ['Default Credential', 'checkbox', false, null],
    ]);
    const buttons = [...element.shadowRoot!.querySelectorAll('lightning-button')] as (HTMLElement & {
      label: string;
    })[];
    expect(buttons.map((b) => b.label)).toEqual(['Cancel', 'Create Credential']);
  });

  it('validates every field before sending anything', async () => {
    const { element, closed } = mount();

    click(element, 'create');
    await flush();
    expect(fieldErrors(element)).toEqual(['Enter the Auth Id.', 'Enter the Auth Secret.']);
    await createWith(element, { authId: 'X'.repeat(81), authSecret: 'S'.repeat(256), inbox: 'i'.repeat(256) });
    expect(fieldErrors(element)).toEqual([
      'The Auth Id can have at most 80 characters.',
      'The Auth Secret can have at most 255 characters.',
      'The inbox can have at most 255 characters.',
    ]);
    await createWith(element, { authId: 'HAS SPACE', authSecret: FAKE_SECRET, inbox: '' });
    expect(fieldErrors(element)).toEqual(['The Auth Id cannot contain spaces.']);

    expect(mockCreate).not.toHaveBeenCalled();
    expect(closed).toEqual([]);
  });

  it('creates the credential, forgets the secret and closes with the new rows', async () => {
    const sent: Record<string, unknown>[] = [];
    // record a copy of the arguments at call time (the component wipes the secret from them afterwards)
    const recordCall = (params?: Record<string, unknown>) => {
      sent.push({ ...params });
      return Promise.resolve(CREATED);
    };
    mockCreate.mockImplementation(recordCall as unknown as typeof createCredential);
    const { element, closed } = mount();
    await createWith(element, {
      authId: '  FAKE-AUTH-NEW ',
      authSecret: FAKE_SECRET,
      inbox: ' acme-new ',
      makeDefault: true,
    });

    expect(sent).toEqual([
      {
        userId: '005000000000004AAA',
        authId: 'FAKE-AUTH-NEW',
        authSecret: FAKE_SECRET,
        inbox: 'acme-new',
        makeDefault: true,
      },
    ]);
    // the argument object itself no longer holds the secret once the call returned
    expect(JSON.stringify(mockCreate.mock.calls)).not.toContain(FAKE_SECRET);
    expect(input(element, 'authSecret').value).toBe('');
    expect(closed).toEqual([{ rows: CREATED, authId: 'FAKE-AUTH-NEW', makeDefault: true }]);
    expect(JSON.stringify(closed)).not.toContain(FAKE_SECRET);
  });

  it('shows an Apex error in the modal, stays open and asks for the secret again', async () => {
    mockCreate.mockRejectedValue({
      body: { message: 'Auth Id: another Avochato API credential already uses this Auth Id.' },
    });
    const { element, closed } = mount();
    await createWith(element, { authId: 'FAKE-AUTH-DUP', authSecret: FAKE_SECRET });

    const error = alertOf(element, 'error')!.textContent;
    expect(error).toContain('another Avochato API credential already uses this Auth Id.');
    expect(error).toContain('Enter the Auth Secret again');
    expect(error).not.toContain(FAKE_SECRET);
    expect(input(element, 'authSecret').value).toBe('');
    expect(closed).toEqual([]);

    click(element, 'create');
    await flush();
    expect(fieldErrors(element)).toEqual(['Enter the Auth Secret.']);
    expect(mockCreate).toHaveBeenCalledTimes(1);
  });

  it('never shows the secret, even in an error that echoes it', async () => {
    mockCreate.mockRejectedValue({ body: { message: `Auth Secret: "${FAKE_SECRET}" was refused.` } });
    const { element } = mount();
    await createWith(element, { authId: 'FAKE-AUTH-ECHO', authSecret: FAKE_SECRET });

    const error = alertOf(element, 'error')!.textContent;
    expect(error).toContain('Auth Secret: "********" was refused.');
    expect(error).not.toContain(FAKE_SECRET);
    expect(input(element, 'authSecret').value).toBe('');
  });

  it('closes without a result on Cancel', () => {
    const { element, closed } = mount();

    type(element, 'authSecret', FAKE_SECRET);
    click(element, 'cancel');

    // close(undefined): LightningModal.open() resolves with undefined (the event carries detail null)
    expect(closed).toEqual([null]);
    expect(input(element, 'authSecret').value).toBe('');
    expect(mockCreate).not.toHaveBeenCalled();
  });
});
