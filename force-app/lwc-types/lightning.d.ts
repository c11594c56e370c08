/**
 * Types for the platform modules the Avochato Setup components use and that @salesforce/lightning-types 0.8
 * does not describe (datatable, input, toast, navigation, LightningModal.open). Only types: nothing here is emitted.
 */

declare module 'lightning/datatable' {
  // eslint-disable-next-line @lwc/lwc/no-disallowed-lwc-imports -- a type-only import, erased at compile time
  import type { LightningElement } from 'lwc';

  /** A column type added by a subclass (`static customTypes`): its cell template and the type attributes it reads. */
  export interface CustomType {
    template: unknown;
    standardCellLayout?: boolean;
    typeAttributes?: string[];
  }

  /** The datatable, which a component may extend to add column types. */
  export default class LightningDatatable extends LightningElement {
    static customTypes?: Record<string, CustomType>;
  }

  /** A value read from the row (`{ fieldName }`) or a literal. */
  export type FieldRef<T = string> = T | { fieldName: string };

  export interface CellAttributes {
    iconName?: FieldRef;
    iconAlternativeText?: FieldRef;
    iconLabel?: FieldRef;
    iconPosition?: FieldRef<'left' | 'right'>;
    class?: FieldRef;
    alignment?: 'left' | 'center' | 'right';
  }

  export interface RowAction {
    label: string;
    name: string;
    iconName?: string;
    disabled?: boolean;
  }

  /** Called by the datatable when a row's action menu opens; pass the actions that apply to that row. */
  export type RowActionsProvider<Row> = (row: Row, doneCallback: (actions: RowAction[]) => void) => void;

  export type ColumnType =
    | 'action'
    | 'boolean'
    | 'button'
    | 'button-icon'
    | 'currency'
    | 'date'
    | 'date-local'
    | 'email'
    | 'location'
    | 'number'
    | 'percent'
    | 'phone'
    | 'text'
    | 'url'
    // custom types of c/avochatoStatusDatatable
    | 'status';

  export interface Column<Row = Record<string, unknown>> {
    label?: string;
    fieldName?: string;
    type?: ColumnType;
    initialWidth?: number;
    fixedWidth?: number;
    hideDefaultActions?: boolean;
    hideLabel?: boolean;
    sortable?: boolean;
    wrapText?: boolean;
    cellAttributes?: CellAttributes;
    typeAttributes?: {
      rowActions?: RowAction[] | RowActionsProvider<Row>;
      menuAlignment?: 'auto' | 'left' | 'center' | 'right' | 'bottom-left' | 'bottom-center' | 'bottom-right';
      [attribute: string]: unknown;
    };
  }

  export interface RowActionEventDetail<Row> {
    action: RowAction;
    row: Row;
  }

  /** The element that fires `loadmore`: the handler toggles these while it fetches. */
  export interface LoadMoreTarget extends HTMLElement {
    isLoading: boolean;
    enableInfiniteLoading: boolean;
  }
}

declare module 'lightning/input' {
  /** A `lightning-input` element as a component reads and validates it (the type package has no lightning-input). */
  export interface LightningInputElement extends HTMLElement {
    name: string;
    value: string;
    checked: boolean;
    setCustomValidity(message: string): void;
    reportValidity(): boolean;
  }
}

declare module 'lightning/platformShowToastEvent' {
  export type ToastVariant = 'info' | 'success' | 'warning' | 'error';
  export type ToastMode = 'dismissible' | 'pester' | 'sticky';

  export interface ToastConfig {
    title: string;
    message?: string;
    messageData?: (string | { url: string; label: string })[];
    variant?: ToastVariant;
    mode?: ToastMode;
  }

  /** Dispatched from a component, shown by the Lightning Experience container (event name `lightning__showtoast`). */
  export class ShowToastEvent extends CustomEvent<ToastConfig> {
    constructor(config: ToastConfig);
  }
}

declare module 'lightning/navigation' {
  // eslint-disable-next-line @lwc/lwc/no-disallowed-lwc-imports -- a type-only import, erased at compile time
  import type { LightningElement, WireAdapterConstructor } from 'lwc';

  export interface PageReference {
    type: string;
    attributes?: Record<string, unknown>;
    state?: Record<string, string | undefined>;
  }

  const Navigate: unique symbol;
  const GenerateUrl: unique symbol;

  export interface NavigationApi {
    [Navigate](pageReference: PageReference, replace?: boolean): void;
    [GenerateUrl](pageReference: PageReference): Promise<string>;
  }

  export const NavigationMixin: {
    <Base extends typeof LightningElement>(
      base: Base,
    ): (new () => InstanceType<Base> & NavigationApi) & Omit<Base, 'prototype'>;
    readonly Navigate: typeof Navigate;
    readonly GenerateUrl: typeof GenerateUrl;
  };

  export const CurrentPageReference: WireAdapterConstructor<Record<string, never>, PageReference>;
}

/**
 * lightning-types declares the LightningModal class but not its static `open`; this merges `open` into it.
 * `open` creates the modal, sets every other option as a public property of the subclass, and resolves with
 * what the modal passed to `close()` (undefined when the user dismissed it).
 */
declare module 'lightning/modal' {
  export default LightningModal;

  namespace LightningModal {
    interface OpenOptions {
      size?: 'small' | 'medium' | 'large' | 'full';
      label?: string;
      description?: string;
      disableClose?: boolean;
      [publicProperty: string]: unknown;
    }
    function open<Result = unknown>(options: OpenOptions): Promise<Result | undefined>;
  }
}

/** An LWC template imported by a component (a datatable's custom cell type). */
declare module '*.html' {
  const template: unknown;
  export default template;
}
