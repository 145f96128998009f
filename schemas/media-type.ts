/**
 * Media type from the bytes, not the name: teams rename files, mail clients add ".dat".
 * The name's extension only separates text kinds (csv vs txt) and zip kinds the bytes cannot.
 */
export type MediaType =
  | 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
  | 'application/vnd.ms-excel.sheet.macroEnabled.12'
  | 'application/zip'
  | 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
  | 'application/vnd.oasis.opendocument.text'
  | 'application/pdf'
  | 'application/x-ole-storage'
  | 'message/rfc822'
  | 'text/csv'
  | 'text/plain'
  | 'application/octet-stream';

export const XLSX: MediaType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** A Word letter (.docx) and an OpenDocument text (.odt): FOI replies read as letters (sources/foi/document.ts). */
export const DOCX: MediaType = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const ODT: MediaType = 'application/vnd.oasis.opendocument.text';
