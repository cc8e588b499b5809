-- Which control plane replica runs a version's upload, so that a replica recovering from a crash
-- fails only the uploads it was running (other replicas' uploads are failed only once they are
-- stale), and a cheap way to find unfinished uploads.
alter table model_versions add column upload_owner text;

create index model_versions_unfinished on model_versions (state)
    where state in ('UPLOADING', 'VALIDATING');

-- Finds the versions that use an artifact (for garbage collection of unreferenced artifacts).
create index model_versions_sha256 on model_versions (sha256) where sha256 is not null;
