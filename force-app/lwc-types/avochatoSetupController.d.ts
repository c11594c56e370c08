/**
 * The `@AuraEnabled` methods of AvochatoSetupController (force-app/main/setup-tab/classes), as the components
 * import them. Parameter names are the Apex parameter names; results are the controller's DTOs.
 */

declare module '@salesforce/apex/AvochatoSetupController.getHealth' {
  import type { ApexMethod } from '@salesforce/apex';
  import type { HealthDto } from 'c/avochatoSetupUtils';
  const getHealth: ApexMethod<Record<string, never>, HealthDto>;
  export default getHealth;
}

declare module '@salesforce/apex/AvochatoSetupController.getRows' {
  import type { ApexMethod } from '@salesforce/apex';
  import type { RowPageDto } from 'c/avochatoSetupUtils';
  const getRows: ApexMethod<{ searchTerm: string | null; pageSize: number; afterCursor: string | null }, RowPageDto>;
  export default getRows;
}

declare module '@salesforce/apex/AvochatoSetupController.getStatuses' {
  import type { ApexMethod } from '@salesforce/apex';
  import type { CredentialRowDto } from 'c/avochatoSetupUtils';
  const getStatuses: ApexMethod<{ credentialIds: string[] }, CredentialRowDto[]>;
  export default getStatuses;
}

declare module '@salesforce/apex/AvochatoSetupController.createCredential' {
  import type { ApexMethod } from '@salesforce/apex';
  import type { CredentialRowDto } from 'c/avochatoSetupUtils';
  const createCredential: ApexMethod<
    { userId: string; authId: string; authSecret: string; inbox: string | null; makeDefault: boolean },
    CredentialRowDto[]
  >;
  export default createCredential;
}

declare module '@salesforce/apex/AvochatoSetupController.makeDefault' {
  import type { ApexMethod } from '@salesforce/apex';
  import type { CredentialRowDto } from 'c/avochatoSetupUtils';
  const makeDefault: ApexMethod<{ credentialId: string }, CredentialRowDto[]>;
  export default makeDefault;
}

declare module '@salesforce/apex/AvochatoSetupController.setActive' {
  import type { ApexMethod } from '@salesforce/apex';
  import type { CredentialRowDto } from 'c/avochatoSetupUtils';
  const setActive: ApexMethod<{ credentialId: string; active: boolean }, CredentialRowDto[]>;
  export default setActive;
}

declare module '@salesforce/apex/AvochatoSetupController.confirm' {
  import type { ApexMethod } from '@salesforce/apex';
  import type { ConfirmResultDto } from 'c/avochatoSetupUtils';
  const confirm: ApexMethod<{ credentialIds: string[] }, ConfirmResultDto>;
  export default confirm;
}

declare module '@salesforce/apex/AvochatoSetupController.confirmAllPending' {
  import type { ApexMethod } from '@salesforce/apex';
  import type { ConfirmResultDto } from 'c/avochatoSetupUtils';
  const confirmAllPending: ApexMethod<Record<string, never>, ConfirmResultDto>;
  export default confirmAllPending;
}
