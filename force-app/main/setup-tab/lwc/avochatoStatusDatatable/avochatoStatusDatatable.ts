/**
 * The credentials table's datatable: `lightning-datatable` plus a `status` column type whose icon carries its meaning
 * in colour as well as in its shape and the label, as `lightning-icon` variants give it (Confirmed success green,
 * Pending warning amber, Failed error red; inactive and no credential stay grey). The standard column types cannot
 * colour their icons (their `lightning-icon` has no variant), hence this custom type.
 * Column: `{ type: 'status', fieldName: <label>, typeAttributes: { iconName, variant, alternativeText } }`, each a
 * `{ fieldName }` of the row.
 */
import LightningDatatable from 'lightning/datatable';
import statusCell from './statusCell.html';

export default class AvochatoStatusDatatable extends LightningDatatable {
  static customTypes = {
    status: {
      template: statusCell,
      standardCellLayout: true,
      typeAttributes: ['iconName', 'variant', 'alternativeText'],
    },
  };
}
