/**
 * The bundled standard schema: the standard objects the project and its tests touch, with their usual
 * required fields and real key prefixes. Source: Salesforce Object Reference (field names, key prefixes
 * 001 Account, 003 Contact, 00Q Lead, 005 User, 00e Profile, 0PS PermissionSet, 0Pa PermissionSetAssignment,
 * 00D Organization, 707 AsyncApexJob, 01p ApexClass, 0CP CustomPermission, 0J0 SetupEntityAccess).
 * Only a subset of each object's fields is present; a field not listed here is "No such column".
 */
import { auditFields, fld, makeObject, ownerField, sys } from '../fields.js';
import type { LocalFieldDef, LocalObjectDef } from '../types.js';

const NO_DML = { insert: false, update: false, delete: false, undelete: false };

function pick(name: string, values: string[], opts: Partial<LocalFieldDef> = {}): LocalFieldDef {
  return fld(name, 'picklist', {
    length: 255,
    picklistValues: values.map((v) => ({ value: v, label: v, isDefault: opts.defaultValue === v })),
    ...opts,
  });
}

function addressFields(prefix: string): LocalFieldDef[] {
  return [
    fld(`${prefix}Street`, 'textarea', { length: 255 }),
    fld(`${prefix}City`, 'string', { length: 40 }),
    fld(`${prefix}State`, 'string', { length: 80 }),
    fld(`${prefix}PostalCode`, 'string', { length: 20 }),
    fld(`${prefix}Country`, 'string', { length: 80 }),
  ];
}

const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
const INDUSTRIES = [
  'Agriculture',
  'Banking',
  'Communications',
  'Education',
  'Healthcare',
  'Retail',
  'Technology',
  'Other',
];

function account(): LocalObjectDef {
  return makeObject(
    'Account',
    '001',
    [
      ...auditFields(),
      fld('Name', 'string', { length: 255, required: true, nameField: true, label: 'Account Name' }),
      ownerField(),
      fld('AccountNumber', 'string', { length: 40 }),
      fld('Phone', 'phone', { length: 40 }),
      fld('Fax', 'phone', { length: 40 }),
      fld('Website', 'url', { length: 255 }),
      pick('Industry', INDUSTRIES),
      pick('Type', ['Prospect', 'Customer - Direct', 'Customer - Channel', 'Partner', 'Other']),
      fld('Description', 'textarea', { length: 32000 }),
      fld('ParentId', 'reference', {
        referenceTo: ['Account'],
        relationshipName: 'Parent',
        childRelationshipName: 'ChildAccounts',
      }),
      fld('NumberOfEmployees', 'int', { precision: 8, scale: 0 }),
      fld('AnnualRevenue', 'currency', { precision: 18, scale: 0 }),
      ...addressFields('Billing'),
      ...addressFields('Shipping'),
    ],
    { sharingModel: 'ReadWrite', label: 'Account', labelPlural: 'Accounts' },
  );
}

function personNameFields(lastLen: number): LocalFieldDef[] {
  return [
    fld('FirstName', 'string', { length: 40, label: 'First Name' }),
    fld('LastName', 'string', { length: lastLen, required: true, label: 'Last Name' }),
    sys('Name', 'string', { length: 121, nameField: true, computed: true, label: 'Full Name' }),
  ];
}

function contact(): LocalObjectDef {
  return makeObject(
    'Contact',
    '003',
    [
      ...auditFields(),
      ...personNameFields(80),
      pick('Salutation', ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.']),
      ownerField(),
      fld('AccountId', 'reference', {
        referenceTo: ['Account'],
        relationshipName: 'Account',
        childRelationshipName: 'Contacts',
        label: 'Account ID',
      }),
      fld('Phone', 'phone', { length: 40, label: 'Business Phone' }),
      fld('MobilePhone', 'phone', { length: 40, label: 'Mobile Phone' }),
      fld('HomePhone', 'phone', { length: 40, label: 'Home Phone' }),
      fld('Email', 'email', { length: 80 }),
      fld('Title', 'string', { length: 128 }),
      fld('Department', 'string', { length: 80 }),
      fld('Birthdate', 'date'),
      fld('Description', 'textarea', { length: 32000 }),
      pick('LeadSource', LEAD_SOURCES),
      fld('HasOptedOutOfEmail', 'boolean', { defaultValue: false, label: 'Email Opt Out' }),
      fld('DoNotCall', 'boolean', { defaultValue: false, label: 'Do Not Call' }),
      ...addressFields('Mailing'),
    ],
    { sharingModel: 'ReadWrite', label: 'Contact', labelPlural: 'Contacts' },
  );
}

function lead(): LocalObjectDef {
  return makeObject(
    'Lead',
    '00Q',
    [
      ...auditFields(),
      ...personNameFields(80),
      pick('Salutation', ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.']),
      ownerField(),
      fld('Company', 'string', { length: 255, required: true }),
      pick('Status', ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'], {
        required: true,
        defaultValue: 'Open - Not Contacted',
        label: 'Lead Status',
      }),
      fld('Phone', 'phone', { length: 40 }),
      fld('MobilePhone', 'phone', { length: 40, label: 'Mobile Phone' }),
      fld('Email', 'email', { length: 80 }),
      fld('Title', 'string', { length: 128 }),
      fld('Website', 'url', { length: 255 }),
      fld('Description', 'textarea', { length: 32000 }),
      pick('LeadSource', LEAD_SOURCES),
      pick('Industry', INDUSTRIES),
      sys('IsConverted', 'boolean', { label: 'Converted', defaultValue: false }),
      fld('HasOptedOutOfEmail', 'boolean', { defaultValue: false, label: 'Email Opt Out' }),
      fld('DoNotCall', 'boolean', { defaultValue: false, label: 'Do Not Call' }),
      ...addressFields(''),
    ],
    { sharingModel: 'ReadWrite', label: 'Lead', labelPlural: 'Leads' },
  );
}

function user(): LocalObjectDef {
  return makeObject(
    'User',
    '005',
    [
      ...auditFields(),
      fld('Username', 'string', { length: 80, required: true, unique: true, caseSensitive: false }),
      ...personNameFields(80),
      fld('Email', 'email', { length: 128, required: true }),
      fld('Alias', 'string', { length: 8, required: true }),
      fld('CommunityNickname', 'string', { length: 40, unique: true, caseSensitive: false, label: 'Nickname' }),
      pick(
        'TimeZoneSidKey',
        [
          'America/Los_Angeles',
          'America/New_York',
          'America/Chicago',
          'America/Denver',
          'Europe/London',
          'Europe/Paris',
          'GMT',
          'Asia/Tokyo',
          'Australia/Sydney',
        ],
        { required: true, label: 'Time Zone' },
      ),
      pick('LocaleSidKey', ['en_US', 'en_GB', 'fr_FR', 'de_DE', 'ja_JP'], { required: true, label: 'Locale' }),
      pick('EmailEncodingKey', ['UTF-8', 'ISO-8859-1', 'Shift_JIS'], { required: true, label: 'Email Encoding' }),
      pick('LanguageLocaleKey', ['en_US', 'fr', 'de', 'ja'], { required: true, label: 'Language' }),
      fld('ProfileId', 'reference', {
        referenceTo: ['Profile'],
        relationshipName: 'Profile',
        required: true,
        label: 'Profile ID',
      }),
      fld('IsActive', 'boolean', { defaultValue: true, label: 'Active' }),
      fld('FederationIdentifier', 'string', { length: 512, label: 'SAML Federation ID' }),
      fld('Title', 'string', { length: 80 }),
      fld('CompanyName', 'string', { length: 80, label: 'Company Name' }),
      fld('Department', 'string', { length: 80 }),
      fld('Division', 'string', { length: 80 }),
      fld('EmployeeNumber', 'string', { length: 20 }),
      fld('Phone', 'phone', { length: 40 }),
      fld('MobilePhone', 'phone', { length: 40, label: 'Mobile' }),
      fld('ManagerId', 'reference', { referenceTo: ['User'], relationshipName: 'Manager', label: 'Manager ID' }),
      sys('UserType', 'picklist', {
        length: 40,
        picklistValues: [{ value: 'Standard', label: 'Standard' }],
        label: 'User Type',
      }),
      sys('LastLoginDate', 'datetime', { label: 'Last Login' }),
      sys('SmallPhotoUrl', 'url', { length: 1024, label: 'Photo' }),
      sys('FullPhotoUrl', 'url', { length: 1024, label: 'Url for full-sized Photo' }),
      ...addressFields(''),
    ],
    {
      sharingModel: 'Read',
      label: 'User',
      labelPlural: 'Users',
      setupObject: true,
      dmlAllowed: { insert: true, update: true, delete: false, undelete: false },
    },
  );
}

function profile(): LocalObjectDef {
  return makeObject(
    'Profile',
    '00e',
    [
      ...auditFields(),
      fld('Name', 'string', { length: 255, required: true, nameField: true }),
      fld('Description', 'string', { length: 255 }),
      fld('UserType', 'picklist', { length: 40, label: 'User Type' }),
      fld('PermissionsModifyAllData', 'boolean', { defaultValue: false, label: 'Modify All Data' }),
      fld('PermissionsViewAllData', 'boolean', { defaultValue: false, label: 'View All Data' }),
    ],
    { sharingModel: 'Read', setupObject: true, dmlAllowed: NO_DML, label: 'Profile' },
  );
}

function permissionSet(): LocalObjectDef {
  return makeObject(
    'PermissionSet',
    '0PS',
    [
      ...auditFields(),
      fld('Name', 'string', { length: 80, required: true, unique: true, caseSensitive: false, nameField: true }),
      fld('Label', 'string', { length: 80, required: true }),
      fld('Description', 'string', { length: 255 }),
      sys('IsOwnedByProfile', 'boolean', { defaultValue: false }),
      sys('ProfileId', 'reference', { referenceTo: ['Profile'], relationshipName: 'Profile' }),
      sys('NamespacePrefix', 'string', { length: 15 }),
      fld('PermissionsModifyAllData', 'boolean', { defaultValue: false, label: 'Modify All Data' }),
      fld('PermissionsViewAllData', 'boolean', { defaultValue: false, label: 'View All Data' }),
    ],
    { sharingModel: 'Read', setupObject: true, label: 'Permission Set' },
  );
}

function permissionSetAssignment(): LocalObjectDef {
  return makeObject(
    'PermissionSetAssignment',
    '0Pa',
    [
      ...auditFields().filter(
        (f) => !['LastModifiedDate', 'LastModifiedById', 'CreatedDate', 'CreatedById', 'IsDeleted'].includes(f.name),
      ),
      fld('AssigneeId', 'reference', {
        referenceTo: ['User'],
        relationshipName: 'Assignee',
        required: true,
        updateable: false,
        childRelationshipName: 'PermissionSetAssignments',
      }),
      fld('PermissionSetId', 'reference', {
        referenceTo: ['PermissionSet'],
        relationshipName: 'PermissionSet',
        required: true,
        updateable: false,
        childRelationshipName: 'Assignments',
      }),
      sys('IsActive', 'boolean', { defaultValue: true }),
      sys('CreatedDate', 'datetime'),
      sys('CreatedById', 'reference', { referenceTo: ['User'], relationshipName: 'CreatedBy' }),
      sys('LastModifiedDate', 'datetime'),
      sys('LastModifiedById', 'reference', { referenceTo: ['User'], relationshipName: 'LastModifiedBy' }),
    ],
    {
      sharingModel: 'Read',
      setupObject: true,
      label: 'Permission Set Assignment',
      dmlAllowed: { insert: true, update: false, delete: true, undelete: false },
      uniqueTogether: [
        {
          fields: ['AssigneeId', 'PermissionSetId'],
          statusCode: 'DUPLICATE_VALUE',
          message: 'Duplicate PermissionSetAssignment',
        },
      ],
    },
  );
}

function organization(): LocalObjectDef {
  return makeObject(
    'Organization',
    '00D',
    [
      ...auditFields(),
      fld('Name', 'string', { length: 80, nameField: true }),
      fld('IsSandbox', 'boolean', { defaultValue: false }),
      fld('InstanceName', 'string', { length: 5 }),
      fld('OrganizationType', 'picklist', { length: 40 }),
      fld('NamespacePrefix', 'string', { length: 15 }),
      fld('TimeZoneSidKey', 'picklist', { length: 40 }),
      fld('LanguageLocaleKey', 'picklist', { length: 40 }),
      fld('DefaultLocaleSidKey', 'picklist', { length: 40 }),
      fld('Country', 'string', { length: 80 }),
      fld('TrialExpirationDate', 'datetime'),
    ],
    { sharingModel: 'Read', setupObject: true, dmlAllowed: NO_DML, label: 'Organization' },
  );
}

function asyncApexJob(): LocalObjectDef {
  return makeObject(
    'AsyncApexJob',
    '707',
    [
      ...auditFields(),
      fld('Status', 'picklist', {
        length: 40,
        picklistValues: ['Holding', 'Queued', 'Preparing', 'Processing', 'Aborted', 'Completed', 'Failed'].map((v) => ({
          value: v,
          label: v,
        })),
      }),
      fld('JobType', 'picklist', {
        length: 40,
        picklistValues: [
          'Future',
          'SharingRecalculation',
          'ScheduledApex',
          'BatchApex',
          'BatchApexWorker',
          'TestRequest',
          'TestWorker',
          'ApexToken',
          'Queueable',
        ].map((v) => ({ value: v, label: v })),
      }),
      fld('ApexClassId', 'reference', { referenceTo: ['ApexClass'], relationshipName: 'ApexClass' }),
      fld('MethodName', 'string', { length: 255 }),
      fld('NumberOfErrors', 'int'),
      fld('JobItemsProcessed', 'int'),
      fld('TotalJobItems', 'int'),
      fld('ExtendedStatus', 'string', { length: 255 }),
      fld('CompletedDate', 'datetime'),
      fld('ParentJobId', 'reference', { referenceTo: ['AsyncApexJob'], relationshipName: 'ParentJob' }),
    ],
    { sharingModel: 'Read', dmlAllowed: NO_DML, label: 'Apex Job' },
  );
}

function apexClass(): LocalObjectDef {
  return makeObject(
    'ApexClass',
    '01p',
    [
      ...auditFields(),
      fld('Name', 'string', { length: 255, nameField: true }),
      fld('NamespacePrefix', 'string', { length: 15 }),
      fld('Status', 'picklist', { length: 40 }),
      fld('ApiVersion', 'double', { precision: 18, scale: 1 }),
      fld('IsValid', 'boolean', { defaultValue: true }),
      fld('LengthWithoutComments', 'int'),
    ],
    { sharingModel: 'Read', setupObject: true, dmlAllowed: NO_DML, label: 'Apex Class' },
  );
}

function customPermission(): LocalObjectDef {
  return makeObject(
    'CustomPermission',
    '0CP',
    [
      ...auditFields(),
      fld('DeveloperName', 'string', { length: 80, nameField: true }),
      fld('MasterLabel', 'string', { length: 255 }),
      fld('Description', 'string', { length: 255 }),
      fld('NamespacePrefix', 'string', { length: 15 }),
      fld('IsProtected', 'boolean', { defaultValue: false }),
    ],
    { sharingModel: 'Read', setupObject: true, dmlAllowed: NO_DML, label: 'Custom Permission' },
  );
}

function setupEntityAccess(): LocalObjectDef {
  return makeObject(
    'SetupEntityAccess',
    '0J0',
    [
      sys('Id', 'id', { length: 18 }),
      sys('SystemModstamp', 'datetime'),
      sys('IsDeleted', 'boolean'),
      fld('ParentId', 'reference', {
        referenceTo: ['PermissionSet'],
        relationshipName: 'Parent',
        childRelationshipName: 'SetupEntityAccessItems',
      }),
      fld('SetupEntityId', 'reference', {
        referenceTo: ['CustomPermission', 'ApexClass'],
        relationshipName: 'SetupEntity',
      }),
      fld('SetupEntityType', 'string', { length: 40 }),
    ],
    {
      sharingModel: 'Read',
      setupObject: true,
      dmlAllowed: { insert: true, update: false, delete: true, undelete: false },
      label: 'Setup Entity Access',
    },
  );
}

/** A fresh copy of every bundled standard object (callers may add custom fields to them). */
export function standardObjects(): LocalObjectDef[] {
  return [
    account(),
    contact(),
    lead(),
    user(),
    profile(),
    permissionSet(),
    permissionSetAssignment(),
    organization(),
    asyncApexJob(),
    apexClass(),
    customPermission(),
    setupEntityAccess(),
  ];
}
