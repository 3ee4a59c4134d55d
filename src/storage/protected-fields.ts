/**
 * The port key rotation needs: raw access to the fields that field encryption protects, as they are stored
 * (ciphertext, or a plaintext written before the field was encrypted). Repositories hand out decrypted records;
 * this port is the one way to see and rewrite the stored form, and only one field at a time.
 */

/** Every field stored encrypted, named `<record>.<field>`. */
export const PROTECTED_FIELD_KINDS = ['account.name', 'account.totpSecret', 'client.secret'] as const;

export type ProtectedFieldKind = (typeof PROTECTED_FIELD_KINDS)[number];

export interface ProtectedField {
  /** The record that holds it: an account id, or a client_id. */
  owner: string;
  /** As stored. */
  value: string;
}

export interface ProtectedFieldPage {
  fields: ProtectedField[];
  /** The owner the next page starts after; null when this page reached the last record. */
  next: string | null;
}

export interface ProtectedFieldStore {
  /**
   * The fields of one kind among the next (at most) `limit` records in owner order after `after` (null: from the
   * first). Records without the field (no name, no second factor, a public client) are passed over, so a page may
   * hold fewer fields than `limit`, even none, and still not be the last: `next` says whether more follow.
   */
  page(kind: ProtectedFieldKind, after: string | null, limit: number): Promise<ProtectedFieldPage>;
  /**
   * Stores `next` if, and only if, the field still holds `expected`; false when it changed meanwhile or the record
   * is gone. A rewrite running beside the server therefore never undoes a change the server made in between.
   */
  replace(kind: ProtectedFieldKind, owner: string, expected: string, next: string): Promise<boolean>;
}
