-- Tenants, API keys, quotas, models, versions, artifacts, deployments and the audit log.

create table tenants (
    name          text primary key,
    display_name  text        not null default '',
    status        text        not null check (status in ('ACTIVE', 'SUSPENDED')),
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now()
);

create table api_keys (
    key_id        text primary key,
    tenant        text        not null references tenants (name) on delete cascade,
    secret_sha256 bytea       not null,
    scopes        text[]      not null,
    description   text        not null default '',
    created_at    timestamptz not null default now(),
    expires_at    timestamptz,
    revoked_at    timestamptz,
    last_used_at  timestamptz
);
create index api_keys_tenant on api_keys (tenant);

-- A null limit follows the platform default.
create table quotas (
    tenant                  text primary key references tenants (name) on delete cascade,
    requests_per_second     double precision,
    burst                   bigint,
    max_concurrent_requests bigint,
    max_request_bytes       bigint,
    monthly_requests        bigint,
    max_models              bigint,
    max_storage_bytes       bigint,
    max_replicas            bigint
);

-- Per-tenant data keys, wrapped (AES-256-GCM) by the platform master key.
create table tenant_data_keys (
    tenant       text primary key references tenants (name) on delete cascade,
    wrapped_key  bytea       not null,
    created_at   timestamptz not null default now()
);

create table models (
    id           bigserial primary key,
    tenant       text        not null references tenants (name) on delete cascade,
    name         text        not null,
    description  text        not null default '',
    created_at   timestamptz not null default now(),
    unique (tenant, name)
);

-- Stored artifacts, content-addressed by the SHA-256 of the uploaded archive, per tenant (each
-- tenant's copy is encrypted with its own data key).
create table artifacts (
    tenant       text        not null references tenants (name) on delete cascade,
    sha256       text        not null,
    size_bytes   bigint      not null,
    created_at   timestamptz not null default now(),
    primary key (tenant, sha256)
);

create table model_versions (
    model_id     bigint      not null references models (id) on delete cascade,
    version      bigint      not null,
    state        text        not null
        check (state in ('UPLOADING', 'VALIDATING', 'READY', 'FAILED', 'RETIRED')),
    reason       text        not null default '',
    sha256       text,
    size_bytes   bigint,
    signatures   jsonb,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    primary key (model_id, version)
);

create table deployments (
    model_id                bigint primary key references models (id) on delete cascade,
    default_version         bigint           not null,
    traffic_split           jsonb            not null default '[]',
    min_replicas            int              not null,
    max_replicas            int              not null,
    device                  text             not null check (device in ('CPU', 'GPU')),
    batching                jsonb            not null default '{}',
    rate_limit_rps          double precision not null default 0,
    updated_at              timestamptz      not null default now()
);

create table audit_events (
    id          bigserial primary key,
    at          timestamptz not null default now(),
    actor       text        not null,
    tenant      text        not null default '',
    action      text        not null,
    target      text        not null default '',
    before_json text        not null default '',
    after_json  text        not null default ''
);
create index audit_events_tenant on audit_events (tenant, id desc);
