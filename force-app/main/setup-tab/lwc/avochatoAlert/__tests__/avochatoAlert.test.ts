import { createElement } from 'lwc';
import { afterEach, describe, expect, it } from '@jest/globals';
import AvochatoAlert from 'c/avochatoAlert';
import { resetDom } from '../../__tests__/setupTabTestUtils';

type IconStub = HTMLElement & { iconName: string; alternativeText: string };

function mount(props: Record<string, string>): HTMLElement {
  const element = createElement('c-avochato-alert', { is: AvochatoAlert });
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

describe('c-avochato-alert', () => {
  afterEach(resetDom);

  it('shows an error as an alert, announced as an error to screen readers', () => {
    const element = mount({ message: 'Network down' });

    const box = element.shadowRoot!.querySelector('[role]') as HTMLElement;
    expect(box.getAttribute('role')).toBe('alert');
    expect(box.classList.contains('slds-alert_error')).toBe(true);
    expect(box.querySelector('.slds-assistive-text')!.textContent).toBe('Error');
    expect(box.querySelector('p')!.textContent).toBe('Network down');
    expect(element.shadowRoot!.querySelector('lightning-icon')).toBeNull();
  });

  it('shows a warning as a status notification with a warning icon', () => {
    const element = mount({ message: 'Refine your search.', variant: 'warning' });

    const box = element.shadowRoot!.querySelector('[role]') as HTMLElement;
    expect(box.getAttribute('role')).toBe('status');
    expect(box.classList.contains('slds-theme_warning')).toBe(true);
    expect(box.textContent).toBe('Refine your search.');
    const icon = element.shadowRoot!.querySelector('lightning-icon') as IconStub;
    expect([icon.iconName, icon.alternativeText]).toEqual(['utility:warning', 'Warning']);
  });
});
