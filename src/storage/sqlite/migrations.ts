/** Schema migrations, applied in order once each. Append; never edit a migration that has shipped. */
export const migrations: string[] = [
  `
  CREATE TABLE tenants (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT,
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE memberships (
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    roles TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, account_id)
  );
  CREATE INDEX memberships_by_account ON memberships(account_id);
  CREATE TABLE clients (
    client_id TEXT PRIMARY KEY,
    tenant_id TEXT REFERENCES tenants(id) ON DELETE CASCADE,
    metadata TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE resource_servers (
    identifier TEXT PRIMARY KEY,
    tenant_id TEXT REFERENCES tenants(id) ON DELETE CASCADE,
    scopes TEXT NOT NULL,
    jwt_access_tokens INTEGER NOT NULL,
    access_token_ttl INTEGER,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE oidc_artifacts (
    model TEXT NOT NULL,
    id TEXT NOT NULL,
    payload TEXT NOT NULL,
    grant_id TEXT,
    uid TEXT,
    user_code TEXT,
    account_id TEXT,
    expires_at INTEGER,
    consumed_at INTEGER,
    PRIMARY KEY (model, id)
  );
  CREATE INDEX oidc_artifacts_by_grant ON oidc_artifacts(grant_id) WHERE grant_id IS NOT NULL;
  CREATE INDEX oidc_artifacts_by_uid ON oidc_artifacts(uid) WHERE uid IS NOT NULL;
  CREATE INDEX oidc_artifacts_by_user_code ON oidc_artifacts(user_code) WHERE user_code IS NOT NULL;
  CREATE INDEX oidc_artifacts_by_account ON oidc_artifacts(model, account_id) WHERE account_id IS NOT NULL;
  CREATE INDEX oidc_artifacts_by_expiry ON oidc_artifacts(expires_at) WHERE expires_at IS NOT NULL;
  CREATE TABLE key_material (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    jwks TEXT NOT NULL,
    cookie_keys TEXT NOT NULL
  );
  `,
  `
  ALTER TABLE accounts ADD COLUMN mfa TEXT;
  ALTER TABLE tenants ADD COLUMN mfa_required INTEGER NOT NULL DEFAULT 0;
  `,
  `
  CREATE TABLE security_failures (
    key TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    last_failure_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE TABLE security_hits (
    key TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE TABLE security_claims (
    key TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL
  );
  `,
  `
  CREATE TABLE audit_events (
    chain TEXT NOT NULL,
    seq INTEGER NOT NULL,
    at INTEGER NOT NULL,
    type TEXT NOT NULL,
    actor TEXT,
    subject TEXT,
    resource TEXT,
    ip TEXT,
    user_agent TEXT,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (chain, seq)
  );
  CREATE INDEX audit_events_by_subject ON audit_events(chain, subject, seq) WHERE subject IS NOT NULL;
  CREATE INDEX audit_events_by_resource ON audit_events(chain, resource, seq) WHERE resource IS NOT NULL;
  CREATE TRIGGER audit_events_append_only_update BEFORE UPDATE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
  CREATE TRIGGER audit_events_append_only_delete BEFORE DELETE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
  `,
  `
  CREATE TABLE roles (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    permissions TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (tenant_id, name)
  );
  CREATE TABLE groups (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (tenant_id, name)
  );
  CREATE TABLE group_members (
    group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    tenant_id TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, account_id)
  );
  CREATE INDEX group_members_by_account ON group_members(tenant_id, account_id);
  CREATE TABLE group_roles (
    group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    role_name TEXT NOT NULL,
    PRIMARY KEY (group_id, role_name)
  );
  `,
  `
  ALTER TABLE resource_servers ADD COLUMN signing_alg TEXT;
  `,
  `
  CREATE TABLE signing_keys (
    kid TEXT PRIMARY KEY,
    alg TEXT NOT NULL,
    encrypted_jwk TEXT NOT NULL,
    active_from INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  );
  `,
  `
  CREATE TABLE account_deletions (
    account_id TEXT PRIMARY KEY,
    requested_at INTEGER NOT NULL,
    purge_after INTEGER NOT NULL,
    purged_at INTEGER,
    claimed_until INTEGER
  );
  CREATE INDEX account_deletions_due ON account_deletions(purge_after) WHERE purged_at IS NULL;
  `,
  // A counter every change to clients and resource servers bumps, whichever connection or process makes it (cascades
  // from a deleted company included): the server reuses what it derived from those rows while it stays the same.
  `
  CREATE TABLE registry_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
  INSERT INTO registry_version (id, version) VALUES (1, 0);
  CREATE TRIGGER clients_inserted AFTER INSERT ON clients BEGIN UPDATE registry_version SET version = version + 1; END;
  CREATE TRIGGER clients_updated AFTER UPDATE ON clients BEGIN UPDATE registry_version SET version = version + 1; END;
  CREATE TRIGGER clients_deleted AFTER DELETE ON clients BEGIN UPDATE registry_version SET version = version + 1; END;
  CREATE TRIGGER resource_servers_inserted AFTER INSERT ON resource_servers
    BEGIN UPDATE registry_version SET version = version + 1; END;
  CREATE TRIGGER resource_servers_updated AFTER UPDATE ON resource_servers
    BEGIN UPDATE registry_version SET version = version + 1; END;
  CREATE TRIGGER resource_servers_deleted AFTER DELETE ON resource_servers
    BEGIN UPDATE registry_version SET version = version + 1; END;
  `,
];
