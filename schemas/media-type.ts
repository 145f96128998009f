/**
 * Media type from the bytes, not the name: teams rename files, mail clients add ".dat".
 * The name's extension only separates text kinds (csv vs txt) and zip kinds the bytes cannot.
 */
export type MediaType =
  | 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
  | 'application/vnd.ms-excel.sheet.macroEnabled.12'
  | 'application/zip'
  | 'application/pdf'
  | 'application/x-ole-storage'
  | 'message/rfc822'
  | 'text/csv'
  | 'text/plain'
  | 'application/octet-stream';

export const XLSX: MediaType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
