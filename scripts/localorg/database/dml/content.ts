/**
 * What the platform does itself when Salesforce Files records are saved (Object Reference for the Salesforce Platform,
 * "ContentVersion", "ContentDocument", "ContentDocumentLink", "ContentDistribution"):
 * - Inserting a ContentVersion without ContentDocumentId creates its ContentDocument ("Creating a new content version
 *   also creates a content document", UI API "Content Document Composite"); the document takes the version's Title,
 *   FileType and FileExtension, and LatestPublishedVersionId is the new version. With ContentDocumentId the version is a
 *   new version of that document: it becomes the latest (IsLatest) and the document's LatestPublishedVersionId.
 * - FileType is "determined by either the ContentUrl for links or the PathOnClient for documents" (ContentVersion,
 *   Special Access Rules): the file's extension, upper-cased, with the Office formats named WORD/WORD_X, EXCEL/EXCEL_X,
 *   POWER_POINT/POWER_POINT_X and plain text TEXT; no extension is UNKNOWN.
 * - FirstPublishLocationId ("ID of the location where the version was first published ... a record") shares the new
 *   document with that record: a ContentDocumentLink (LinkedEntityId = the record, ShareType 'V', Visibility
 *   'AllUsers'), so `SELECT ... FROM ContentDocumentLink WHERE LinkedEntityId = :recordId` finds it.
 * - A ContentDistribution gets the ContentDocumentId of its ContentVersionId and its links (DistributionPublicUrl,
 *   ContentDownloadUrl: "The link to download the file", read-only, filled by the platform).
 */
import { ApexBlob, ApexId, type ApexValue } from '../../core/values.js';
import type { LocalObjectDef } from '../../metadata/types.js';
import type { LocalDatabase } from '../database.js';

const OFFICE_TYPES: Record<string, string> = {
  doc: 'WORD',
  docx: 'WORD_X',
  xls: 'EXCEL',
  xlsx: 'EXCEL_X',
  ppt: 'POWER_POINT',
  pptx: 'POWER_POINT_X',
  txt: 'TEXT',
};

/** FileType and FileExtension from a file name (PathOnClient). */
export function fileTypeOf(pathOnClient: string | null): { fileType: string; extension: string | null } {
  const m = /\.([A-Za-z0-9]+)$/.exec(pathOnClient ?? '');
  if (!m) return { fileType: 'UNKNOWN', extension: null };
  const ext = m[1].toLowerCase();
  return { fileType: OFFICE_TYPES[ext] ?? ext.toUpperCase(), extension: ext };
}

function str(v: ApexValue | undefined): string | null {
  return typeof v === 'string' ? v : null;
}

/** A new row of `def` about to be written with Id `id`: fields the platform fills and the rows it creates. */
export function contentInsert(
  db: LocalDatabase,
  def: LocalObjectDef,
  id: string,
  values: Map<string, ApexValue>,
): void {
  const name = def.name.toLowerCase();
  if (name === 'contentversion') {
    const { fileType, extension } = fileTypeOf(str(values.get('pathonclient')));
    values.set('filetype', fileType);
    values.set('fileextension', extension);
    const data = values.get('versiondata');
    const size = data instanceof ApexBlob ? data.bytes.length : null;
    values.set('contentsize', size);
    values.set('islatest', true);
    const title = str(values.get('title'));
    let docId = values.get('contentdocumentid');
    if (docId instanceof ApexId) {
      const earlier = db.queryRecords(`SELECT Id FROM ContentVersion WHERE ContentDocumentId = '${docId.value}'`);
      for (const r of earlier) db.updateDirect(r.getRaw('Id') as ApexId, { IsLatest: false });
      values.set('versionnumber', String(earlier.length + 1));
      db.updateDirect(docId, { LatestPublishedVersionId: new ApexId(id), Title: title, FileType: fileType });
      return;
    }
    const owner = values.get('ownerid');
    docId = db.insertDirect(
      'ContentDocument',
      {
        Title: title,
        FileType: fileType,
        FileExtension: extension,
        ContentSize: size,
        OwnerId: owner ?? null,
        PublishStatus: 'P',
        LatestPublishedVersionId: new ApexId(id),
      },
      { createdById: owner instanceof ApexId ? owner.value : undefined },
    );
    values.set('contentdocumentid', docId);
    values.set('versionnumber', '1');
    const location = values.get('firstpublishlocationid');
    if (location instanceof ApexId)
      db.insertDirect('ContentDocumentLink', {
        ContentDocumentId: docId,
        LinkedEntityId: location,
        ShareType: 'V',
        Visibility: 'AllUsers',
      });
  } else if (name === 'contentdistribution') {
    const version = values.get('contentversionid');
    const row = version instanceof ApexId ? db.getRecord(version) : null;
    if (row) values.set('contentdocumentid', row.getRaw('ContentDocumentId') ?? null);
    const base = `https://localorg.my.salesforce.com/sfc/p/${db.orgId().slice(0, 15)}/a/${id}`;
    values.set('distributionpublicurl', base);
    values.set('contentdownloadurl', `${base}/download`);
  }
}

/** Whether inserts of this object have platform side effects here. */
export function hasContentEffects(def: LocalObjectDef): boolean {
  const n = def.name.toLowerCase();
  return n === 'contentversion' || n === 'contentdistribution';
}
