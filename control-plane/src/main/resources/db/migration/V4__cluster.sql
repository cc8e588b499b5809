-- Workers, placements of model versions on workers, and change notifications that fan out to
-- every control-plane replica (LISTEN maas_changes) when routing-relevant state changes.

create table workers (
    id                text primary key,
    address           text        not null,
    device            text        not null check (device in ('CPU', 'GPU')),
    slots             int         not null check (slots >= 0),
    memory_bytes      bigint      not null default 0,
    labels            jsonb       not null default '{}',
    healthy           boolean     not null default true,
    registered_at     timestamptz not null default now(),
    last_heartbeat_at timestamptz not null default now()
);

create table placements (
    id          text primary key,
    model_id    bigint      not null references models (id) on delete cascade,
    version     bigint      not null,
    worker_id   text        not null references workers (id) on delete cascade,
    state       text        not null check (state in ('LOADING', 'SERVING', 'FAILED')),
    reason      text        not null default '',
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    unique (model_id, version, worker_id)
);
create index placements_worker on placements (worker_id);

-- Versions of routing snapshots and assignment sets: increase across all replicas.
create sequence cluster_generation;

create function maas_notify_change() returns trigger language plpgsql as $$
begin
    perform pg_notify('maas_changes', tg_table_name);
    return null;
end
$$;

create trigger tenants_changed after insert or update or delete on tenants
    for each row execute function maas_notify_change();
create trigger quotas_changed after insert or update or delete on quotas
    for each row execute function maas_notify_change();
create trigger models_changed after insert or update or delete on models
    for each row execute function maas_notify_change();
create trigger model_versions_changed after insert or update or delete on model_versions
    for each row execute function maas_notify_change();
create trigger deployments_changed after insert or update or delete on deployments
    for each row execute function maas_notify_change();

-- Keys: a use (last_used_at) is not a change gateways care about.
create trigger api_keys_added_or_removed after insert or delete on api_keys
    for each row execute function maas_notify_change();
create trigger api_keys_changed after update on api_keys
    for each row
    when (old.revoked_at is distinct from new.revoked_at
          or old.expires_at is distinct from new.expires_at
          or old.scopes is distinct from new.scopes)
    execute function maas_notify_change();

-- Workers and placements: heartbeats are not changes, new addresses, health and states are.
create trigger workers_added_or_removed after insert or delete on workers
    for each row execute function maas_notify_change();
create trigger workers_changed after update on workers
    for each row
    when (old.address is distinct from new.address
          or old.healthy is distinct from new.healthy
          or old.slots is distinct from new.slots
          or old.device is distinct from new.device)
    execute function maas_notify_change();
create trigger placements_added_or_removed after insert or delete on placements
    for each row execute function maas_notify_change();
create trigger placements_changed after update on placements
    for each row
    when (old.state is distinct from new.state)
    execute function maas_notify_change();
