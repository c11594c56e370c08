import { createElement, LightningElement } from 'lwc';
import { afterEach, describe, expect, it } from '@jest/globals';
import AvochatoStatusDatatable from 'c/avochatoStatusDatatable';
import statusCell from '../statusCell.html';

type IconStub = HTMLElement & { iconName: string; variant: string | null; alternativeText: string };

/** What the next host renders (a host has no public properties: its fields are read when it is created). */
let nextCell: { value: string; typeAttributes: Record<string, unknown> } = { value: '', typeAttributes: {} };

/** Renders the status cell template the way the datatable does: `value` and `typeAttributes` of one row. */
class StatusCellHost extends LightningElement {
  value = nextCell.value;
  typeAttributes = nextCell.typeAttributes;
  render() {
    return statusCell as ReturnType<LightningElement['render']>;
  }
}

function renderCell(value: string, typeAttributes: Record<string, unknown>): HTMLElement {
  nextCell = { value, typeAttributes };
  const element = createElement('c-status-cell-host', { is: StatusCellHost });
  document.body.appendChild(element);
  return element;
}

afterEach(() => {
  while (document.body.firstChild) {
    document.body.removeChild(document.body.firstChild);
  }
});

describe('c-avochato-status-datatable', () => {
  it('adds a status column type that reads the icon, its colour and its alternative text from the row', () => {
    const status = AvochatoStatusDatatable.customTypes?.status;
    expect(status?.template).toBe(statusCell);
    expect(status?.standardCellLayout).toBe(true);
    expect(status?.typeAttributes).toEqual(['iconName', 'variant', 'alternativeText']);
  });

  it.each([
    ['Confirmed', 'utility:success', 'success'],
    ['Pending', 'utility:warning', 'warning'],
    ['Failed', 'utility:error', 'error'],
  ])('colours the %s icon with the %s icon in the %s variant, beside the label', (label, iconName, variant) => {
    const cell = renderCell(label, { iconName, variant, alternativeText: label });

    const icon = cell.shadowRoot!.querySelector('lightning-icon') as IconStub;
    expect([icon.iconName, icon.variant, icon.alternativeText]).toEqual([iconName, variant, label]);
    expect(cell.shadowRoot!.textContent).toContain(label);
  });

  it('shows an inactive credential with the grey default icon, and no icon without a credential', () => {
    const inactive = renderCell('Inactive', {
      iconName: 'utility:toggle_off',
      variant: null,
      alternativeText: 'Inactive',
    });
    expect((inactive.shadowRoot!.querySelector('lightning-icon') as IconStub).variant).toBeNull();

    const none = renderCell('No credential', { iconName: null, variant: null, alternativeText: 'No credential' });
    expect(none.shadowRoot!.querySelector('lightning-icon')).toBeNull();
    expect(none.shadowRoot!.textContent).toContain('No credential');
  });
});
