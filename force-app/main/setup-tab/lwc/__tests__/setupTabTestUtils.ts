/**
 * Helpers shared by the Setup tab components' Jest tests (not a test itself: Jest runs `*.test.ts` only; never
 * deployed: .forceignore leaves out every `__tests__` folder). Platform stand-ins are in force-app/test/jest-mocks.
 */
import { jest } from '@jest/globals';

/** What a component's `lightning__showtoast` event carries (ShowToastEvent). */
export interface ToastDetail {
  title: string;
  message: string;
  variant: string;
}

/** Lets pending promise callbacks run (works with fake timers too). */
export function flush(times = 10): Promise<void> {
  if (times === 0) {
    return Promise.resolve();
  }
  return Promise.resolve().then(() => flush(times - 1));
}

/** Moves fake timers on by `ms`, then lets the callbacks they started run. */
export function advance(ms: number): Promise<void> {
  jest.advanceTimersByTime(ms);
  return flush();
}

/** A copy of a JSON fixture that a test may change. */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The toasts `element` shows from now on, oldest first. */
export function recordToasts(element: HTMLElement): ToastDetail[] {
  const toasts: ToastDetail[] = [];
  element.addEventListener('lightning__showtoast', (e) => toasts.push((e as CustomEvent<ToastDetail>).detail));
  return toasts;
}

/** Fires `eventName` from the element `selector` finds in `element`'s template, and lets the handlers run. */
export function fire(element: HTMLElement, selector: string, eventName: string): Promise<void> {
  element.shadowRoot!.querySelector(selector)!.dispatchEvent(new CustomEvent(eventName));
  return flush();
}

/** The message box (role alert or status) of the `c-avochato-alert` with this data-id in `element`, or null. */
export function alertOf(element: HTMLElement, id: string): HTMLElement | null {
  const alert = element.shadowRoot!.querySelector(`c-avochato-alert[data-id="${id}"]`);
  return alert ? alert.shadowRoot!.querySelector<HTMLElement>('[role]') : null;
}

/** After each test: removes the mounted components, forgets the mocks' calls, and puts real timers back. */
export function resetDom(): void {
  while (document.body.firstChild) {
    document.body.removeChild(document.body.firstChild);
  }
  jest.clearAllMocks();
  jest.useRealTimers();
}
