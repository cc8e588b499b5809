-- Usage as gateways report it, summed per tenant, model (by name, so it outlives the model),
-- version and hour; and the ids of the report batches already counted, so a resent batch is
-- counted once.

create table usage_hourly (
    tenant      text        not null references tenants (name) on delete cascade,
    model       text        not null,
    version     bigint      not null,
    hour        timestamptz not null,
    requests    bigint      not null default 0,
    errors      bigint      not null default 0,
    items       bigint      not null default 0,
    bytes_in    bigint      not null default 0,
    bytes_out   bigint      not null default 0,
    compute_ms  bigint      not null default 0,
    primary key (tenant, model, version, hour)
);
create index usage_hourly_tenant_hour on usage_hourly (tenant, hour);

create table usage_batches (
    batch_id     text primary key,
    gateway      text        not null default '',
    received_at  timestamptz not null default now()
);
create index usage_batches_received_at on usage_batches (received_at);
