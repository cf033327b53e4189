/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-database"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "pdm-core-resources.h"
#include "pdm-database.h"
#include "pdm-error.h"
#include "pdm-training.h"

/* "PDMA" in ASCII: marks the app's local replica. */
#define PDM_LOCAL_APPLICATION_ID 0x50444D41

#define REGIONS_PATH "/io/github/pendamping/Pendamping/core/regions/13.75-kota-bukittinggi.csv"

struct _PdmDatabase
{
  GObject  parent_instance;

  sqlite3 *db;
  char    *path;
  int      schema_version;
};

G_DEFINE_FINAL_TYPE (PdmDatabase, pdm_database, G_TYPE_OBJECT)

static gboolean load_regions (sqlite3  *db,
                              GError  **error);

static const PdmMigration local_migrations[] = {
  {
    1,
    "CREATE TABLE region ("
    "  code        TEXT PRIMARY KEY,"
    "  level       TEXT NOT NULL CHECK (level IN ('kota', 'kecamatan', 'kelurahan')),"
    "  name        TEXT NOT NULL,"
    "  parent_code TEXT REFERENCES region (code)"
    ") WITHOUT ROWID;"
    "CREATE INDEX region_parent ON region (parent_code);",
    load_regions,
  },
  {
    2,
    /* This device's identity and clock. */
    "CREATE TABLE replica ("
    "  id        INTEGER PRIMARY KEY CHECK (id = 1),"
    "  device_id TEXT NOT NULL,"
    "  last_hlc  INTEGER NOT NULL DEFAULT 0,"
    /* The newest write handed to sync; see is_unpushed_own_stamp(). */
    "  collected_hlc INTEGER NOT NULL DEFAULT 0"
    ");"
    /* Synced records: a UUIDv7 key made on the device, the fields, and the
     * change clock: _created is the stamp every field carries from its
     * insert, _clock holds {field: [stamp, base]} for fields changed since.
     * Deletion is the field `deleted`, so it merges like any other field. */
    "CREATE TABLE volunteer ("
    "  id             TEXT PRIMARY KEY,"
    "  nik            TEXT,"
    "  full_name      TEXT,"
    "  sex            TEXT,"
    "  birth_place    TEXT,"
    "  birth_date     TEXT,"
    "  phone          TEXT,"
    "  address        TEXT,"
    "  kelurahan_code TEXT,"
    "  education      TEXT,"
    "  occupation     TEXT,"
    "  joined_date    TEXT,"
    "  sk_number      TEXT,"
    "  sk_date        TEXT,"
    "  status         TEXT,"
    "  notes          TEXT,"
    "  deleted        INTEGER NOT NULL DEFAULT 0,"
    "  _created       TEXT NOT NULL,"
    "  _clock         TEXT"
    ");"
    "CREATE INDEX volunteer_nik ON volunteer (nik);"
    "CREATE INDEX volunteer_name ON volunteer (full_name, id);"
    "CREATE TABLE household ("
    "  id             TEXT PRIMARY KEY,"
    "  kk_number      TEXT,"
    "  dtsen_id       TEXT,"
    "  head_name      TEXT,"
    "  address        TEXT,"
    "  rt             TEXT,"
    "  rw             TEXT,"
    "  kelurahan_code TEXT,"
    "  desil          INTEGER,"
    "  programs       TEXT,"
    "  volunteer_id   TEXT,"
    "  status         TEXT,"
    "  notes          TEXT,"
    "  deleted        INTEGER NOT NULL DEFAULT 0,"
    "  _created       TEXT NOT NULL,"
    "  _clock         TEXT"
    ");"
    "CREATE INDEX household_kk ON household (kk_number);"
    "CREATE INDEX household_dtsen ON household (dtsen_id);"
    "CREATE INDEX household_name ON household (head_name, id);"
    "CREATE INDEX household_kelurahan ON household (kelurahan_code, desil);"
    "CREATE INDEX household_volunteer ON household (volunteer_id);"
    "CREATE TABLE person ("
    "  id             TEXT PRIMARY KEY,"
    "  household_id   TEXT,"
    "  nik            TEXT,"
    "  full_name      TEXT,"
    "  sex            TEXT,"
    "  birth_place    TEXT,"
    "  birth_date     TEXT,"
    "  relationship   TEXT,"
    "  disability     TEXT,"
    "  notes          TEXT,"
    "  deleted        INTEGER NOT NULL DEFAULT 0,"
    "  _created       TEXT NOT NULL,"
    "  _clock         TEXT"
    ");"
    "CREATE INDEX person_household ON person (household_id);"
    "CREATE INDEX person_nik ON person (nik);"
    "CREATE INDEX person_name ON person (full_name, id);"
    /* The possible-duplicate check compares people born the same day. */
    "CREATE INDEX person_birth_date ON person (birth_date);"
    "CREATE TABLE visit ("
    "  id             TEXT PRIMARY KEY,"
    "  household_id   TEXT,"
    "  volunteer_id   TEXT,"
    "  visit_date     TEXT,"
    "  kind           TEXT,"
    "  findings       TEXT,"
    "  follow_up_date TEXT,"
    "  outcome        TEXT,"
    "  deleted        INTEGER NOT NULL DEFAULT 0,"
    "  _created       TEXT NOT NULL,"
    "  _clock         TEXT"
    ");"
    "CREATE INDEX visit_household ON visit (household_id, visit_date);"
    "CREATE INDEX visit_date ON visit (visit_date, id);"
    "CREATE TABLE proposal ("
    "  id             TEXT PRIMARY KEY,"
    "  target_table   TEXT,"
    "  target_id      TEXT,"
    "  field          TEXT,"
    "  old_value      TEXT,"
    "  new_value      TEXT,"
    "  reason         TEXT,"
    "  proposer       TEXT,"
    "  status         TEXT,"
    "  deleted        INTEGER NOT NULL DEFAULT 0,"
    "  _created       TEXT NOT NULL,"
    "  _clock         TEXT"
    ");"
    "CREATE INDEX proposal_target ON proposal (target_table, target_id);"
    /* What sync will push: one row per local write. The key is the write's
     * HLC, so it is also the device's increasing mutation id; `fields` is a
     * JSON array of the changed fields, NULL for all fields of an insert.
     * Values are read from the record when pushed. */
    "CREATE TABLE outbox ("
    "  hlc     INTEGER PRIMARY KEY,"
    "  tbl     TEXT NOT NULL,"
    "  row_id  TEXT NOT NULL,"
    "  fields  TEXT"
    ");"
    /* Concurrent values that lost a field to another device's write. */
    "CREATE TABLE conflict ("
    "  tbl     TEXT NOT NULL,"
    "  row_id  TEXT NOT NULL,"
    "  field   TEXT NOT NULL,"
    "  stamp   TEXT NOT NULL,"
    "  base    TEXT,"
    "  value   TEXT,"
    "  PRIMARY KEY (tbl, row_id, field, stamp)"
    ") WITHOUT ROWID;",
    NULL,
  },
  {
    3,
    /* Full-text search over names and addresses (pdm-search.c), external
     * content keyed by the rowid of each table: rows are tombstoned rather
     * than deleted, so rowids stay put (VACUUM keeps them too, as long as no
     * table gets an INTEGER PRIMARY KEY; if one ever moved, 'rebuild' the
     * index). `deleted` is indexed as a token so queries drop tombstones
     * inside the index. The tokenizer arguments are repeated in pdm-search.c,
     * which tokenizes queries the same way. Triggers keep the index in step
     * and do nothing when an update leaves the indexed columns alone. */
    "CREATE VIRTUAL TABLE person_fts USING fts5 ("
    "  full_name, deleted,"
    "  content = 'person', content_rowid = 'rowid',"
    "  tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4');"
    "INSERT INTO person_fts (person_fts) VALUES ('rebuild');"
    "CREATE TRIGGER person_fts_insert AFTER INSERT ON person BEGIN"
    "  INSERT INTO person_fts (rowid, full_name, deleted)"
    "  VALUES (new.rowid, new.full_name, new.deleted);"
    "END;"
    "CREATE TRIGGER person_fts_update AFTER UPDATE OF full_name, deleted ON person"
    "  WHEN old.full_name IS NOT new.full_name OR old.deleted IS NOT new.deleted BEGIN"
    "  INSERT INTO person_fts (person_fts, rowid, full_name, deleted)"
    "  VALUES ('delete', old.rowid, old.full_name, old.deleted);"
    "  INSERT INTO person_fts (rowid, full_name, deleted)"
    "  VALUES (new.rowid, new.full_name, new.deleted);"
    "END;"
    "CREATE TRIGGER person_fts_delete AFTER DELETE ON person BEGIN"
    "  INSERT INTO person_fts (person_fts, rowid, full_name, deleted)"
    "  VALUES ('delete', old.rowid, old.full_name, old.deleted);"
    "END;"
    "CREATE VIRTUAL TABLE household_fts USING fts5 ("
    "  head_name, address, deleted,"
    "  content = 'household', content_rowid = 'rowid',"
    "  tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4');"
    "INSERT INTO household_fts (household_fts) VALUES ('rebuild');"
    "CREATE TRIGGER household_fts_insert AFTER INSERT ON household BEGIN"
    "  INSERT INTO household_fts (rowid, head_name, address, deleted)"
    "  VALUES (new.rowid, new.head_name, new.address, new.deleted);"
    "END;"
    "CREATE TRIGGER household_fts_update AFTER UPDATE OF head_name, address, deleted ON household"
    "  WHEN old.head_name IS NOT new.head_name OR old.address IS NOT new.address"
    "    OR old.deleted IS NOT new.deleted BEGIN"
    "  INSERT INTO household_fts (household_fts, rowid, head_name, address, deleted)"
    "  VALUES ('delete', old.rowid, old.head_name, old.address, old.deleted);"
    "  INSERT INTO household_fts (rowid, head_name, address, deleted)"
    "  VALUES (new.rowid, new.head_name, new.address, new.deleted);"
    "END;"
    "CREATE TRIGGER household_fts_delete AFTER DELETE ON household BEGIN"
    "  INSERT INTO household_fts (household_fts, rowid, head_name, address, deleted)"
    "  VALUES ('delete', old.rowid, old.head_name, old.address, old.deleted);"
    "END;"
    "CREATE VIRTUAL TABLE volunteer_fts USING fts5 ("
    "  full_name, address, deleted,"
    "  content = 'volunteer', content_rowid = 'rowid',"
    "  tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4');"
    "INSERT INTO volunteer_fts (volunteer_fts) VALUES ('rebuild');"
    "CREATE TRIGGER volunteer_fts_insert AFTER INSERT ON volunteer BEGIN"
    "  INSERT INTO volunteer_fts (rowid, full_name, address, deleted)"
    "  VALUES (new.rowid, new.full_name, new.address, new.deleted);"
    "END;"
    "CREATE TRIGGER volunteer_fts_update AFTER UPDATE OF full_name, address, deleted ON volunteer"
    "  WHEN old.full_name IS NOT new.full_name OR old.address IS NOT new.address"
    "    OR old.deleted IS NOT new.deleted BEGIN"
    "  INSERT INTO volunteer_fts (volunteer_fts, rowid, full_name, address, deleted)"
    "  VALUES ('delete', old.rowid, old.full_name, old.address, old.deleted);"
    "  INSERT INTO volunteer_fts (rowid, full_name, address, deleted)"
    "  VALUES (new.rowid, new.full_name, new.address, new.deleted);"
    "END;"
    "CREATE TRIGGER volunteer_fts_delete AFTER DELETE ON volunteer BEGIN"
    "  INSERT INTO volunteer_fts (volunteer_fts, rowid, full_name, address, deleted)"
    "  VALUES ('delete', old.rowid, old.full_name, old.address, old.deleted);"
    "END;",
    NULL,
  },
  {
    4,
    /* Sync's own bookkeeping (app/sync/pdm-sync-engine.c): the server,
     * cursor, scope and outcome of the last run as key/value pairs. */
    "CREATE TABLE sync_state ("
    "  key   TEXT PRIMARY KEY,"
    "  value TEXT"
    ") WITHOUT ROWID;"
    /* Writes the server refused for good, one row per field, kept so a
     * person sees them; `id` is the mutation id (16 hex digits) and `time`
     * Unix seconds. */
    "CREATE TABLE quarantine ("
    "  id      TEXT NOT NULL,"
    "  tbl     TEXT NOT NULL,"
    "  row_id  TEXT NOT NULL,"
    "  field   TEXT NOT NULL,"
    "  value   TEXT,"
    "  reason  TEXT NOT NULL,"
    "  message TEXT,"
    "  time    INTEGER NOT NULL,"
    "  PRIMARY KEY (id, tbl, row_id, field)"
    ");"
    /* One row per sync or enrollment run, for the history page. */
    "CREATE TABLE sync_history ("
    "  id          INTEGER PRIMARY KEY,"
    "  time        INTEGER NOT NULL,"
    "  kind        TEXT NOT NULL CHECK (kind IN ('sync', 'enroll')),"
    "  pushed      INTEGER NOT NULL DEFAULT 0,"
    "  refused     INTEGER NOT NULL DEFAULT 0,"
    "  pulled      INTEGER NOT NULL DEFAULT 0,"
    "  removed     INTEGER NOT NULL DEFAULT 0,"
    "  duration_ms INTEGER NOT NULL,"
    "  error       TEXT"
    ");"
    "CREATE INDEX sync_history_time ON sync_history (time);",
    NULL,
  },
  {
    5,
    /* Trainings and their evaluation forms: shared city-wide, synced like
     * the records of migration 2 (same `_created`/`_clock` stamps). The
     * keys of participant, attendance and form are derived from what they
     * join (pdm-training.h), so two devices that record the same fact
     * write the same record. */
    "CREATE TABLE training ("
    "  id             TEXT PRIMARY KEY,"
    "  title          TEXT,"
    "  start_date     TEXT,"
    "  end_date       TEXT,"
    "  venue          TEXT,"
    "  organiser      TEXT,"
    "  notes          TEXT,"
    "  deleted        INTEGER NOT NULL DEFAULT 0,"
    "  _created       TEXT NOT NULL,"
    "  _clock         TEXT"
    ");"
    "CREATE INDEX training_start ON training (start_date, id);"
    "CREATE TABLE training_session ("
    "  id             TEXT PRIMARY KEY,"
    "  training_id    TEXT,"
    "  topic          TEXT,"
    "  speaker        TEXT,"
    "  institution    TEXT,"
    "  session_date   TEXT,"
    "  start_time     TEXT,"
    "  end_time       TEXT,"
    "  position       INTEGER,"
    "  deleted        INTEGER NOT NULL DEFAULT 0,"
    "  _created       TEXT NOT NULL,"
    "  _clock         TEXT"
    ");"
    "CREATE INDEX training_session_training ON training_session (training_id, position);"
    "CREATE TABLE participant ("
    "  id             TEXT PRIMARY KEY,"
    "  training_id    TEXT,"
    "  volunteer_id   TEXT,"
    /* The PSM's kelurahan when added, for the reports per kelurahan. */
    "  kelurahan_code TEXT,"
    "  deleted        INTEGER NOT NULL DEFAULT 0,"
    "  _created       TEXT NOT NULL,"
    "  _clock         TEXT"
    ");"
    "CREATE INDEX participant_training ON participant (training_id);"
    "CREATE INDEX participant_volunteer ON participant (volunteer_id);"
    "CREATE TABLE attendance ("
    "  id             TEXT PRIMARY KEY,"
    "  session_id     TEXT,"
    "  participant_id TEXT,"
    "  present        INTEGER,"
    "  deleted        INTEGER NOT NULL DEFAULT 0,"
    "  _created       TEXT NOT NULL,"
    "  _clock         TEXT"
    ");"
    "CREATE INDEX attendance_session ON attendance (session_id);"
    "CREATE INDEX attendance_participant ON attendance (participant_id);"
    /* Every version of a form is kept: responses name the one they
     * answered. */
    "CREATE TABLE form ("
    "  id             TEXT PRIMARY KEY,"
    "  form_key       TEXT,"
    "  version        INTEGER,"
    "  title          TEXT,"
    "  kind           TEXT,"
    "  definition     TEXT,"
    "  deleted        INTEGER NOT NULL DEFAULT 0,"
    "  _created       TEXT NOT NULL,"
    "  _clock         TEXT"
    ");"
    "CREATE INDEX form_key ON form (form_key, version);"
    /* Submitted forms, append-only: `answers` is a JSON object. */
    "CREATE TABLE response ("
    "  id             TEXT PRIMARY KEY,"
    "  form_id        TEXT,"
    "  training_id    TEXT,"
    "  participant_id TEXT,"
    "  session_id     TEXT,"
    "  answers        TEXT,"
    "  score          INTEGER,"
    "  max_score      INTEGER,"
    "  submitted_at   TEXT,"
    "  deleted        INTEGER NOT NULL DEFAULT 0,"
    "  _created       TEXT NOT NULL,"
    "  _clock         TEXT"
    ");"
    "CREATE INDEX response_training ON response (training_id, form_id);"
    "CREATE INDEX response_participant ON response (participant_id);",
    NULL,
  },
  {
    6,
    /* Forms being filled in on this device: never synced, no stamps. A
     * draft becomes a response (same id) when it is submitted. */
    "CREATE TABLE response_draft ("
    "  id             TEXT PRIMARY KEY,"
    "  form_id        TEXT NOT NULL,"
    "  training_id    TEXT,"
    "  participant_id TEXT,"
    "  session_id     TEXT,"
    "  answers        TEXT NOT NULL,"
    "  updated_at     TEXT NOT NULL"
    ");"
    "CREATE INDEX response_draft_training ON response_draft (training_id, participant_id);",
    NULL,
  },
};

static const PdmSchema local_schema = {
  PDM_LOCAL_APPLICATION_ID,
  local_migrations,
  G_N_ELEMENTS (local_migrations),
};

const PdmSchema *
pdm_database_get_local_schema (void)
{
  return &local_schema;
}

/* Tests and demos point the app at a scratch folder with this variable;
 * the --data-dir option of the app does the same from the command line. */
char *
pdm_database_get_default_path (void)
{
  const char *override = g_getenv ("PENDAMPING_DATA_DIR");

  if (override != NULL && *override != '\0')
    return g_build_filename (override, "pendamping.db", NULL);

  return g_build_filename (g_get_user_data_dir (), "pendamping", "pendamping.db", NULL);
}

static void
set_sqlite_error (GError     **error,
                  sqlite3     *db,
                  const char  *path)
{
  g_set_error (error, PDM_ERROR, PDM_ERROR_DATABASE,
               /* Translators: the first %s is a file path, the second SQLite's reason */
               _("The database “%s” failed: %s"),
               path, db != NULL ? sqlite3_errmsg (db) : "");
}

static gboolean
exec_sql (sqlite3     *db,
          const char  *sql,
          const char  *path,
          GError     **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, db, path);
      return FALSE;
    }

  return TRUE;
}

/* Reads one integer pragma. Nothing here writes, so a refused file is left
 * exactly as it was. */
static gboolean
read_int_pragma (sqlite3     *db,
                 const char  *sql,
                 gint64      *out_value,
                 int         *out_rc)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *out_value = sqlite3_column_int64 (stmt, 0);
          rc = SQLITE_OK;
        }
    }
  sqlite3_finalize (stmt);
  *out_rc = rc;

  return rc == SQLITE_OK;
}

/* Decides, without writing, whether @db may be used with @schema:
 * a new empty file, or one of ours no newer than this build. */
static gboolean
check_file_identity (sqlite3          *db,
                     const char       *path,
                     const PdmSchema  *schema,
                     int              *out_version,
                     GError          **error)
{
  gint64 application_id = 0;
  gint64 user_version = 0;
  gint64 n_objects = 0;
  int newest = (int) schema->n_migrations;
  int rc;

  if (!read_int_pragma (db, "PRAGMA application_id", &application_id, &rc) ||
      !read_int_pragma (db, "PRAGMA user_version", &user_version, &rc) ||
      !read_int_pragma (db, "SELECT count(*) FROM sqlite_master", &n_objects, &rc))
    {
      if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT)
        g_set_error (error, PDM_ERROR, PDM_ERROR_DATABASE_FOREIGN,
                     _("“%s” is not a Pendamping database (it is not an SQLite file or it is "
                       "damaged); it was left untouched"),
                     path);
      else
        set_sqlite_error (error, db, path);
      return FALSE;
    }

  if (application_id != schema->application_id &&
      !(application_id == 0 && user_version == 0 && n_objects == 0))
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_DATABASE_FOREIGN,
                   _("“%s” is an SQLite file of another program, not a Pendamping database; "
                     "it was left untouched"),
                   path);
      return FALSE;
    }

  if (user_version > newest)
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_DATABASE_TOO_NEW,
                   _("“%s” was written by a newer version of Pendamping (schema %d; this "
                     "version knows up to %d). Update Pendamping to open it; the file was "
                     "left untouched"),
                   path, (int) user_version, newest);
      return FALSE;
    }

  *out_version = (int) user_version;

  return TRUE;
}

static gboolean
run_migration (sqlite3             *db,
               const char          *path,
               const PdmSchema     *schema,
               const PdmMigration  *migration,
               GError             **error)
{
  g_autofree char *set_version = NULL;

  if (!exec_sql (db, "BEGIN IMMEDIATE", path, error))
    return FALSE;

  if ((migration->sql != NULL && !exec_sql (db, migration->sql, path, error)) ||
      (migration->apply != NULL && !migration->apply (db, error)))
    goto rollback;

  /* PRAGMA takes no parameters; both values are integers of our own. */
  set_version = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %d",
                                 schema->application_id, migration->version);
  if (!exec_sql (db, set_version, path, error) ||
      !exec_sql (db, "COMMIT", path, error))
    goto rollback;

  return TRUE;

rollback:
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  g_prefix_error (error, _("Could not upgrade the database to schema %d: "), migration->version);
  return FALSE;
}

static gboolean
migrate (PdmDatabase      *self,
         const PdmSchema  *schema,
         GError          **error)
{
  for (guint i = 0; i < schema->n_migrations; i++)
    {
      const PdmMigration *migration = &schema->migrations[i];

      /* Versions are numbered 1, 2, 3... in array order. */
      g_assert (migration->version == (int) i + 1);

      if (migration->version <= self->schema_version)
        continue;

      if (!run_migration (self->db, self->path, schema, migration, error))
        return FALSE;

      self->schema_version = migration->version;
    }

  return TRUE;
}

PdmDatabase *
pdm_database_open_with_schema (const char       *path,
                               const PdmSchema  *schema,
                               GError          **error)
{
  g_autoptr(PdmDatabase) self = NULL;
  g_autofree char *dir = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (schema != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, PDM_ERROR, PDM_ERROR_DATABASE_OPEN,
                   _("Could not create the folder “%s”: %s"),
                   dir, g_strerror (saved_errno));
      return NULL;
    }

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_DATABASE_OPEN,
                   _("“%s” is a folder, not a database file"), path);
      return NULL;
    }

  self = g_object_new (PDM_TYPE_DATABASE, NULL);
  self->path = g_strdup (path);

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_DATABASE_OPEN,
                   _("Could not open the database “%s”: %s"),
                   path, self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, TRUE);
  sqlite3_busy_timeout (self->db, 5000);

  /* Identity first: setting WAL mode would already write to a foreign file. */
  if (!check_file_identity (self->db, path, schema, &self->schema_version, error))
    return NULL;

  if (!exec_sql (self->db,
                 "PRAGMA journal_mode = WAL;"
                 "PRAGMA synchronous = NORMAL;"
                 "PRAGMA foreign_keys = ON;"
                 /* FTS5 spills its pending index at each statement's
                  * savepoint; in memory that is about 30 % cheaper. */
                 "PRAGMA temp_store = MEMORY;",
                 path, error))
    return NULL;

  if (!migrate (self, schema, error))
    return NULL;

  return g_steal_pointer (&self);
}

PdmDatabase *
pdm_database_open (const char  *path,
                   GError     **error)
{
  g_autoptr(PdmDatabase) self = pdm_database_open_with_schema (path, &local_schema, error);

  /* The shipped forms work offline before the first sync; those a newer
   * release brings arrive at its first start. */
  if (self == NULL || !pdm_training_seed_forms (self->db, NULL, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
pdm_database_get_path (PdmDatabase *self)
{
  g_return_val_if_fail (PDM_IS_DATABASE (self), NULL);

  return self->path;
}

int
pdm_database_get_schema_version (PdmDatabase *self)
{
  g_return_val_if_fail (PDM_IS_DATABASE (self), 0);

  return self->schema_version;
}

sqlite3 *
pdm_database_get_handle (PdmDatabase *self)
{
  g_return_val_if_fail (PDM_IS_DATABASE (self), NULL);

  return self->db;
}

/* For a worker connection that writes many rows (sync, import): a 64 MiB
 * page cache instead of SQLite's 2 MiB keeps the indexes in memory. The
 * UI's connection keeps the small default, so the app stays light. */
gboolean
pdm_database_use_bulk_cache (PdmDatabase  *self,
                             GError      **error)
{
  g_return_val_if_fail (PDM_IS_DATABASE (self), FALSE);

  return exec_sql (self->db, "PRAGMA cache_size = -65536", self->path, error);
}

gboolean
pdm_database_exec (PdmDatabase  *self,
                   const char   *sql,
                   GError      **error)
{
  g_return_val_if_fail (PDM_IS_DATABASE (self), FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);

  return exec_sql (self->db, sql, self->path, error);
}

gboolean
pdm_database_count_regions (PdmDatabase  *self,
                            const char   *level,
                            guint        *out_count,
                            GError      **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (PDM_IS_DATABASE (self), FALSE);
  g_return_val_if_fail (level != NULL, FALSE);
  g_return_val_if_fail (out_count != NULL, FALSE);

  if (sqlite3_prepare_v2 (self->db, "SELECT count(*) FROM region WHERE level = ?1",
                          -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_bind_text (stmt, 1, level, -1, SQLITE_STATIC) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    {
      *out_count = (guint) sqlite3_column_int (stmt, 0);
      ok = TRUE;
    }
  else
    set_sqlite_error (error, self->db, self->path);

  sqlite3_finalize (stmt);

  return ok;
}

/* The shipped region list: a header line, then code,level,name,parent_code.
 * Names carry no commas, so a plain split is enough for this file. */
static gboolean
load_regions (sqlite3  *db,
              GError  **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_auto(GStrv) lines = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean ok = TRUE;

  bytes = g_resource_lookup_data (pdm_core_get_resource (), REGIONS_PATH,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return FALSE;

  if (sqlite3_prepare_v2 (db,
                          "INSERT INTO region (code, level, name, parent_code) "
                          "VALUES (?1, ?2, ?3, NULLIF (?4, ''))",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, db, sqlite3_db_filename (db, "main"));
      return FALSE;
    }

  lines = g_strsplit (g_bytes_get_data (bytes, NULL), "\n", -1);

  for (guint i = 1; ok && lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;

      if (*g_strstrip (lines[i]) == '\0')
        continue;

      fields = g_strsplit (lines[i], ",", -1);
      if (g_strv_length (fields) != 4)
        {
          g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_DATA,
                       _("Line %u of the region list has %u fields instead of 4"),
                       i + 1, g_strv_length (fields));
          ok = FALSE;
          break;
        }

      for (guint f = 0; f < 4; f++)
        sqlite3_bind_text (stmt, f + 1, fields[f], -1, SQLITE_TRANSIENT);

      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          set_sqlite_error (error, db, sqlite3_db_filename (db, "main"));
          ok = FALSE;
        }
      sqlite3_reset (stmt);
    }

  sqlite3_finalize (stmt);

  return ok;
}

static void
pdm_database_finalize (GObject *object)
{
  PdmDatabase *self = (PdmDatabase *)object;

  if (self->db != NULL)
    sqlite3_close (self->db);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (pdm_database_parent_class)->finalize (object);
}

static void
pdm_database_class_init (PdmDatabaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pdm_database_finalize;
}

static void
pdm_database_init (PdmDatabase *self)
{
}
