/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-sqlite-store"

#include "config.h"

#include <sqlite3.h>

#include <glib/gi18n.h>

#include "pdm-database.h"
#include "pdm-error.h"
#include "pdm-merge.h"
#include "pdm-sqlite-store.h"
#include "pdm-training.h"

/* "PDMS": told apart from the app's replica, so neither program ever
 * migrates the other's file. */
#define SERVER_APPLICATION_ID 0x50444D53

/*
 * The server file holds the same record tables as a client, so the core's
 * merge (pdm_repository_apply_change) runs here unchanged, plus:
 *
 * - device: enrolled devices, the SHA-256 of their token, their scope and
 *   the highest mutation id applied from each;
 * - enrollment_code: one-time codes and the scope they give;
 * - change_log: every accepted field version, numbered by `seq` (the pull
 *   cursor) and tagged with the scope that may see it: a kelurahan code,
 *   '' for a record of no kelurahan (only city devices see it), or NULL for
 *   data every device shares. A row with a NULL field is a removal: the
 *   record left that scope. `logged` is when it was logged (Unix ms; NULL
 *   before server migration 5), for compaction (pdm_sqlite_store_compact()).
 */

struct _PdmSqliteStore
{
  GObject        parent_instance;

  PdmDatabase   *database;
  sqlite3       *db;
  PdmRepository *repository;
  GHashTable    *statements;
  char          *server_id;
};

static void pdm_store_iface_init (PdmStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PdmSqliteStore, pdm_sqlite_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PDM_TYPE_STORE, pdm_store_iface_init))

static gboolean
set_meta (sqlite3     *db,
          const char  *key,
          const char  *value,
          GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "INSERT INTO server_meta (key, value) VALUES (?1, ?2)",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_DATABASE,
                   _("Could not record the server identity: %s"), sqlite3_errmsg (db));
      return FALSE;
    }

  return TRUE;
}

/* The server id is made once, when the file is created, so that a client
 * can tell a restored or replaced server from the one it enrolled with. */
static gboolean
migration_1_apply (sqlite3  *db,
                   GError  **error)
{
  g_autofree char *server_id = g_uuid_string_random ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created_at = g_date_time_format_iso8601 (now);

  return set_meta (db, "server_id", server_id, error) &&
         set_meta (db, "created_at", created_at, error);
}

/* The region list and the record tables, taken from the local schema's
 * migrations 1 and 2 so the two can never disagree. When a later local
 * migration changes a record table (not one that only adds indexes or
 * search triggers), mirror it here as a new server migration. */
static gboolean
migration_2_apply (sqlite3  *db,
                   GError  **error)
{
  const PdmSchema *local = pdm_database_get_local_schema ();
  const PdmMigration *regions = &local->migrations[0];
  const PdmMigration *records = &local->migrations[1];

  g_assert (regions->version == 1 && records->version == 2);

  if (sqlite3_exec (db, regions->sql, NULL, NULL, NULL) != SQLITE_OK ||
      (regions->apply != NULL && !regions->apply (db, error)) ||
      sqlite3_exec (db, records->sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, PDM_ERROR, PDM_ERROR_DATABASE,
                     _("Could not create the record tables: %s"), sqlite3_errmsg (db));
      return FALSE;
    }

  return TRUE;
}

/* Pull answers "reset" to a cursor below the horizon: changes up to it may
 * have been compacted away (pdm_sqlite_store_compact()). */
static gboolean
migration_3_apply (sqlite3  *db,
                   GError  **error)
{
  return set_meta (db, "horizon", "0", error);
}

/* The training and form tables of local migration 5 (the drafts of local
 * migration 6 stay on devices). */
static gboolean
migration_4_apply (sqlite3  *db,
                   GError  **error)
{
  const PdmMigration *trainings = &pdm_database_get_local_schema ()->migrations[4];

  g_assert (trainings->version == 5);

  if (sqlite3_exec (db, trainings->sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_DATABASE,
                   _("Could not create the record tables: %s"), sqlite3_errmsg (db));
      return FALSE;
    }

  return TRUE;
}

static const PdmMigration server_migrations[] = {
  {
    1,
    "CREATE TABLE server_meta ("
    "  key   TEXT PRIMARY KEY NOT NULL,"
    "  value TEXT NOT NULL"
    ") STRICT, WITHOUT ROWID;",
    migration_1_apply,
  },
  {
    2,
    NULL,
    migration_2_apply,
  },
  {
    3,
    "CREATE TABLE device ("
    "  id              TEXT PRIMARY KEY NOT NULL,"
    "  name            TEXT NOT NULL,"
    "  kelurahan_code  TEXT,"
    "  token_hash      TEXT NOT NULL UNIQUE,"
    "  created         INTEGER NOT NULL,"
    "  revoked         INTEGER NOT NULL DEFAULT 0,"
    "  last_applied_id INTEGER NOT NULL DEFAULT 0,"
    "  last_push       INTEGER NOT NULL DEFAULT 0,"
    "  last_pull       INTEGER NOT NULL DEFAULT 0"
    ") STRICT;"
    "CREATE TABLE enrollment_code ("
    "  code            TEXT PRIMARY KEY NOT NULL,"
    "  kelurahan_code  TEXT,"
    "  created         INTEGER NOT NULL,"
    "  expires         INTEGER NOT NULL,"
    "  used_by         TEXT REFERENCES device (id)"
    ") STRICT;"
    "CREATE TABLE change_log ("
    "  seq             INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  tbl             TEXT NOT NULL,"
    "  row_id          TEXT NOT NULL,"
    "  field           TEXT,"
    "  stamp           TEXT,"
    "  base            TEXT,"
    "  value           TEXT,"
    "  scope_code      TEXT"
    ");"
    "CREATE INDEX change_log_scope ON change_log (scope_code, seq);",
    migration_3_apply,
  },
  {
    4,
    NULL,
    migration_4_apply,
  },
  {
    5,
    /* When each change was logged, so compaction can spare what devices
     * that synced lately may still be reading. */
    "ALTER TABLE change_log ADD COLUMN logged INTEGER;",
    NULL,
  },
};

static const PdmSchema server_schema = {
  SERVER_APPLICATION_ID,
  server_migrations,
  G_N_ELEMENTS (server_migrations),
};

static gboolean
db_failed (PdmSqliteStore  *self,
           GError         **error)
{
  g_set_error (error, PDM_ERROR, PDM_ERROR_DATABASE,
               _("The server database %s does not answer: %s"),
               pdm_database_get_path (self->database), sqlite3_errmsg (self->db));
  return FALSE;
}

/* Statements are kept prepared, keyed by their SQL, which is always ours. */
static sqlite3_stmt *
statement (PdmSqliteStore  *self,
           const char      *sql,
           GError         **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      db_failed (self, error);
      return NULL;
    }
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);

  return stmt;
}

/* Runs a statement that returns no rows. */
static gboolean
run (PdmSqliteStore  *self,
     sqlite3_stmt    *stmt,
     GError         **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);

  return rc == SQLITE_DONE || db_failed (self, error);
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;

  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

/* Reads one integer; @fallback when the query returns no row. */
static gboolean
query_int (PdmSqliteStore  *self,
           const char      *sql,
           const char      *param,
           gint64           fallback,
           gint64          *out_value,
           GError         **error)
{
  sqlite3_stmt *stmt = statement (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (stmt);
  *out_value = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : fallback;
  sqlite3_reset (stmt);

  return rc == SQLITE_ROW || rc == SQLITE_DONE || db_failed (self, error);
}

/* Reads one server_meta value; %NULL with @error set when it is missing. */
static char *
get_meta (PdmSqliteStore  *self,
          const char      *key,
          GError         **error)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;
  int rc;

  /* Not cached: health must notice a table that vanished under it. */
  rc = sqlite3_prepare_v2 (self->db, "SELECT value FROM server_meta WHERE key = ?1", -1, &stmt,
                           NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    }
  sqlite3_finalize (stmt);

  if (value == NULL)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, PDM_ERROR, PDM_ERROR_DATABASE,
                     _("The server database %s has no “%s” entry"),
                     pdm_database_get_path (self->database), key);
      else
        db_failed (self, error);
    }

  return value;
}

static gboolean
is_known_kelurahan (PdmSqliteStore  *self,
                    const char      *code,
                    gboolean        *out_known,
                    GError         **error)
{
  gint64 found;

  if (!query_int (self, "SELECT 1 FROM region WHERE code = ?1 AND level = 'kelurahan'",
                  code, 0, &found, error))
    return FALSE;

  *out_known = found == 1;

  return TRUE;
}

static const char *
pdm_sqlite_store_get_server_id (PdmStore *store)
{
  return PDM_SQLITE_STORE (store)->server_id;
}

static gboolean
pdm_sqlite_store_check (PdmStore  *store,
                        GError   **error)
{
  g_autofree char *server_id = get_meta (PDM_SQLITE_STORE (store), "server_id", error);

  return server_id != NULL;
}

static gboolean
begin (PdmSqliteStore  *self,
       GError         **error)
{
  return pdm_repository_begin (self->repository, error);
}

static gboolean
commit (PdmSqliteStore  *self,
        gboolean         ok,
        GError         **error)
{
  if (!ok)
    {
      pdm_repository_rollback (self->repository);
      return FALSE;
    }

  return pdm_repository_commit (self->repository, error);
}

static char *
pdm_sqlite_store_create_enrollment_code (PdmStore    *store,
                                         const char  *kelurahan_code,
                                         gint64       expires,
                                         GError     **error)
{
  PdmSqliteStore *self = PDM_SQLITE_STORE (store);
  gboolean known = TRUE;
  sqlite3_stmt *stmt;

  if (kelurahan_code != NULL && !is_known_kelurahan (self, kelurahan_code, &known, error))
    return NULL;
  if (!known)
    {
      g_set_error (error, PDM_STORE_ERROR, PDM_STORE_ERROR_UNKNOWN_KELURAHAN,
                   _("“%s” is not a kelurahan code of Kota Bukittinggi"), kelurahan_code);
      return NULL;
    }

  /* A clash of two live codes is unlikely but would hand one scope to the
   * other's device: draw again. */
  for (guint attempt = 0; attempt < 8; attempt++)
    {
      g_autofree char *code = pdm_store_generate_code (error);
      int rc;

      if (code == NULL)
        return NULL;

      stmt = statement (self,
                        "INSERT OR IGNORE INTO enrollment_code (code, kelurahan_code, created, expires) "
                        "VALUES (?1, ?2, ?3, ?4)",
                        error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
      bind_text_or_null (stmt, 2, kelurahan_code);
      sqlite3_bind_int64 (stmt, 3, g_get_real_time () / 1000);
      sqlite3_bind_int64 (stmt, 4, expires);
      if (!run (self, stmt, error))
        return NULL;

      rc = sqlite3_changes (self->db);
      if (rc == 1)
        return g_steal_pointer (&code);
    }

  db_failed (self, error);
  return NULL;
}

#define DEVICE_COLUMNS "id, name, kelurahan_code, created, last_push, last_pull, revoked"

static PdmDevice *
device_from_row (sqlite3_stmt *stmt)
{
  PdmDevice *device = g_new0 (PdmDevice, 1);

  device->id = column_text (stmt, 0);
  device->name = column_text (stmt, 1);
  device->kelurahan_code = column_text (stmt, 2);
  device->created = sqlite3_column_int64 (stmt, 3);
  device->last_push = sqlite3_column_int64 (stmt, 4);
  device->last_pull = sqlite3_column_int64 (stmt, 5);
  device->revoked = sqlite3_column_int (stmt, 6) != 0;

  return device;
}

/* The device holding @token_hash; %NULL without @error when none does. */
static PdmDevice *
find_device (PdmSqliteStore  *self,
             const char      *sql,
             const char      *key,
             GError         **error)
{
  sqlite3_stmt *stmt = statement (self, sql, error);
  PdmDevice *device = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    device = device_from_row (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    db_failed (self, error);

  return device;
}

static gboolean
redeem_code (PdmSqliteStore  *self,
             const char      *code,
             const char      *device_id,
             const char      *device_name,
             const char      *token_hash,
             gint64           now,
             GError         **error)
{
  g_autofree char *kelurahan_code = NULL;
  gboolean usable = FALSE;
  sqlite3_stmt *stmt;
  int rc;

  stmt = statement (self,
                    "SELECT kelurahan_code, expires > ?2 AND used_by IS NULL "
                    "FROM enrollment_code WHERE code = ?1",
                    error);
  if (stmt == NULL)
    return FALSE;
  bind_text_or_null (stmt, 1, code);
  sqlite3_bind_int64 (stmt, 2, now);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      kelurahan_code = column_text (stmt, 0);
      usable = sqlite3_column_int (stmt, 1) != 0;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return db_failed (self, error);

  if (!usable)
    {
      g_set_error (error, PDM_STORE_ERROR, PDM_STORE_ERROR_ENROLLMENT_REFUSED,
                   _("This enrollment code is unknown, was already used or has expired; "
                     "ask the Dinas for a new one"));
      return FALSE;
    }

  /* Enrolling again keeps the device's last applied id, so a retry of a
   * batch sent before still counts as sent. */
  stmt = statement (self,
                    "INSERT INTO device (id, name, kelurahan_code, token_hash, created) "
                    "VALUES (?1, ?2, ?3, ?4, ?5) "
                    "ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
                    "  kelurahan_code = excluded.kelurahan_code, "
                    "  token_hash = excluded.token_hash, revoked = 0",
                    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, device_name, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 3, kelurahan_code);
  sqlite3_bind_text (stmt, 4, token_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, now);
  if (!run (self, stmt, error))
    return FALSE;

  stmt = statement (self, "UPDATE enrollment_code SET used_by = ?2 WHERE code = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, device_id, -1, SQLITE_TRANSIENT);

  return run (self, stmt, error);
}

static char *
pdm_sqlite_store_redeem_enrollment (PdmStore    *store,
                                    const char  *code,
                                    const char  *device_id,
                                    const char  *device_name,
                                    gint64       now,
                                    PdmDevice  **out_device,
                                    GError     **error)
{
  PdmSqliteStore *self = PDM_SQLITE_STORE (store);
  g_autofree char *normal = pdm_store_normalize_code (code);
  g_autofree char *token = NULL;
  g_autofree char *token_hash = NULL;
  g_autoptr(PdmDevice) device = NULL;

  token = pdm_store_generate_token (error);
  if (token == NULL)
    return NULL;
  token_hash = pdm_store_hash_token (token);

  if (!begin (self, error))
    return NULL;
  if (!commit (self, redeem_code (self, normal, device_id, device_name, token_hash, now, error),
               error))
    return NULL;

  device = find_device (self, "SELECT " DEVICE_COLUMNS " FROM device WHERE id = ?1",
                        device_id, error);
  if (device == NULL)
    {
      if (error != NULL && *error == NULL)
        db_failed (self, error);
      return NULL;
    }

  if (out_device != NULL)
    *out_device = g_steal_pointer (&device);

  return g_steal_pointer (&token);
}

static PdmDevice *
pdm_sqlite_store_authenticate (PdmStore    *store,
                               const char  *token,
                               GError     **error)
{
  PdmSqliteStore *self = PDM_SQLITE_STORE (store);
  g_autofree char *token_hash = pdm_store_hash_token (token);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PdmDevice) device = NULL;

  device = find_device (self, "SELECT " DEVICE_COLUMNS " FROM device WHERE token_hash = ?1",
                        token_hash, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (device == NULL || device->revoked)
    {
      g_set_error (error, PDM_STORE_ERROR, PDM_STORE_ERROR_UNAUTHORIZED,
                   device == NULL
                   ? _("This device is not enrolled with the server")
                   : _("This device was revoked by the Dinas"));
      return NULL;
    }

  return g_steal_pointer (&device);
}

static gboolean
pdm_sqlite_store_revoke (PdmStore    *store,
                         const char  *device_id,
                         GError     **error)
{
  PdmSqliteStore *self = PDM_SQLITE_STORE (store);
  sqlite3_stmt *stmt = statement (self, "UPDATE device SET revoked = 1 WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_TRANSIENT);
  if (!run (self, stmt, error))
    return FALSE;

  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, PDM_STORE_ERROR, PDM_STORE_ERROR_UNKNOWN_DEVICE,
                   _("No device “%s” is enrolled"), device_id);
      return FALSE;
    }

  return TRUE;
}

static GPtrArray *
pdm_sqlite_store_list_devices (PdmStore  *store,
                               GError   **error)
{
  PdmSqliteStore *self = PDM_SQLITE_STORE (store);
  g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func ((GDestroyNotify) pdm_device_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = statement (self, "SELECT " DEVICE_COLUMNS " FROM device ORDER BY created, id", error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (devices, device_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      db_failed (self, error);
      return NULL;
    }

  return g_steal_pointer (&devices);
}

/* ---- scope --------------------------------------------------------------- */

/* Where a record belongs: whether the server has it, and the kelurahan
 * whose devices may see it (NULL for none). Persons and visits belong
 * where their household does; a proposal where its target does. */
static gboolean
lookup_scope (PdmSqliteStore  *self,
              PdmTable         table,
              const char      *row_id,
              gboolean        *out_exists,
              char           **out_code,
              GError         **error)
{
  static const char * const sql[PDM_N_TABLES] = {
    [PDM_TABLE_VOLUNTEER] = "SELECT kelurahan_code, NULL FROM volunteer WHERE id = ?1",
    [PDM_TABLE_HOUSEHOLD] = "SELECT kelurahan_code, NULL FROM household WHERE id = ?1",
    [PDM_TABLE_PERSON] = "SELECT h.kelurahan_code, NULL FROM person r "
                         "LEFT JOIN household h ON h.id = r.household_id WHERE r.id = ?1",
    [PDM_TABLE_VISIT] = "SELECT h.kelurahan_code, NULL FROM visit r "
                        "LEFT JOIN household h ON h.id = r.household_id WHERE r.id = ?1",
    [PDM_TABLE_PROPOSAL] = "SELECT target_table, target_id FROM proposal WHERE id = ?1",
    /* Shared city-wide: in no kelurahan (record_scope()). */
    [PDM_TABLE_TRAINING] = "SELECT NULL, NULL FROM training WHERE id = ?1",
    [PDM_TABLE_TRAINING_SESSION] = "SELECT NULL, NULL FROM training_session WHERE id = ?1",
    [PDM_TABLE_PARTICIPANT] = "SELECT NULL, NULL FROM participant WHERE id = ?1",
    [PDM_TABLE_ATTENDANCE] = "SELECT NULL, NULL FROM attendance WHERE id = ?1",
    [PDM_TABLE_FORM] = "SELECT NULL, NULL FROM form WHERE id = ?1",
    [PDM_TABLE_RESPONSE] = "SELECT NULL, NULL FROM response WHERE id = ?1",
  };
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  const PdmTableInfo *target;
  sqlite3_stmt *stmt;
  int rc;

  *out_exists = FALSE;
  *out_code = NULL;

  if (row_id == NULL)
    return TRUE;

  stmt = statement (self, sql[table], error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, row_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      first = column_text (stmt, 0);
      second = column_text (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return rc == SQLITE_DONE || db_failed (self, error);

  *out_exists = TRUE;
  if (table != PDM_TABLE_PROPOSAL)
    {
      *out_code = g_steal_pointer (&first);
      return TRUE;
    }

  target = pdm_table_info_lookup (first);
  if (target == NULL || target->table == PDM_TABLE_PROPOSAL)
    return TRUE;

  {
    gboolean target_exists;

    return lookup_scope (self, target->table, second, &target_exists, out_code, error);
  }
}

/* The value @mutation writes to @field, and whether it writes it at all. */
static const char *
mutation_value (const PdmMutation *mutation,
                const char        *field,
                gboolean          *out_present)
{
  for (guint i = 0; i < mutation->changes->len; i++)
    {
      const PdmChange *change = g_ptr_array_index (mutation->changes, i);

      if (g_str_equal (change->field, field))
        {
          *out_present = TRUE;
          return change->value;
        }
    }

  *out_present = FALSE;
  return NULL;
}

/* The scopes @mutation would put its record in: the kelurahan it writes,
 * or that of the household or target it points the record at. */
static gboolean
collect_new_scopes (PdmSqliteStore     *self,
                    const PdmMutation  *mutation,
                    PdmTable            table,
                    GPtrArray          *scopes,
                    GError            **error)
{
  gboolean present = FALSE;
  const char *value;

  switch (table)
    {
    case PDM_TABLE_VOLUNTEER:
    case PDM_TABLE_HOUSEHOLD:
      value = mutation_value (mutation, "kelurahan_code", &present);
      if (present)
        g_ptr_array_add (scopes, g_strdup (value));
      return TRUE;

    case PDM_TABLE_PERSON:
    case PDM_TABLE_VISIT:
      value = mutation_value (mutation, "household_id", &present);
      break;

    case PDM_TABLE_PROPOSAL:
      {
        gboolean table_present, id_present;
        const char *target_table = mutation_value (mutation, "target_table", &table_present);
        const char *target_id = mutation_value (mutation, "target_id", &id_present);
        const PdmTableInfo *target;

        if (!table_present && !id_present)
          return TRUE;

        /* A proposal that points elsewhere must name its whole target. */
        target = pdm_table_info_lookup (target_table);
        if (!table_present || !id_present || target == NULL ||
            target->table == PDM_TABLE_PROPOSAL)
          {
            g_ptr_array_add (scopes, NULL);
            return TRUE;
          }
        table = target->table;
        value = target_id;
        present = TRUE;
      }
      break;

    case PDM_N_TABLES:
    default:
      g_assert_not_reached ();
    }

  if (present)
    {
      gboolean exists;
      char *code;

      if (table == PDM_TABLE_PERSON || table == PDM_TABLE_VISIT)
        table = PDM_TABLE_HOUSEHOLD;
      if (!lookup_scope (self, table, value, &exists, &code, error))
        return FALSE;
      g_ptr_array_add (scopes, code);
    }

  return TRUE;
}

/* Refuses what the store itself must judge: kelurahan codes that do not
 * exist, and, for a kelurahan device, any record outside its kelurahan
 * before or after the write. Returns %FALSE only when the database fails. */
static gboolean
check_mutation (PdmSqliteStore   *self,
                const PdmDevice  *device,
                PdmMutation      *mutation,
                GError          **error)
{
  const PdmTableInfo *info = pdm_table_info_lookup (mutation->table);
  g_autoptr(GPtrArray) scopes = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *current = NULL;
  gboolean present, exists, known;
  const char *code;

  g_assert (info != NULL);

  /* Shipped forms come from the server alone, the same on every replica. */
  if (info->flags & PDM_TABLE_FLAG_SERVER_ONLY)
    {
      pdm_mutation_refuse (mutation, "read-only",
                           _("Forms come with the server; a device cannot change them"));
      return TRUE;
    }

  code = mutation_value (mutation, "kelurahan_code", &present);
  if (present)
    {
      if (code != NULL && !is_known_kelurahan (self, code, &known, error))
        return FALSE;
      if (code == NULL || !known)
        {
          g_autofree char *message =
            g_strdup_printf (_("“%s” is not a kelurahan code of Kota Bukittinggi"),
                             code != NULL ? code : "");

          pdm_mutation_refuse (mutation, "invalid-value", message);
          return TRUE;
        }
    }

  /* Trainings and their records are the whole city's: any enrolled
   * device writes them, but a submitted response only once. */
  if (info->flags & PDM_TABLE_FLAG_SHARED)
    {
      if (info->flags & PDM_TABLE_FLAG_IMMUTABLE &&
          !lookup_scope (self, info->table, mutation->row_id, &exists, &current, error))
        return FALSE;
      if (info->flags & PDM_TABLE_FLAG_IMMUTABLE && exists)
        pdm_mutation_refuse (mutation, "immutable",
                             _("This form was already submitted; a submitted form cannot be "
                               "changed"));
      return TRUE;
    }

  if (device->kelurahan_code == NULL)
    return TRUE;

  if (!lookup_scope (self, info->table, mutation->row_id, &exists, &current, error))
    return FALSE;
  if (exists)
    g_ptr_array_add (scopes, g_steal_pointer (&current));
  if (!collect_new_scopes (self, mutation, info->table, scopes, error))
    return FALSE;

  /* A record the device cannot show to be its own is not. */
  if (scopes->len == 0)
    g_ptr_array_add (scopes, NULL);

  for (guint i = 0; i < scopes->len; i++)
    if (g_strcmp0 (g_ptr_array_index (scopes, i), device->kelurahan_code) != 0)
      {
        g_autofree char *message =
          g_strdup_printf (_("This device may only write records of kelurahan %s"),
                           device->kelurahan_code);

        pdm_mutation_refuse (mutation, "out-of-scope", message);
        break;
      }

  return TRUE;
}

/* ---- change log ---------------------------------------------------------- */

/* The scope_code a version of a record of @table in @kelurahan_code is
 * logged under: NULL (every device) for shared tables, '' for "no
 * kelurahan" (city devices see it, kelurahan ones not). */
static const char *
record_scope (PdmTable    table,
              const char *kelurahan_code)
{
  if (pdm_table_info_get (table)->flags & PDM_TABLE_FLAG_SHARED)
    return NULL;

  return kelurahan_code != NULL ? kelurahan_code : "";
}

static gboolean
log_version (PdmSqliteStore  *self,
             const char      *table,
             const char      *row_id,
             const char      *field,
             const char      *stamp,
             const char      *base,
             const char      *value,
             const char      *scope,
             GError         **error)
{
  sqlite3_stmt *stmt;

  stmt = statement (self,
                    "INSERT INTO change_log (tbl, row_id, field, stamp, base, value, scope_code, "
                    "logged) VALUES (?1, ?2, ?3, ?4, NULLIF (?5, ''), ?6, ?7, ?8)",
                    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, row_id, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 3, field);
  bind_text_or_null (stmt, 4, stamp);
  bind_text_or_null (stmt, 5, base);
  bind_text_or_null (stmt, 6, value);
  bind_text_or_null (stmt, 7, scope);
  sqlite3_bind_int64 (stmt, 8, g_get_real_time () / 1000);

  return run (self, stmt, error);
}

/* Every current version of one record (winners and kept conflicts), so a
 * device that gains the record receives it whole. */
static gboolean
log_snapshot (PdmSqliteStore  *self,
              PdmTable         table,
              const char      *row_id,
              const char      *scope,
              GError         **error)
{
  const PdmTableInfo *info = pdm_table_info_get (table);
  g_autoptr(PdmRecord) record = pdm_repository_get (self->repository, table, row_id, error);

  if (record == NULL)
    return FALSE;

  for (guint i = 0; i < info->n_fields; i++)
    {
      const char *field = info->fields[i].name;
      g_autofree char *base = NULL;
      g_autofree char *stamp = NULL;
      g_autoptr(GPtrArray) conflicts = NULL;

      stamp = pdm_repository_get_field_stamp (self->repository, table, row_id, field, &base,
                                              error);
      if (stamp == NULL)
        return FALSE;
      /* An empty stamp: no version of this field has arrived yet. */
      if (*stamp != '\0' &&
          !log_version (self, info->name, row_id, field, stamp, base, record->values[i], scope,
                        error))
        return FALSE;

      conflicts = pdm_repository_list_conflicts (self->repository, table, row_id, field, error);
      if (conflicts == NULL)
        return FALSE;
      for (guint c = 0; c < conflicts->len; c++)
        {
          const PdmVersion *version = g_ptr_array_index (conflicts, c);

          if (!log_version (self, info->name, row_id, field, version->stamp, version->base,
                            version->value, scope, error))
            return FALSE;
        }
    }

  return TRUE;
}

/* A household moves with what belongs where it does (lookup_scope()): its
 * members and visits, and the proposals to change it, them or its visits;
 * a record of another kind moves with the proposals to change it. With
 * @removal the family leaves @scope, otherwise it arrives there whole.
 * With @with_self %FALSE only the others are logged. */
static gboolean
log_family (PdmSqliteStore  *self,
            PdmTable         table,
            const char      *row_id,
            const char      *scope,
            gboolean         removal,
            gboolean         with_self,
            GError         **error)
{
  static const char household_sql[] =
    "SELECT 'person', id FROM person WHERE household_id = ?1 "
    "UNION ALL SELECT 'visit', id FROM visit WHERE household_id = ?1 "
    "UNION ALL SELECT 'proposal', id FROM proposal "
    "  WHERE target_table = 'household' AND target_id = ?1 "
    "UNION ALL SELECT 'proposal', p.id FROM person r "
    "  JOIN proposal p ON p.target_table = 'person' AND p.target_id = r.id "
    "  WHERE r.household_id = ?1 "
    "UNION ALL SELECT 'proposal', p.id FROM visit v "
    "  JOIN proposal p ON p.target_table = 'visit' AND p.target_id = v.id "
    "  WHERE v.household_id = ?1";
  static const char target_sql[] =
    "SELECT 'proposal', id FROM proposal WHERE target_table = ?2 AND target_id = ?1";
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  if (with_self)
    {
      g_ptr_array_add (rows, g_strdup (pdm_table_info_get (table)->name));
      g_ptr_array_add (rows, g_strdup (row_id));
    }

  /* A proposal is no proposal's target (collect_new_scopes()). */
  if (table != PDM_TABLE_PROPOSAL)
    {
      stmt = statement (self, table == PDM_TABLE_HOUSEHOLD ? household_sql : target_sql, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, row_id, -1, SQLITE_TRANSIENT);
      if (table != PDM_TABLE_HOUSEHOLD)
        sqlite3_bind_text (stmt, 2, pdm_table_info_get (table)->name, -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          g_ptr_array_add (rows, column_text (stmt, 0));
          g_ptr_array_add (rows, column_text (stmt, 1));
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return db_failed (self, error);
    }

  for (guint i = 0; i < rows->len; i += 2)
    {
      const char *name = g_ptr_array_index (rows, i);
      const char *id = g_ptr_array_index (rows, i + 1);
      gboolean ok;

      if (removal)
        ok = log_version (self, name, id, NULL, NULL, NULL, NULL, scope, error);
      else
        ok = log_snapshot (self, pdm_table_info_lookup (name)->table, id, scope, error);
      if (!ok)
        return FALSE;
    }

  return TRUE;
}

static gboolean
apply_mutation (PdmSqliteStore  *self,
                PdmMutation     *mutation,
                GError         **error)
{
  PdmTable table = pdm_table_info_lookup (mutation->table)->table;
  g_autoptr(GArray) changed = g_array_sized_new (FALSE, TRUE, sizeof (gboolean),
                                                 mutation->changes->len);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gboolean existed, exists;

  if (!lookup_scope (self, table, mutation->row_id, &existed, &before, error))
    return FALSE;

  for (guint i = 0; i < mutation->changes->len; i++)
    {
      gboolean field_changed = FALSE;

      if (!pdm_repository_apply_change (self->repository,
                                        g_ptr_array_index (mutation->changes, i),
                                        &field_changed, error))
        return FALSE;
      g_array_append_val (changed, field_changed);
    }

  /* Versions are logged under the scope the whole mutation leaves the
   * record in, so a household and its new kelurahan travel together. */
  if (!lookup_scope (self, table, mutation->row_id, &exists, &after, error))
    return FALSE;

  for (guint i = 0; i < mutation->changes->len; i++)
    {
      const PdmChange *change = g_ptr_array_index (mutation->changes, i);

      if (g_array_index (changed, gboolean, i) &&
          !log_version (self, mutation->table, change->row_id, change->field, change->stamp,
                        change->base, change->value, record_scope (table, after), error))
        return FALSE;
    }

  if (existed && g_strcmp0 (before, after) != 0)
    {
      /* The record (with its members) left one kelurahan for another. */
      if (before != NULL && !log_family (self, table, mutation->row_id, before, TRUE, TRUE, error))
        return FALSE;
      if (after != NULL && !log_family (self, table, mutation->row_id, after, FALSE, TRUE, error))
        return FALSE;
    }
  else if (!existed && table == PDM_TABLE_HOUSEHOLD && after != NULL)
    {
      /* Members that arrived before their household now have a scope. */
      if (!log_family (self, table, mutation->row_id, after, FALSE, FALSE, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
push_batch (PdmSqliteStore   *self,
            const PdmDevice  *device,
            GPtrArray        *mutations,
            gint64            now,
            guint64          *out_applied_through,
            GError          **error)
{
  sqlite3_stmt *stmt;
  gint64 last = 0;

  if (!query_int (self, "SELECT last_applied_id FROM device WHERE id = ?1", device->id, 0,
                  &last, error))
    return FALSE;

  for (guint i = 0; i < mutations->len; i++)
    {
      PdmMutation *mutation = g_ptr_array_index (mutations, i);

      if (mutation->id <= (guint64) last)
        {
          mutation->skipped = TRUE;
          continue;
        }
      last = (gint64) mutation->id;

      if (mutation->refusal == NULL && !check_mutation (self, device, mutation, error))
        return FALSE;
      if (mutation->refusal == NULL && !apply_mutation (self, mutation, error))
        return FALSE;
    }

  stmt = statement (self, "UPDATE device SET last_applied_id = ?2, last_push = ?3 WHERE id = ?1",
                    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, device->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, last);
  sqlite3_bind_int64 (stmt, 3, now);
  if (!run (self, stmt, error))
    return FALSE;

  *out_applied_through = (guint64) last;

  return TRUE;
}

static gboolean
pdm_sqlite_store_push (PdmStore         *store,
                       const PdmDevice  *device,
                       GPtrArray        *mutations,
                       gint64            now,
                       guint64          *out_applied_through,
                       GError          **error)
{
  PdmSqliteStore *self = PDM_SQLITE_STORE (store);

  if (!begin (self, error))
    return FALSE;

  return commit (self, push_batch (self, device, mutations, now, out_applied_through, error),
                 error);
}

/* ---- pull ---------------------------------------------------------------- */

/* A removal is left out when the same page later brings the record back
 * (it moved away and back): the client applies changes, then removals. */
static void
drop_superseded_removals (PdmPullPage *page,
                          GPtrArray   *rows)
{
  g_autoptr(GHashTable) changed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint first_removal = rows->len;

  /* Only changes after a removal can supersede it: most pages have none,
   * and keying 100,000 changes cost a tenth of serving the page. */
  for (guint i = 0; i < rows->len && first_removal == rows->len; i++)
    if (((PdmChange *) g_ptr_array_index (rows, i))->field == NULL)
      first_removal = i;

  for (guint i = rows->len; i-- > first_removal;)
    {
      PdmChange *row = g_ptr_array_index (rows, i);
      char *key = g_strconcat (row->table, "/", row->row_id, NULL);

      if (row->field != NULL)
        {
          g_hash_table_add (changed, key);
          continue;
        }
      if (!g_hash_table_contains (changed, key))
        g_ptr_array_insert (page->removed, 0, g_steal_pointer (&g_ptr_array_index (rows, i)));
      g_free (key);
    }

  for (guint i = 0; i < rows->len; i++)
    {
      PdmChange *row = g_ptr_array_index (rows, i);

      if (row != NULL && row->field != NULL)
        g_ptr_array_add (page->changes, g_steal_pointer (&g_ptr_array_index (rows, i)));
    }
}

static gboolean
read_page (PdmSqliteStore   *self,
           const PdmDevice  *device,
           gint64            cursor,
           guint             limit,
           PdmPullPage      *page,
           GError          **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) pdm_change_free);
  g_autofree char *horizon_text = NULL;
  sqlite3_stmt *stmt;
  gint64 last_seq;
  gint64 horizon;
  int rc;

  horizon_text = get_meta (self, "horizon", error);
  if (horizon_text == NULL ||
      !query_int (self, "SELECT seq FROM sqlite_sequence WHERE name = 'change_log'", NULL, 0,
                  &last_seq, error))
    return FALSE;
  horizon = g_ascii_strtoll (horizon_text, NULL, 10);

  /* Older than what the server keeps, or from a server that was replaced. */
  if (cursor > 0 && (cursor < horizon || cursor > last_seq))
    {
      page->reset = TRUE;
      return TRUE;
    }

  /* A city device sees every version but no removals: nothing leaves its
   * scope. Index order merges the two branches of the kelurahan query. */
  if (device->kelurahan_code == NULL)
    stmt = statement (self,
                      "SELECT seq, tbl, row_id, field, stamp, base, value FROM change_log "
                      "WHERE seq > ?1 AND field IS NOT NULL ORDER BY seq LIMIT ?2",
                      error);
  else
    stmt = statement (self,
                      "SELECT seq, tbl, row_id, field, stamp, base, value FROM change_log "
                      "WHERE scope_code = ?3 AND seq > ?1 "
                      "UNION ALL "
                      "SELECT seq, tbl, row_id, field, stamp, base, value FROM change_log "
                      "WHERE scope_code IS NULL AND seq > ?1 "
                      "ORDER BY 1 LIMIT ?2",
                      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, cursor);
  sqlite3_bind_int64 (stmt, 2, (gint64) limit + 1);
  if (device->kelurahan_code != NULL)
    sqlite3_bind_text (stmt, 3, device->kelurahan_code, -1, SQLITE_TRANSIENT);

  page->cursor = cursor;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (rows->len == limit)
        {
          page->more = TRUE;
          break;
        }
      page->cursor = sqlite3_column_int64 (stmt, 0);
      g_ptr_array_add (rows, pdm_change_new ((const char *) sqlite3_column_text (stmt, 1),
                                             (const char *) sqlite3_column_text (stmt, 2),
                                             (const char *) sqlite3_column_text (stmt, 3),
                                             (const char *) sqlite3_column_text (stmt, 4),
                                             (const char *) sqlite3_column_text (stmt, 5),
                                             (const char *) sqlite3_column_text (stmt, 6)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return db_failed (self, error);

  /* Nothing more in this scope up to the newest change: the device need
   * not scan other scopes' changes again. */
  if (!page->more)
    page->cursor = MAX (page->cursor, last_seq);

  drop_superseded_removals (page, rows);

  return TRUE;
}

static PdmPullPage *
pdm_sqlite_store_pull (PdmStore         *store,
                       const PdmDevice  *device,
                       gint64            cursor,
                       guint             limit,
                       gint64            now,
                       GError          **error)
{
  PdmSqliteStore *self = PDM_SQLITE_STORE (store);
  g_autoptr(PdmPullPage) page = pdm_pull_page_new ();
  sqlite3_stmt *stmt;

  /* One transaction, so the page and the newest seq agree. */
  if (!begin (self, error))
    return NULL;
  if (!commit (self, read_page (self, device, cursor, limit, page, error), error))
    return NULL;

  stmt = statement (self, "UPDATE device SET last_pull = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, device->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  if (!run (self, stmt, error))
    return NULL;

  return g_steal_pointer (&page);
}

static gboolean
pdm_sqlite_store_get_status (PdmStore        *store,
                             PdmStoreStatus  *out_status,
                             GError         **error)
{
  PdmSqliteStore *self = PDM_SQLITE_STORE (store);
  g_autofree char *horizon = NULL;
  gint64 value;

  memset (out_status, 0, sizeof *out_status);

  for (guint t = 0; t < PDM_N_TABLES; t++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s WHERE deleted = 0",
                                              pdm_table_info_get (t)->name);

      if (!query_int (self, sql, NULL, 0, &value, error))
        return FALSE;
      out_status->n_records[t] = (guint64) value;
    }

  if (!query_int (self, "SELECT count(*) FROM device", NULL, 0, &value, error))
    return FALSE;
  out_status->n_devices = (guint) value;
  if (!query_int (self, "SELECT count(*) FROM device WHERE revoked", NULL, 0, &value, error))
    return FALSE;
  out_status->n_revoked = (guint) value;
  if (!query_int (self, "SELECT count(*) FROM enrollment_code WHERE used_by IS NULL "
                  "AND expires > CAST (strftime ('%s', 'now') AS INTEGER) * 1000",
                  NULL, 0, &value, error))
    return FALSE;
  out_status->n_pending_codes = (guint) value;
  if (!query_int (self, "SELECT seq FROM sqlite_sequence WHERE name = 'change_log'", NULL, 0,
                  &out_status->last_seq, error))
    return FALSE;

  horizon = get_meta (self, "horizon", error);
  if (horizon == NULL)
    return FALSE;
  out_status->horizon = g_ascii_strtoll (horizon, NULL, 10);

  return TRUE;
}

/* By key, then version from the oldest: the core lists the newest first,
 * the store interface promises the other way round. */
static int
compare_forms (gconstpointer a,
               gconstpointer b)
{
  const PdmRecord *form_a = *(const PdmRecord * const *) a;
  const PdmRecord *form_b = *(const PdmRecord * const *) b;
  int by_key = g_strcmp0 (pdm_record_get (form_a, "form_key"),
                          pdm_record_get (form_b, "form_key"));
  gint64 version_a, version_b;

  if (by_key != 0)
    return by_key;

  version_a = g_ascii_strtoll (pdm_record_get (form_a, "version"), NULL, 10);
  version_b = g_ascii_strtoll (pdm_record_get (form_b, "version"), NULL, 10);

  return (version_a > version_b) - (version_a < version_b);
}

static GPtrArray *
pdm_sqlite_store_list_forms (PdmStore    *store,
                             const char  *form_key,
                             gint64       version,
                             GError     **error)
{
  PdmSqliteStore *self = PDM_SQLITE_STORE (store);
  g_autoptr(GPtrArray) forms = NULL;

  if (version > 0)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(PdmRecord) form = pdm_training_get_form (self->repository, form_key, version,
                                                         &local_error);

      if (form == NULL && !g_error_matches (local_error, PDM_ERROR, PDM_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }

      forms = g_ptr_array_new_with_free_func ((GDestroyNotify) pdm_record_free);
      /* A version asked for by number comes back even when deleted; the
       * list holds the live forms only, as without a version. */
      if (form != NULL && !pdm_record_is_deleted (form))
        g_ptr_array_add (forms, g_steal_pointer (&form));

      return g_steal_pointer (&forms);
    }

  /* A server holds a handful of forms, each a few versions: reading them
   * all and keeping one key costs nothing and needs no SQL of its own. */
  forms = pdm_training_list_forms (self->repository, FALSE, error);
  if (forms == NULL)
    return NULL;

  if (form_key != NULL)
    for (guint i = forms->len; i-- > 0;)
      if (g_strcmp0 (pdm_record_get (g_ptr_array_index (forms, i), "form_key"), form_key) != 0)
        g_ptr_array_remove_index (forms, i);

  g_ptr_array_sort (forms, compare_forms);

  return g_steal_pointer (&forms);
}

/* The forms shipped with this server that its file lacks go in, and into
 * the change log for every device: a device of an older release receives
 * them there, one of this release merges them into its own identical
 * copies, which changes nothing. */
static gboolean
seed_forms (PdmSqliteStore  *self,
            GError         **error)
{
  g_autoptr(GPtrArray) new_ids = g_ptr_array_new_with_free_func (g_free);

  if (!pdm_training_seed_forms (self->db, new_ids, error))
    return FALSE;

  for (guint i = 0; i < new_ids->len; i++)
    if (!log_snapshot (self, PDM_TABLE_FORM, g_ptr_array_index (new_ids, i),
                       record_scope (PDM_TABLE_FORM, NULL), error))
      return FALSE;

  return TRUE;
}

static void
pdm_store_iface_init (PdmStoreInterface *iface)
{
  iface->get_server_id = pdm_sqlite_store_get_server_id;
  iface->check = pdm_sqlite_store_check;
  iface->create_enrollment_code = pdm_sqlite_store_create_enrollment_code;
  iface->redeem_enrollment = pdm_sqlite_store_redeem_enrollment;
  iface->authenticate = pdm_sqlite_store_authenticate;
  iface->revoke = pdm_sqlite_store_revoke;
  iface->list_devices = pdm_sqlite_store_list_devices;
  iface->push = pdm_sqlite_store_push;
  iface->pull = pdm_sqlite_store_pull;
  iface->get_status = pdm_sqlite_store_get_status;
  iface->list_forms = pdm_sqlite_store_list_forms;
}

static void
pdm_sqlite_store_finalize (GObject *object)
{
  PdmSqliteStore *self = (PdmSqliteStore *) object;

  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_object (&self->repository);
  g_clear_object (&self->database);
  g_clear_pointer (&self->server_id, g_free);

  G_OBJECT_CLASS (pdm_sqlite_store_parent_class)->finalize (object);
}

static void
pdm_sqlite_store_class_init (PdmSqliteStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pdm_sqlite_store_finalize;
}

static void
pdm_sqlite_store_init (PdmSqliteStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) sqlite3_finalize);
}

/**
 * pdm_sqlite_store_new:
 * @data_dir: an existing, writable directory
 * @error: return location for a #GError
 *
 * Opens (creating or migrating it as needed) the store file
 * `pendamping-server.db` in @data_dir. A file of another program or of a
 * newer server is refused and left as it is.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
PdmStore *
pdm_sqlite_store_new (const char  *data_dir,
                      GError     **error)
{
  g_autoptr(PdmSqliteStore) self = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (data_dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (PDM_TYPE_SQLITE_STORE, NULL);
  path = g_build_filename (data_dir, PDM_SQLITE_STORE_FILENAME, NULL);

  self->database = pdm_database_open_with_schema (path, &server_schema, error);
  if (self->database == NULL)
    return NULL;
  self->db = pdm_database_get_handle (self->database);

  self->server_id = get_meta (self, "server_id", error);
  if (self->server_id == NULL)
    return NULL;

  /* The server is a replica too: it merges with the core, and its own
   * writes (a central import) carry its own device id. */
  self->repository = pdm_repository_new (self->database, error);
  if (self->repository == NULL)
    return NULL;

  if (!begin (self, error) || !commit (self, seed_forms (self, error), error))
    return NULL;

  return PDM_STORE (g_steal_pointer (&self));
}

const char *
pdm_sqlite_store_get_path (PdmSqliteStore *self)
{
  g_return_val_if_fail (PDM_IS_SQLITE_STORE (self), NULL);

  return pdm_database_get_path (self->database);
}

/**
 * pdm_sqlite_store_get_repository:
 * @self: a #PdmSqliteStore
 *
 * The records of the store as the core sees them, for the commands that
 * write records on the server itself (the central import).
 *
 * Returns: (transfer none): the repository on the store's file
 */
PdmRepository *
pdm_sqlite_store_get_repository (PdmSqliteStore *self)
{
  g_return_val_if_fail (PDM_IS_SQLITE_STORE (self), NULL);

  return self->repository;
}

static gboolean
publish_outbox (PdmSqliteStore  *self,
                guint           *out_n_changes,
                GError         **error)
{
  for (;;)
    {
      g_autoptr(GPtrArray) changes = NULL;
      g_autofree char *scope = NULL;
      g_autofree char *scope_row = NULL;
      guint64 last_hlc = 0;

      changes = pdm_repository_collect_outbox (self->repository, 1000, &last_hlc, error);
      if (changes == NULL)
        return FALSE;
      if (last_hlc == 0)
        return TRUE;

      for (guint i = 0; i < changes->len; i++)
        {
          const PdmChange *change = g_ptr_array_index (changes, i);

          /* Writes of one record come together: look its scope up once. */
          if (g_strcmp0 (scope_row, change->row_id) != 0)
            {
              gboolean exists;

              g_clear_pointer (&scope, g_free);
              g_free (scope_row);
              scope_row = g_strdup (change->row_id);
              if (!lookup_scope (self, pdm_table_info_lookup (change->table)->table,
                                 change->row_id, &exists, &scope, error))
                return FALSE;
            }

          if (!log_version (self, change->table, change->row_id, change->field, change->stamp,
                            change->base, change->value,
                            record_scope (pdm_table_info_lookup (change->table)->table, scope),
                            error))
            return FALSE;
        }
      *out_n_changes += changes->len;

      if (!pdm_repository_clear_outbox (self->repository, last_hlc, error))
        return FALSE;
    }
}

/**
 * pdm_sqlite_store_publish_outbox:
 * @self: a #PdmSqliteStore
 * @out_n_changes: (out) (optional): how many field versions were published
 * @error: return location for a #GError
 *
 * Hands the server's own writes (a central import) to pull: the outbox of
 * the server's replica moves into the change log, each version under its
 * record's scope, in one transaction.
 *
 * Returns: %TRUE on success; on failure nothing moved
 */
gboolean
pdm_sqlite_store_publish_outbox (PdmSqliteStore  *self,
                                 guint           *out_n_changes,
                                 GError         **error)
{
  guint n_changes = 0;

  g_return_val_if_fail (PDM_IS_SQLITE_STORE (self), FALSE);

  if (!begin (self, error))
    return FALSE;
  if (!commit (self, publish_outbox (self, &n_changes, error), error))
    return FALSE;

  if (out_n_changes != NULL)
    *out_n_changes = n_changes;

  return TRUE;
}

/* ---- compaction ---------------------------------------------------------- */

/* One logged version of a field, as compaction weighs it. */
typedef struct
{
  gint64  seq;
  char   *stamp;
  char   *base;
  gboolean old;   /* logged before the time compaction spares */
} LoggedVersion;

static void
logged_version_clear (gpointer data)
{
  LoggedVersion *version = data;

  g_free (version->stamp);
  g_free (version->base);
}

/* Adds to @doomed the versions of one field in one scope, oldest first,
 * that no device needs: those the merge drops (another version saw them,
 * pdm-merge.h) and earlier copies of one version (a record that moved
 * away and back is logged whole again). What is left merges to the same
 * state on every device, whichever of the removed ones it had read. */
static void
weigh_field (const PdmTableInfo *info,
             GArray             *versions,
             GArray             *doomed)
{
  g_autoptr(PdmFieldState) state = pdm_field_state_new ();
  const PdmVersion *winner;

  if (info == NULL || versions->len < 2)
    return;

  for (guint i = 0; i < versions->len; i++)
    {
      const LoggedVersion *logged = &g_array_index (versions, LoggedVersion, i);
      g_autoptr(PdmVersion) version = pdm_version_new (logged->stamp, logged->base, NULL);

      pdm_field_state_merge (state, version);
    }
  if (info->flags & PDM_TABLE_FLAG_NO_CONFLICTS)
    pdm_field_state_keep_winner (state);
  winner = pdm_field_state_get_winner (state);

  for (guint i = 0; i < versions->len; i++)
    {
      const LoggedVersion *logged = &g_array_index (versions, LoggedVersion, i);
      gboolean kept = g_str_equal (logged->stamp, winner->stamp);
      gboolean copied_later = FALSE;

      if (!logged->old)
        continue;

      for (guint c = 0; !kept && c < pdm_field_state_get_n_conflicts (state); c++)
        kept = g_str_equal (logged->stamp, pdm_field_state_get_conflict (state, c)->stamp);
      for (guint j = i + 1; kept && !copied_later && j < versions->len; j++)
        copied_later = g_str_equal (logged->stamp,
                                    g_array_index (versions, LoggedVersion, j).stamp);

      if (!kept || copied_later)
        g_array_append_val (doomed, logged->seq);
    }
}

static gboolean
compact (PdmSqliteStore  *self,
         gint64           spare_since,
         guint           *out_n_removed,
         gint64          *out_horizon,
         GError         **error)
{
  g_autoptr(GArray) versions = g_array_new (FALSE, FALSE, sizeof (LoggedVersion));
  g_autoptr(GArray) doomed = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *horizon_text = NULL;
  g_autofree char *key_table = NULL;
  g_autofree char *key_row = NULL;
  g_autofree char *key_field = NULL;
  g_autofree char *key_scope = NULL;
  char new_horizon[32];
  sqlite3_stmt *stmt;
  gint64 horizon;
  int rc;

  g_array_set_clear_func (versions, logged_version_clear);

  horizon_text = get_meta (self, "horizon", error);
  if (horizon_text == NULL)
    return FALSE;
  horizon = g_ascii_strtoll (horizon_text, NULL, 10);

  /* Removals (NULL field) stay: they are how a record leaves a scope. */
  stmt = statement (self,
                    "SELECT seq, tbl, row_id, field, scope_code, stamp, base, "
                    "  coalesce (logged, 0) < ?1 FROM change_log WHERE field IS NOT NULL "
                    "ORDER BY tbl, row_id, field, scope_code, seq",
                    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, spare_since);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *table = (const char *) sqlite3_column_text (stmt, 1);
      const char *row = (const char *) sqlite3_column_text (stmt, 2);
      const char *field = (const char *) sqlite3_column_text (stmt, 3);
      const char *scope = (const char *) sqlite3_column_text (stmt, 4);
      LoggedVersion version = {
        sqlite3_column_int64 (stmt, 0),
        column_text (stmt, 5),
        column_text (stmt, 6),
        sqlite3_column_int (stmt, 7) != 0,
      };

      if (g_strcmp0 (table, key_table) != 0 || g_strcmp0 (row, key_row) != 0 ||
          g_strcmp0 (field, key_field) != 0 || g_strcmp0 (scope, key_scope) != 0)
        {
          if (key_table != NULL)
            weigh_field (pdm_table_info_lookup (key_table), versions, doomed);
          g_array_set_size (versions, 0);
          g_free (key_table);
          g_free (key_row);
          g_free (key_field);
          g_free (key_scope);
          key_table = g_strdup (table);
          key_row = g_strdup (row);
          key_field = g_strdup (field);
          key_scope = g_strdup (scope);
        }
      g_array_append_val (versions, version);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return db_failed (self, error);
  if (key_table != NULL)
    weigh_field (pdm_table_info_lookup (key_table), versions, doomed);

  for (guint i = 0; i < doomed->len; i++)
    {
      gint64 seq = g_array_index (doomed, gint64, i);

      stmt = statement (self, "DELETE FROM change_log WHERE seq = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, seq);
      if (!run (self, stmt, error))
        return FALSE;
      horizon = MAX (horizon, seq);
    }

  /* A device whose cursor is below a removed change may not have read it:
   * it starts again from 0; one at or above it read all that went. */
  g_snprintf (new_horizon, sizeof new_horizon, "%" G_GINT64_FORMAT, horizon);
  stmt = statement (self, "UPDATE server_meta SET value = ?2 WHERE key = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, "horizon", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, new_horizon, -1, SQLITE_TRANSIENT);
  if (!run (self, stmt, error))
    return FALSE;

  *out_n_removed = doomed->len;
  *out_horizon = horizon;

  return TRUE;
}

/**
 * pdm_sqlite_store_compact:
 * @self: a #PdmSqliteStore
 * @spare_since: Unix time in milliseconds: changes logged since then stay
 * @out_n_removed: (out) (optional): how many changes were removed
 * @out_horizon: (out) (optional): the horizon now (docs/sync-protocol.md)
 * @error: return location for a #GError
 *
 * Removes from the change log the versions no device needs any more
 * (older versions of a field that a newer one in the same scope saw, and
 * repeated copies), in one transaction, and raises the horizon to the
 * newest change removed: a device whose cursor is below it gets "reset"
 * and pulls again from 0, and ends with the same records.
 *
 * Returns: %TRUE on success; on failure nothing changed
 */
gboolean
pdm_sqlite_store_compact (PdmSqliteStore  *self,
                          gint64           spare_since,
                          guint           *out_n_removed,
                          gint64          *out_horizon,
                          GError         **error)
{
  guint n_removed = 0;
  gint64 horizon = 0;

  g_return_val_if_fail (PDM_IS_SQLITE_STORE (self), FALSE);

  if (!begin (self, error))
    return FALSE;
  if (!commit (self, compact (self, spare_since, &n_removed, &horizon, error), error))
    return FALSE;

  if (out_n_removed != NULL)
    *out_n_removed = n_removed;
  if (out_horizon != NULL)
    *out_horizon = horizon;

  return TRUE;
}
