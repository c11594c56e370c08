/**
 * The features the local org has, and the standard objects that exist only in an org with a feature.
 *
 * The local org is a single-currency org (UserInfo.isMultiCurrencyOrganization() is false). Objects and fields of a
 * feature it does not have are not part of its schema at all: SOQL on one fails with "sObject type 'X' is not
 * supported" / "No such column", and Apex naming one does not resolve, as on the platform where such code does not
 * even compile. Conformance: 306_schema_single_currency_org.
 */

/** The org's optional features that decide which standard objects exist. */
export interface OrgFeatures {
  /** Multiple currencies (Setup > Company Information). */
  multiCurrency: boolean;
  /** Advanced currency management (dated exchange rates); needs multiCurrency. */
  advancedCurrencyManagement: boolean;
}

/** The local org's features. */
export const LOCAL_ORG_FEATURES: Readonly<OrgFeatures> = { multiCurrency: false, advancedCurrencyManagement: false };

/**
 * Standard objects that exist only with a feature (lower-cased name -> whether the org has it), from each object's
 * Usage / Special Access Rules in the Object Reference for the Salesforce Platform:
 *  - CurrencyType: "Represents the currencies used by an organization for which the multicurrency feature is
 *    enabled ... This object is not available in single-currency organizations."
 *  - DatedConversionRate: "This object is for multicurrency organizations with advanced currency management enabled
 *    ... This object is not available in single-currency organizations, nor is it available if the organization
 *    hasn't enabled advanced currency management."
 */
const FEATURE_GATED_OBJECTS: Record<string, (f: OrgFeatures) => boolean> = {
  currencytype: (f) => f.multiCurrency,
  datedconversionrate: (f) => f.multiCurrency && f.advancedCurrencyManagement,
};

/** Whether a standard object exists in an org with these features (objects no feature gates always do). */
export function objectExistsInOrg(objectName: string, features: OrgFeatures = LOCAL_ORG_FEATURES): boolean {
  const gate = FEATURE_GATED_OBJECTS[objectName.toLowerCase()];
  return !gate || gate(features);
}

/**
 * Fields every object of the platform's definitions carries only with a feature (lower-cased name -> whether the org
 * has it). CurrencyIsoCode: "Available only for organizations with the multicurrency feature enabled" (Object
 * Reference, "CurrencyIsoCode").
 */
const FEATURE_GATED_FIELDS: Record<string, (f: OrgFeatures) => boolean> = {
  currencyisocode: (f) => f.multiCurrency,
};

/** Whether a standard field exists in an org with these features (fields no feature gates always do). */
export function fieldExistsInOrg(fieldName: string, features: OrgFeatures = LOCAL_ORG_FEATURES): boolean {
  const gate = FEATURE_GATED_FIELDS[fieldName.toLowerCase()];
  return !gate || gate(features);
}
