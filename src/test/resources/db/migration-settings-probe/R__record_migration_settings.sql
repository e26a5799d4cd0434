-- Test fixture, run as a migration by MigrationSettingsTest only: records the limits a migration runs under.
CREATE TABLE IF NOT EXISTS migration_settings_probe (
    name    text PRIMARY KEY,
    setting text NOT NULL
);

INSERT INTO migration_settings_probe (name, setting)
SELECT name, setting FROM pg_settings WHERE name IN ('statement_timeout', 'lock_timeout')
UNION ALL
SELECT 'application_name', current_setting('application_name')
ON CONFLICT (name) DO UPDATE SET setting = excluded.setting;
