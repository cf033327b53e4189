/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-repository"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "pdm-error.h"
#include "pdm-repository.h"
#include "pdm-uuid.h"

/*
 * Every write of a synced record goes through here. In the transaction that
 * writes the record it also stamps the changed fields with this device's
 * hybrid logical clock and appends one row to the outbox, so what sync will
 * send can never drift from what was written.
 *
 * Field clocks: a record's `_created` is the stamp all its fields carry from
 * the insert; `_clock` is a JSON object {field: [stamp, base]} for the fields
 * written since. `base` is the stamp of the value the writer had seen (see
 * pdm-merge.h): a later local edit of a field whose own earlier edit is still
 * unpushed keeps that edit's base, because nobody else ever saw it.
 */

struct _PdmRepository
{
  GObject      parent_instance;

  PdmDatabase *database;
  sqlite3     *db;
  PdmHlc      *hlc;
  GHashTable  *statements;
  guint        transaction_depth;

  /* While a big batch of remote changes is applied: the ids of its new
   * records that wait in their TEMP stage table (see stage_begin()), and
   * a bit per PdmTable that has any. */
  GHashTable  *staged;
  guint        staged_tables;
};

G_DEFINE_FINAL_TYPE (PdmRepository, pdm_repository, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (PdmChange, pdm_change, pdm_change_copy, pdm_change_free)

PdmChange *
pdm_change_new (const char *table,
                const char *row_id,
                const char *field,
                const char *stamp,
                const char *base,
                const char *value)
{
  PdmChange *change = g_new0 (PdmChange, 1);

  change->table = g_strdup (table);
  change->row_id = g_strdup (row_id);
  change->field = g_strdup (field);
  change->stamp = g_strdup (stamp);
  change->base = g_strdup (base);
  change->value = g_strdup (value);

  return change;
}

PdmChange *
pdm_change_copy (const PdmChange *change)
{
  g_return_val_if_fail (change != NULL, NULL);

  return pdm_change_new (change->table, change->row_id, change->field,
                         change->stamp, change->base, change->value);
}

void
pdm_change_free (PdmChange *change)
{
  if (change == NULL)
    return;

  g_free (change->table);
  g_free (change->row_id);
  g_free (change->field);
  g_free (change->stamp);
  g_free (change->base);
  g_free (change->value);
  g_free (change);
}

static void
set_sqlite_error (PdmRepository  *self,
                  GError        **error)
{
  g_set_error (error, PDM_ERROR, PDM_ERROR_DATABASE,
               /* Translators: %s is SQLite's reason */
               _("The database failed: %s"), sqlite3_errmsg (self->db));
}

/* Statements are prepared once and kept; the SQL is always ours, built from
 * the table lists in pdm-record.c, never from user text. */
static sqlite3_stmt *
prepare (PdmRepository  *self,
         const char     *sql,
         GError        **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt == NULL)
    {
      if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL)
          != SQLITE_OK)
        {
          set_sqlite_error (self, error);
          return NULL;
        }
      g_hash_table_insert (self->statements, g_strdup (sql), stmt);
    }
  else
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }

  return stmt;
}

/* For the core's own modules (rules, import): @sql, a constant of ours,
 * prepared once for the repository's life and handed back reset. */
sqlite3_stmt *
pdm_repository_prepare_cached (PdmRepository  *self,
                               const char     *sql,
                               GError        **error)
{
  g_return_val_if_fail (PDM_IS_REPOSITORY (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  return prepare (self, sql, error);
}

/* For the core's own queries: the key and fields of @table as columns of
 * the alias `t` ("t.id, t.nik, ..."), in the order
 * pdm_repository_read_record() reads them. */
const char *
pdm_repository_record_columns (PdmTable table)
{
  static char *cache[PDM_N_TABLES];

  g_return_val_if_fail (table < PDM_N_TABLES, NULL);

  if (g_once_init_enter (&cache[table]))
    {
      const PdmTableInfo *info = pdm_table_info_get (table);
      GString *columns = g_string_new ("t.id");

      for (guint i = 0; i < info->n_fields; i++)
        g_string_append_printf (columns, ", t.%s", info->fields[i].name);

      g_once_init_leave (&cache[table], g_string_free (columns, FALSE));
    }

  return cache[table];
}

static char *column_dup (sqlite3_stmt *stmt,
                         int           column);

/* The record whose pdm_repository_record_columns() start at @first_column
 * of the current row of @stmt. */
PdmRecord *
pdm_repository_read_record (PdmTable      table,
                            sqlite3_stmt *stmt,
                            int           first_column)
{
  PdmRecord *record;

  g_return_val_if_fail (table < PDM_N_TABLES, NULL);
  g_return_val_if_fail (stmt != NULL, NULL);

  record = pdm_record_new (table);
  record->id = column_dup (stmt, first_column);
  for (guint i = 0; i < record->info->n_fields; i++)
    record->values[i] = column_dup (stmt, first_column + 1 + (int) i);

  return record;
}

static gboolean
step_done (PdmRepository  *self,
           sqlite3_stmt   *stmt,
           GError        **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error);
      return FALSE;
    }

  return TRUE;
}

static gboolean
exec (PdmRepository  *self,
      const char     *sql,
      GError        **error)
{
  sqlite3_stmt *stmt = prepare (self, sql, error);

  return stmt != NULL && step_done (self, stmt, error);
}

static void
bind_value (sqlite3_stmt       *stmt,
            int                 index,
            const PdmFieldInfo *field,
            const char         *value)
{
  if (value == NULL)
    sqlite3_bind_null (stmt, index);
  else if (field->is_integer)
    sqlite3_bind_int64 (stmt, index, g_ascii_strtoll (value, NULL, 10));
  else
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;

  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static gboolean
load_replica (PdmRepository  *self,
              GError        **error)
{
  sqlite3_stmt *stmt;
  guint64 device_id = 0;
  guint64 last_hlc = 0;
  char device_hex[17];

  stmt = prepare (self, "SELECT device_id, last_hlc FROM replica WHERE id = 1", error);
  if (stmt == NULL)
    return FALSE;

  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      device_id = g_ascii_strtoull ((const char *) sqlite3_column_text (stmt, 0), NULL, 16);
      last_hlc = (guint64) sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);

  if (device_id == 0)
    {
      /* First use of this file: it becomes a device of its own. */
      device_id = pdm_device_id_generate ();
      g_snprintf (device_hex, sizeof device_hex, "%016" G_GINT64_MODIFIER "x", device_id);
      stmt = prepare (self, "INSERT INTO replica (id, device_id, last_hlc) VALUES (1, ?1, 0)",
                      error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, device_hex, -1, SQLITE_TRANSIENT);
      if (!step_done (self, stmt, error))
        return FALSE;
    }

  self->hlc = pdm_hlc_new (device_id, last_hlc);

  return TRUE;
}

PdmRepository *
pdm_repository_new (PdmDatabase  *database,
                    GError      **error)
{
  g_autoptr(PdmRepository) self = NULL;

  g_return_val_if_fail (PDM_IS_DATABASE (database), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (PDM_TYPE_REPOSITORY, NULL);
  self->database = g_object_ref (database);
  self->db = pdm_database_get_handle (database);

  if (!load_replica (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

PdmDatabase *
pdm_repository_get_database (PdmRepository *self)
{
  g_return_val_if_fail (PDM_IS_REPOSITORY (self), NULL);

  return self->database;
}

guint64
pdm_repository_get_device_id (PdmRepository *self)
{
  g_return_val_if_fail (PDM_IS_REPOSITORY (self), 0);

  return pdm_hlc_get_device_id (self->hlc);
}

PdmHlc *
pdm_repository_get_hlc (PdmRepository *self)
{
  g_return_val_if_fail (PDM_IS_REPOSITORY (self), NULL);

  return self->hlc;
}

/* Transactions nest: only the outermost begin and commit reach SQLite, so a
 * bulk import wraps thousands of single-record writes in one transaction. */
gboolean
pdm_repository_begin (PdmRepository  *self,
                      GError        **error)
{
  g_return_val_if_fail (PDM_IS_REPOSITORY (self), FALSE);

  if (self->transaction_depth == 0)
    {
      sqlite3_stmt *stmt;
      guint64 saved_hlc = 0;

      if (!exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;

      /* Another connection (the sync worker) may have moved this device's
       * clock on since we last looked; the write lock makes the read safe. */
      stmt = prepare (self, "SELECT last_hlc FROM replica WHERE id = 1", error);
      if (stmt == NULL)
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
      if (sqlite3_step (stmt) == SQLITE_ROW)
        saved_hlc = (guint64) sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      if (saved_hlc > pdm_hlc_get_last (self->hlc))
        pdm_hlc_observe (self->hlc, saved_hlc);
    }

  self->transaction_depth++;

  return TRUE;
}

gboolean
pdm_repository_commit (PdmRepository  *self,
                       GError        **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PDM_IS_REPOSITORY (self), FALSE);
  g_return_val_if_fail (self->transaction_depth > 0, FALSE);

  if (--self->transaction_depth > 0)
    return TRUE;

  /* The clock is saved with the writes it stamped, so a restart never
   * issues a stamp twice. */
  stmt = prepare (self, "UPDATE replica SET last_hlc = ?1 WHERE id = 1", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, (gint64) pdm_hlc_get_last (self->hlc));
  if (!step_done (self, stmt, error) || !exec (self, "COMMIT", error))
    goto failed;

  return TRUE;

failed:
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

void
pdm_repository_rollback (PdmRepository *self)
{
  g_return_if_fail (PDM_IS_REPOSITORY (self));

  if (self->transaction_depth == 0)
    return;

  self->transaction_depth = 0;
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Closes the transaction level a write opened: on failure everything rolls
 * back, so nobody ever sees a half-written record. */
static gboolean
finish_write (PdmRepository  *self,
              gboolean        ok,
              GError        **error)
{
  if (!ok)
    {
      pdm_repository_rollback (self);
      return FALSE;
    }

  return pdm_repository_commit (self, error);
}

static const char *
insert_sql (const PdmTableInfo *info)
{
  static char *cache[PDM_N_TABLES];

  if (g_once_init_enter (&cache[info->table]))
    {
      GString *sql = g_string_new (NULL);

      g_string_append_printf (sql, "INSERT INTO %s (id", info->name);
      for (guint i = 0; i < info->n_fields; i++)
        g_string_append_printf (sql, ", %s", info->fields[i].name);
      g_string_append (sql, ", _created) VALUES (?1");
      for (guint i = 0; i <= info->n_fields; i++)
        g_string_append_printf (sql, ", ?%u", i + 2);
      g_string_append (sql, ")");

      g_once_init_leave (&cache[info->table], g_string_free (sql, FALSE));
    }

  return cache[info->table];
}

static const char *
select_sql (const PdmTableInfo *info)
{
  static char *cache[PDM_N_TABLES];

  if (g_once_init_enter (&cache[info->table]))
    {
      GString *sql = g_string_new ("SELECT ");

      for (guint i = 0; i < info->n_fields; i++)
        g_string_append_printf (sql, "%s, ", info->fields[i].name);
      g_string_append_printf (sql, "_created, _clock FROM %s WHERE id = ?1", info->name);

      g_once_init_leave (&cache[info->table], g_string_free (sql, FALSE));
    }

  return cache[info->table];
}

static const char *
update_sql (const PdmTableInfo *info)
{
  static char *cache[PDM_N_TABLES];

  if (g_once_init_enter (&cache[info->table]))
    {
      GString *sql = g_string_new (NULL);

      g_string_append_printf (sql, "UPDATE %s SET ", info->name);
      for (guint i = 0; i < info->n_fields; i++)
        g_string_append_printf (sql, "%s = ?%u, ", info->fields[i].name, i + 2);
      g_string_append_printf (sql, "_clock = ?%u WHERE id = ?1", info->n_fields + 2);

      g_once_init_leave (&cache[info->table], g_string_free (sql, FALSE));
    }

  return cache[info->table];
}

static gboolean
append_outbox (PdmRepository       *self,
               guint64              hlc,
               const PdmTableInfo  *info,
               const char          *row_id,
               const char          *fields_json,
               GError             **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare (self, "INSERT INTO outbox (hlc, tbl, row_id, fields) VALUES (?1, ?2, ?3, ?4)",
                  error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, (gint64) hlc);
  sqlite3_bind_text (stmt, 2, info->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, row_id, -1, SQLITE_TRANSIENT);
  if (fields_json != NULL)
    sqlite3_bind_text (stmt, 4, fields_json, -1, SQLITE_TRANSIENT);

  return step_done (self, stmt, error);
}

static gboolean
insert_record (PdmRepository  *self,
               PdmRecord      *record,
               GError        **error)
{
  const PdmTableInfo *info = record->info;
  char stamp[PDM_STAMP_LEN + 1];
  guint64 hlc;
  sqlite3_stmt *stmt;

  if (record->id == NULL)
    record->id = pdm_uuid_v7_new ();

  stmt = prepare (self, insert_sql (info), error);
  if (stmt == NULL)
    return FALSE;

  hlc = pdm_hlc_tick (self->hlc);
  pdm_stamp_format (hlc, pdm_hlc_get_device_id (self->hlc), stamp);

  if (pdm_record_get (record, "deleted") == NULL)
    pdm_record_set (record, "deleted", "0");

  sqlite3_bind_text (stmt, 1, record->id, -1, SQLITE_TRANSIENT);
  for (guint i = 0; i < info->n_fields; i++)
    bind_value (stmt, i + 2, &info->fields[i], record->values[i]);
  sqlite3_bind_text (stmt, info->n_fields + 2, stamp, -1, SQLITE_TRANSIENT);

  if (!step_done (self, stmt, error))
    return FALSE;

  return append_outbox (self, hlc, info, record->id, NULL, error);
}

gboolean
pdm_repository_insert (PdmRepository  *self,
                       PdmRecord      *record,
                       GError        **error)
{
  g_return_val_if_fail (PDM_IS_REPOSITORY (self), FALSE);
  g_return_val_if_fail (record != NULL, FALSE);

  if (!pdm_repository_begin (self, error))
    return FALSE;

  return finish_write (self, insert_record (self, record, error), error);
}

/* The stored row: its values and field clock. */
typedef struct
{
  PdmRecord  *record;
  char       *created;
  JsonObject *clock;
} StoredRow;

static void
stored_row_clear (StoredRow *row)
{
  g_clear_pointer (&row->record, pdm_record_free);
  g_clear_pointer (&row->created, g_free);
  g_clear_pointer (&row->clock, json_object_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StoredRow, stored_row_clear)

static gboolean
load_row (PdmRepository       *self,
          const PdmTableInfo  *info,
          const char          *id,
          StoredRow           *row,
          GError             **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (self, select_sql (info), error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      if (rc == SQLITE_DONE)
        g_set_error (error, PDM_ERROR, PDM_ERROR_NOT_FOUND,
                     _("The record %s is not in the database"), id);
      else
        set_sqlite_error (self, error);
      return FALSE;
    }

  row->record = pdm_record_new (info->table);
  row->record->id = g_strdup (id);
  for (guint i = 0; i < info->n_fields; i++)
    row->record->values[i] = column_dup (stmt, i);
  row->created = column_dup (stmt, info->n_fields);

  if (sqlite3_column_type (stmt, info->n_fields + 1) != SQLITE_NULL)
    {
      g_autoptr(JsonNode) node = json_from_string ((const char *) sqlite3_column_text (
                                                     stmt, info->n_fields + 1), NULL);

      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        row->clock = json_object_ref (json_node_get_object (node));
    }
  if (row->clock == NULL)
    row->clock = json_object_new ();

  sqlite3_reset (stmt);

  return TRUE;
}

/* The stamp and base of @field in @row. */
static void
field_clock (StoredRow   *row,
             const char  *field,
             const char **out_stamp,
             const char **out_base)
{
  JsonArray *entry = NULL;

  if (json_object_has_member (row->clock, field))
    entry = json_object_get_array_member (row->clock, field);

  if (entry != NULL && json_array_get_length (entry) == 2)
    {
      *out_stamp = json_array_get_string_element (entry, 0);
      *out_base = json_array_get_null_element (entry, 1) ? NULL
                  : json_array_get_string_element (entry, 1);
    }
  else
    {
      *out_stamp = row->created;
      *out_base = NULL;
    }
}

/* TRUE when @stamp is this device's own write that sync has not yet taken
 * to send: nobody else can have seen it. A write already handed to a push
 * in flight counts as seen, or an edit made during the push would conflict
 * with the device's own earlier edit. */
static gboolean
is_unpushed_own_stamp (PdmRepository *self,
                       const char    *stamp,
                       gboolean      *out_unpushed,
                       GError       **error)
{
  sqlite3_stmt *stmt;
  guint64 hlc, device_id;

  *out_unpushed = FALSE;
  if (!pdm_stamp_parse (stamp, &hlc, &device_id) ||
      device_id != pdm_hlc_get_device_id (self->hlc))
    return TRUE;

  stmt = prepare (self,
                  "SELECT 1 FROM outbox WHERE hlc = ?1 "
                  "AND hlc > (SELECT collected_hlc FROM replica WHERE id = 1)",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (gint64) hlc);
  *out_unpushed = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);

  return TRUE;
}

static GPtrArray *load_conflicts  (PdmRepository        *self,
                                   const char           *table,
                                   const char           *row_id,
                                   const char           *field,
                                   GError              **error);
static gboolean   store_conflicts (PdmRepository        *self,
                                   const char           *table,
                                   const char           *row_id,
                                   const char           *field,
                                   const PdmFieldState  *state,
                                   GError              **error);

/* Raises *@base to the newest kept conflict of @field and drops them all. */
static gboolean
resolve_conflicts (PdmRepository  *self,
                   const char     *table,
                   const char     *row_id,
                   const char     *field,
                   char          **base,
                   GError        **error)
{
  g_autoptr(GPtrArray) conflicts = load_conflicts (self, table, row_id, field, error);
  g_autoptr(PdmFieldState) none = NULL;

  if (conflicts == NULL)
    return FALSE;
  if (conflicts->len == 0)
    return TRUE;

  /* load_conflicts() orders by stamp: the last one is the newest. */
  {
    const PdmVersion *newest = g_ptr_array_index (conflicts, conflicts->len - 1);

    if (*base == NULL || strcmp (newest->stamp, *base) > 0)
      {
        g_free (*base);
        *base = g_strdup (newest->stamp);
      }
  }

  none = pdm_field_state_new ();

  return store_conflicts (self, table, row_id, field, none, error);
}

/* Writes the fields of @record that differ from the stored row, and
 * @force_fields even when their values are the same (picking the current
 * value in the conflict inbox is a write too, and so is sending again what
 * the server refused). */
static gboolean
update_record (PdmRepository      *self,
               const PdmRecord    *record,
               const char * const *force_fields,
               guint              *out_n_changed,
               GError            **error)
{
  const PdmTableInfo *info = record->info;
  g_auto(StoredRow) row = { 0 };
  g_autoptr(JsonArray) changed = json_array_new ();
  g_autoptr(JsonNode) clock_node = NULL;
  g_autofree char *clock_json = NULL;
  g_autofree char *fields_json = NULL;
  char stamp[PDM_STAMP_LEN + 1];
  sqlite3_stmt *stmt;
  guint64 hlc;

  if (!load_row (self, info, record->id, &row, error))
    return FALSE;

  for (guint i = 0; i < info->n_fields; i++)
    if (g_strcmp0 (row.record->values[i], record->values[i]) != 0 ||
        (force_fields != NULL && g_strv_contains (force_fields, info->fields[i].name)))
      json_array_add_string_element (changed, info->fields[i].name);

  *out_n_changed = json_array_get_length (changed);
  if (*out_n_changed == 0)
    return TRUE;

  /* A submitted response is a record of what was answered then. */
  if (info->flags & PDM_TABLE_FLAG_IMMUTABLE)
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_IMMUTABLE,
                   /* Translators: the first %s is a kind of record, the second a field */
                   _("A submitted %s cannot be changed (field “%s”)"),
                   info->name, json_array_get_string_element (changed, 0));
      *out_n_changed = 0;
      return FALSE;
    }

  hlc = pdm_hlc_tick (self->hlc);
  pdm_stamp_format (hlc, pdm_hlc_get_device_id (self->hlc), stamp);

  for (guint i = 0; i < *out_n_changed; i++)
    {
      const char *field = json_array_get_string_element (changed, i);
      const char *old_stamp, *old_base;
      g_autofree char *base = NULL;
      gboolean unpushed;
      JsonArray *entry = json_array_new ();

      field_clock (&row, field, &old_stamp, &old_base);
      if (!is_unpushed_own_stamp (self, old_stamp, &unpushed, error))
        {
          json_array_unref (entry);
          return FALSE;
        }

      /* The base is what others saw before this write: an unpushed own
       * edit was never seen, so its base carries on. An empty stamp is a
       * field a remote insert has not sent yet: there was nothing to see. */
      base = g_strdup (unpushed ? old_base : old_stamp);
      if (base != NULL && *base == '\0')
        g_clear_pointer (&base, g_free);

      /* Kept conflicts were on screen here: a person who writes the field
       * has seen them, so this write resolves them (pdm-merge.h). */
      if (!resolve_conflicts (self, info->name, record->id, field, &base, error))
        {
          json_array_unref (entry);
          return FALSE;
        }

      json_array_add_string_element (entry, stamp);
      if (base == NULL)
        json_array_add_null_element (entry);
      else
        json_array_add_string_element (entry, base);
      json_object_set_array_member (row.clock, field, entry);
    }

  clock_node = json_node_init_object (json_node_alloc (), row.clock);
  clock_json = json_to_string (clock_node, FALSE);
  {
    g_autoptr(JsonNode) changed_node = json_node_init_array (json_node_alloc (), changed);

    fields_json = json_to_string (changed_node, FALSE);
  }

  stmt = prepare (self, update_sql (info), error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, record->id, -1, SQLITE_TRANSIENT);
  for (guint i = 0; i < info->n_fields; i++)
    bind_value (stmt, i + 2, &info->fields[i], record->values[i]);
  sqlite3_bind_text (stmt, info->n_fields + 2, clock_json, -1, SQLITE_TRANSIENT);
  if (!step_done (self, stmt, error))
    return FALSE;

  return append_outbox (self, hlc, info, record->id, fields_json, error);
}

/* Writes the fields of @record that differ from the stored row; a write
 * that changes nothing records nothing. */
gboolean
pdm_repository_update (PdmRepository    *self,
                       const PdmRecord  *record,
                       guint            *out_n_changed,
                       GError          **error)
{
  guint n_changed = 0;
  gboolean ok;

  g_return_val_if_fail (PDM_IS_REPOSITORY (self), FALSE);
  g_return_val_if_fail (record != NULL && record->id != NULL, FALSE);

  if (!pdm_repository_begin (self, error))
    return FALSE;

  ok = update_record (self, record, NULL, &n_changed, error);
  if (out_n_changed != NULL)
    *out_n_changed = n_changed;

  return finish_write (self, ok, error);
}

PdmRecord *
pdm_repository_get (PdmRepository  *self,
                    PdmTable        table,
                    const char     *id,
                    GError        **error)
{
  g_auto(StoredRow) row = { 0 };

  g_return_val_if_fail (PDM_IS_REPOSITORY (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!load_row (self, pdm_table_info_get (table), id, &row, error))
    return NULL;

  return g_steal_pointer (&row.record);
}

static gboolean
set_deleted (PdmRepository  *self,
             PdmTable        table,
             const char     *id,
             gboolean        deleted,
             GError        **error)
{
  g_autoptr(PdmRecord) record = pdm_repository_get (self, table, id, error);

  if (record == NULL)
    return FALSE;

  pdm_record_set (record, "deleted", deleted ? "1" : "0");

  return pdm_repository_update (self, record, NULL, error);
}

/* Deletion is a tombstone: the row stays, marked, so it syncs like an
 * edit and can be restored (undo). */
gboolean
pdm_repository_delete (PdmRepository  *self,
                       PdmTable        table,
                       const char     *id,
                       GError        **error)
{
  g_return_val_if_fail (PDM_IS_REPOSITORY (self), FALSE);

  return set_deleted (self, table, id, TRUE, error);
}

gboolean
pdm_repository_restore (PdmRepository  *self,
                        PdmTable        table,
                        const char     *id,
                        GError        **error)
{
  g_return_val_if_fail (PDM_IS_REPOSITORY (self), FALSE);

  return set_deleted (self, table, id, FALSE, error);
}

/* The stamp (and, through @out_base, the base) @field of a record carries. */
char *
pdm_repository_get_field_stamp (PdmRepository  *self,
                                PdmTable        table,
                                const char     *id,
                                const char     *field,
                                char          **out_base,
                                GError        **error)
{
  g_auto(StoredRow) row = { 0 };
  const char *stamp, *base;

  g_return_val_if_fail (PDM_IS_REPOSITORY (self), NULL);

  if (!load_row (self, pdm_table_info_get (table), id, &row, error))
    return NULL;

  field_clock (&row, field, &stamp, &base);
  if (out_base != NULL)
    *out_base = g_strdup (base);

  return g_strdup (stamp);
}

guint
pdm_repository_count_outbox (PdmRepository *self)
{
  sqlite3_stmt *stmt;
  guint count = 0;

  g_return_val_if_fail (PDM_IS_REPOSITORY (self), 0);

  stmt = prepare (self, "SELECT count(*) FROM outbox", NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    count = (guint) sqlite3_column_int (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);

  return count;
}

static char *
clock_to_json (JsonObject *clock)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), clock);

  return json_to_string (node, FALSE);
}

/* Writes @row's values and field clock back. */
static gboolean
store_row (PdmRepository  *self,
           StoredRow      *row,
           GError        **error)
{
  const PdmTableInfo *info = row->record->info;
  g_autofree char *clock_json = clock_to_json (row->clock);
  sqlite3_stmt *stmt;

  stmt = prepare (self, update_sql (info), error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, row->record->id, -1, SQLITE_TRANSIENT);
  for (guint i = 0; i < info->n_fields; i++)
    bind_value (stmt, i + 2, &info->fields[i], row->record->values[i]);
  sqlite3_bind_text (stmt, info->n_fields + 2, clock_json, -1, SQLITE_TRANSIENT);

  return step_done (self, stmt, error);
}

/* The kept conflicts of one field, as versions. */
static GPtrArray *
load_conflicts (PdmRepository  *self,
                const char     *table,
                const char     *row_id,
                const char     *field,
                GError        **error)
{
  g_autoptr(GPtrArray) versions = g_ptr_array_new_with_free_func ((GDestroyNotify) pdm_version_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (self,
                  "SELECT stamp, base, value FROM conflict "
                  "WHERE tbl = ?1 AND row_id = ?2 AND field = ?3 ORDER BY stamp",
                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, row_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, field, -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (versions, pdm_version_new ((const char *) sqlite3_column_text (stmt, 0),
                                                (const char *) sqlite3_column_text (stmt, 1),
                                                (const char *) sqlite3_column_text (stmt, 2)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error);
      return NULL;
    }

  return g_steal_pointer (&versions);
}

static gboolean
store_conflicts (PdmRepository        *self,
                 const char           *table,
                 const char           *row_id,
                 const char           *field,
                 const PdmFieldState  *state,
                 GError              **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare (self, "DELETE FROM conflict WHERE tbl = ?1 AND row_id = ?2 AND field = ?3",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, row_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, field, -1, SQLITE_TRANSIENT);
  if (!step_done (self, stmt, error))
    return FALSE;

  for (guint i = 0; i < pdm_field_state_get_n_conflicts (state); i++)
    {
      const PdmVersion *version = pdm_field_state_get_conflict (state, i);

      stmt = prepare (self,
                      "INSERT INTO conflict (tbl, row_id, field, stamp, base, value) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                      error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, table, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, row_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, field, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, version->stamp, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 5, version->base, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 6, version->value, -1, SQLITE_TRANSIENT);
      if (!step_done (self, stmt, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
check_change (const PdmChange     *change,
              const PdmTableInfo  *info,
              guint64             *out_hlc,
              GError             **error)
{
  if (info == NULL)
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_DATA,
                   _("“%s” is not a kind of record Pendamping keeps"), change->table);
      return FALSE;
    }
  if (pdm_table_info_find_field (info, change->field) < 0)
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_DATA,
                   _("A %s record has no field “%s”"), change->table, change->field);
      return FALSE;
    }
  if (change->row_id == NULL || !pdm_version_check_stamps (change->stamp, change->base) ||
      !pdm_stamp_parse (change->stamp, out_hlc, NULL))
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_DATA,
                   _("The change of %s.%s carries a malformed stamp"),
                   change->table, change->field);
      return FALSE;
    }

  return TRUE;
}

/* The INSERT of a whole remote row into its table, or with @staged into
 * its stage table (see stage_begin()). */
static const char *
insert_remote_sql (const PdmTableInfo *info,
                   gboolean            staged)
{
  static char *cache[2][PDM_N_TABLES];

  if (g_once_init_enter (&cache[staged][info->table]))
    {
      GString *sql = g_string_new (NULL);

      g_string_append_printf (sql, staged ? "INSERT INTO temp.pdm_stage_%s (id"
                                          : "INSERT INTO main.%s (id", info->name);
      for (guint i = 0; i < info->n_fields; i++)
        g_string_append_printf (sql, ", %s", info->fields[i].name);
      g_string_append (sql, ", _created, _clock) VALUES (?1");
      for (guint i = 0; i <= info->n_fields + 1; i++)
        g_string_append_printf (sql, ", ?%u", i + 2);
      g_string_append (sql, ")");

      g_once_init_leave (&cache[staged][info->table], g_string_free (sql, FALSE));
    }

  return cache[staged][info->table];
}

/* A record first met through sync: its fields carry only the stamps that
 * came with them, so `_created` is empty ("no version yet"). */
static gboolean
insert_remote_row (PdmRepository  *self,
                   StoredRow      *row,
                   GError        **error)
{
  const PdmTableInfo *info = row->record->info;
  g_autofree char *clock_json = clock_to_json (row->clock);
  sqlite3_stmt *stmt;

  if (pdm_record_get (row->record, "deleted") == NULL)
    pdm_record_set (row->record, "deleted", "0");

  stmt = prepare (self, insert_remote_sql (info, FALSE), error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, row->record->id, -1, SQLITE_TRANSIENT);
  for (guint i = 0; i < info->n_fields; i++)
    bind_value (stmt, i + 2, &info->fields[i], row->record->values[i]);
  sqlite3_bind_text (stmt, info->n_fields + 2, "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, info->n_fields + 3, clock_json, -1, SQLITE_TRANSIENT);

  return step_done (self, stmt, error);
}

/* The states of the fields a batch touches in one row, built lazily from
 * the row's winner and its kept conflicts (read once per row). */
typedef struct
{
  GHashTable *states;     /* field → PdmFieldState */
  GHashTable *conflicts;  /* field → GPtrArray of PdmVersion, from the table */
} RowMerge;

static PdmFieldState *
row_merge_state (RowMerge    *merge,
                 StoredRow   *row,
                 const char  *field)
{
  PdmFieldState *state = g_hash_table_lookup (merge->states, field);

  if (state == NULL)
    {
      GPtrArray *kept = g_hash_table_lookup (merge->conflicts, field);
      int index = pdm_table_info_find_field (row->record->info, field);
      const char *stamp, *base;

      state = pdm_field_state_new ();
      field_clock (row, field, &stamp, &base);
      if (stamp != NULL && *stamp != '\0')
        {
          g_autoptr(PdmVersion) current = pdm_version_new (stamp, base,
                                                           row->record->values[index]);

          pdm_field_state_merge (state, current);
        }
      for (guint i = 0; kept != NULL && i < kept->len; i++)
        pdm_field_state_merge (state, g_ptr_array_index (kept, i));

      g_hash_table_insert (merge->states, (gpointer) g_intern_string (field), state);
    }

  return state;
}

static gboolean
load_row_conflicts (PdmRepository  *self,
                    const char     *table,
                    const char     *row_id,
                    GHashTable     *by_field,
                    GError        **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (self,
                  "SELECT field, stamp, base, value FROM conflict WHERE tbl = ?1 AND row_id = ?2",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, row_id, -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *field = g_intern_string ((const char *) sqlite3_column_text (stmt, 0));
      GPtrArray *kept = g_hash_table_lookup (by_field, field);

      if (kept == NULL)
        {
          kept = g_ptr_array_new_with_free_func ((GDestroyNotify) pdm_version_free);
          g_hash_table_insert (by_field, (gpointer) field, kept);
        }
      g_ptr_array_add (kept, pdm_version_new ((const char *) sqlite3_column_text (stmt, 1),
                                              (const char *) sqlite3_column_text (stmt, 2),
                                              (const char *) sqlite3_column_text (stmt, 3)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error);
      return FALSE;
    }

  return TRUE;
}

/*
 * Staging. A table with search triggers (migration 3) makes every statement
 * that writes it end with a savepoint, and at each savepoint FTS5 writes its
 * pending index to disk: row by row, that made inserting a record about four
 * times dearer than the record itself, and a fresh device's first pull is
 * 80,000 new records. So the new records of a big batch wait in a TEMP copy
 * of their table (no index, no trigger, in memory: temp_store) and move into the real
 * table in one INSERT … SELECT per table when the batch ends: the triggers
 * still index every row, but FTS5 gathers the whole batch in memory and
 * writes a few large segments. It all happens inside the batch's
 * transaction, so a kill leaves neither half.
 */

/* A batch this small gains less than the two extra statements cost. */
#define STAGE_MIN_WRITES 256

static gboolean
stage_begin (PdmRepository       *self,
             const PdmTableInfo  *info,
             GError             **error)
{
  g_autofree char *sql = NULL;

  if (self->staged_tables & (1u << info->table))
    return TRUE;

  /* Made anew after a rollback took the table away with it; a no-op
   * otherwise. */
  sql = g_strdup_printf ("CREATE TEMP TABLE IF NOT EXISTS pdm_stage_%s AS "
                         "SELECT %s, t._created, t._clock FROM main.%s AS t WHERE 0",
                         info->name, pdm_repository_record_columns (info->table), info->name);
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      set_sqlite_error (self, error);
      return FALSE;
    }

  self->staged_tables |= 1u << info->table;

  return TRUE;
}

/* The statements that move the staged rows of @info's table into it, and
 * empty the stage. */
static const char *
unstage_sql (const PdmTableInfo *info,
             gboolean            clear)
{
  static char *cache[2][PDM_N_TABLES];

  if (g_once_init_enter (&cache[clear][info->table]))
    {
      GString *sql = g_string_new (NULL);
      GString *columns = g_string_new ("id");

      for (guint i = 0; i < info->n_fields; i++)
        g_string_append_printf (columns, ", %s", info->fields[i].name);
      g_string_append (columns, ", _created, _clock");

      if (clear)
        g_string_append_printf (sql, "DELETE FROM temp.pdm_stage_%s", info->name);
      else
        g_string_append_printf (sql, "INSERT INTO main.%s (%s) SELECT %s FROM temp.pdm_stage_%s",
                                info->name, columns->str, columns->str, info->name);
      g_string_free (columns, TRUE);

      g_once_init_leave (&cache[clear][info->table], g_string_free (sql, FALSE));
    }

  return cache[clear][info->table];
}

/* Moves every staged row into its table. */
static gboolean
unstage_all (PdmRepository  *self,
             GError        **error)
{
  for (guint t = 0; t < PDM_N_TABLES; t++)
    {
      const PdmTableInfo *info = pdm_table_info_get (t);

      if (!(self->staged_tables & (1u << t)))
        continue;

      if (!exec (self, unstage_sql (info, FALSE), error) ||
          !exec (self, unstage_sql (info, TRUE), error))
        return FALSE;
    }

  self->staged_tables = 0;
  if (self->staged != NULL)
    g_hash_table_remove_all (self->staged);

  return TRUE;
}

static void
stage_end (PdmRepository *self)
{
  g_clear_pointer (&self->staged, g_hash_table_unref);
  self->staged_tables = 0;
}

#define MAX_TABLE_FIELDS 32

/* A record first met in this batch, each of its fields written once:
 * every write wins its field and nothing conflicts, so the row goes in
 * with one INSERT and a clock written straight from the stamps (checked
 * hex, nothing to escape), without the merge machinery. FALSE in
 * *@out_done when the batch writes a field twice and needs the merge. */
static gboolean
insert_new_row (PdmRepository       *self,
                const PdmTableInfo  *info,
                GPtrArray           *changes,
                guint                start,
                guint                end,
                gboolean            *out_done,
                GError             **error)
{
  const char *values[MAX_TABLE_FIELDS] = { NULL };
  gboolean written[MAX_TABLE_FIELDS] = { FALSE };
  g_autoptr(GString) clock = g_string_sized_new (64 * (end - start));
  const PdmChange *first = g_ptr_array_index (changes, start);
  int deleted = pdm_table_info_find_field (info, "deleted");
  sqlite3_stmt *stmt;

  g_assert (info->n_fields <= MAX_TABLE_FIELDS);

  *out_done = FALSE;
  g_string_append_c (clock, '{');
  for (guint i = start; i < end; i++)
    {
      const PdmChange *change = g_ptr_array_index (changes, i);
      int index = pdm_table_info_find_field (info, change->field);

      if (written[index])
        return TRUE;
      written[index] = TRUE;
      values[index] = change->value;

      g_string_append (clock, i > start ? ",\"" : "\"");
      g_string_append (clock, info->fields[index].name);
      g_string_append (clock, "\":[\"");
      g_string_append (clock, change->stamp);
      if (change->base != NULL && *change->base != '\0')
        {
          g_string_append (clock, "\",\"");
          g_string_append (clock, change->base);
          g_string_append (clock, "\"]");
        }
      else
        g_string_append (clock, "\",null]");
    }
  g_string_append_c (clock, '}');

  if (deleted >= 0 && values[deleted] == NULL)
    values[deleted] = "0";

  if (self->staged != NULL && !stage_begin (self, info, error))
    return FALSE;
  stmt = prepare (self, insert_remote_sql (info, self->staged != NULL), error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, first->row_id, -1, SQLITE_STATIC);
  for (guint i = 0; i < info->n_fields; i++)
    bind_value (stmt, i + 2, &info->fields[i], values[i]);
  sqlite3_bind_text (stmt, info->n_fields + 2, "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, info->n_fields + 3, clock->str, clock->len, SQLITE_STATIC);
  if (!step_done (self, stmt, error))
    return FALSE;

  /* The id lives as long as the batch. */
  if (self->staged != NULL)
    g_hash_table_add (self->staged, first->row_id);

  *out_done = TRUE;

  return TRUE;
}

/* Merges changes[start..end), all of one row, reading and writing the row
 * once: a fresh device's first pull is mostly whole records. */
static gboolean
apply_row_changes (PdmRepository  *self,
                   GPtrArray      *changes,
                   guint           start,
                   guint           end,
                   guint          *n_changed,
                   GError        **error)
{
  const PdmChange *first = g_ptr_array_index (changes, start);
  const PdmTableInfo *info = pdm_table_info_lookup (first->table);
  g_autoptr(GError) local_error = NULL;
  g_auto(StoredRow) row = { 0 };
  RowMerge merge;
  gboolean exists;
  gboolean row_changed = FALSE;
  gboolean ok = FALSE;
  GHashTableIter iter;
  gpointer key, value;

  /* A record written again later in the batch merges with the real row. */
  if (self->staged != NULL && g_hash_table_contains (self->staged, first->row_id) &&
      !unstage_all (self, error))
    return FALSE;

  exists = load_row (self, info, first->row_id, &row, &local_error);
  if (!exists)
    {
      if (!g_error_matches (local_error, PDM_ERROR, PDM_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      gboolean inserted;

      if (!insert_new_row (self, info, changes, start, end, &inserted, error))
        return FALSE;
      if (inserted)
        {
          *n_changed += end - start;
          return TRUE;
        }

      row.record = pdm_record_new (info->table);
      row.record->id = g_strdup (first->row_id);
      row.created = g_strdup ("");
      row.clock = json_object_new ();
    }

  /* Keys are interned field names, owned by GLib. */
  merge.states = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                        (GDestroyNotify) pdm_field_state_free);
  merge.conflicts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                           (GDestroyNotify) g_ptr_array_unref);

  if (exists && !load_row_conflicts (self, info->name, first->row_id, merge.conflicts, error))
    goto out;

  for (guint i = start; i < end; i++)
    {
      const PdmChange *change = g_ptr_array_index (changes, i);
      g_autoptr(PdmVersion) incoming = pdm_version_new (change->stamp, change->base,
                                                        change->value);
      PdmFieldState *state = row_merge_state (&merge, &row, change->field);

      if (!pdm_field_state_merge (state, incoming))
        continue;

      /* Attendance marks and responses never wait for a person: the last
       * writer wins and a concurrent loser is forgotten (pdm-merge.h), so
       * only a write that took the field changes anything. */
      if (info->flags & PDM_TABLE_FLAG_NO_CONFLICTS)
        {
          gboolean won = g_str_equal (pdm_field_state_get_winner (state)->stamp, incoming->stamp);

          pdm_field_state_keep_winner (state);
          if (!won)
            continue;
        }

      (*n_changed)++;
    }

  /* Write back what the merges changed: the winners into the row, the
   * losers into the conflict table. */
  g_hash_table_iter_init (&iter, merge.states);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *field = key;
      const PdmFieldState *state = value;
      const PdmVersion *winner = pdm_field_state_get_winner (state);
      int index = pdm_table_info_find_field (info, field);
      const char *stamp, *base;
      GPtrArray *kept = g_hash_table_lookup (merge.conflicts, field);

      field_clock (&row, field, &stamp, &base);
      if (winner != NULL && g_strcmp0 (winner->stamp, stamp) != 0)
        {
          JsonArray *entry = json_array_new ();

          g_free (row.record->values[index]);
          row.record->values[index] = g_strdup (winner->value);
          json_array_add_string_element (entry, winner->stamp);
          if (winner->base != NULL && *winner->base != '\0')
            json_array_add_string_element (entry, winner->base);
          else
            json_array_add_null_element (entry);
          json_object_set_array_member (row.clock, field, entry);
          row_changed = TRUE;
        }

      if ((kept != NULL || pdm_field_state_get_n_conflicts (state) > 0) &&
          !store_conflicts (self, info->name, first->row_id, field, state, error))
        goto out;
    }

  if (!exists)
    ok = insert_remote_row (self, &row, error);
  else
    ok = !row_changed || store_row (self, &row, error);

out:
  g_hash_table_unref (merge.states);
  g_hash_table_unref (merge.conflicts);

  return ok;
}

/* Merges field writes from other replicas (pdm-merge.h): the greater stamp
 * wins a field, and a concurrent loser is kept as a conflict. The batch is
 * applied whole or not at all; *@out_n_changed counts the writes that
 * changed something (a repeated write changes nothing). */
gboolean
pdm_repository_apply_changes (PdmRepository  *self,
                              GPtrArray      *changes,
                              guint          *out_n_changed,
                              GError        **error)
{
  guint n_changed = 0;
  guint start = 0;

  g_return_val_if_fail (PDM_IS_REPOSITORY (self), FALSE);
  g_return_val_if_fail (changes != NULL, FALSE);

  for (guint i = 0; i < changes->len; i++)
    {
      const PdmChange *change = g_ptr_array_index (changes, i);
      guint64 hlc;

      if (!check_change (change, pdm_table_info_lookup (change->table), &hlc, error))
        return FALSE;

      /* Every later local write must come after what this replica saw. */
      pdm_hlc_observe (self->hlc, hlc);
    }

  if (!pdm_repository_begin (self, error))
    return FALSE;

  g_assert (self->staged == NULL);
  if (changes->len >= STAGE_MIN_WRITES)
    self->staged = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 1; i <= changes->len; i++)
    {
      const PdmChange *previous = g_ptr_array_index (changes, i - 1);
      const PdmChange *next = i < changes->len ? g_ptr_array_index (changes, i) : NULL;

      if (next != NULL && g_str_equal (next->table, previous->table) &&
          g_str_equal (next->row_id, previous->row_id))
        continue;

      if (!apply_row_changes (self, changes, start, i, &n_changed, error))
        {
          stage_end (self);
          return finish_write (self, FALSE, error);
        }
      start = i;
    }

  if (!unstage_all (self, error))
    {
      stage_end (self);
      return finish_write (self, FALSE, error);
    }
  stage_end (self);

  if (out_n_changed != NULL)
    *out_n_changed = n_changed;

  return finish_write (self, TRUE, error);
}

gboolean
pdm_repository_apply_change (PdmRepository    *self,
                             const PdmChange  *change,
                             gboolean         *out_changed,
                             GError          **error)
{
  g_autoptr(GPtrArray) one = g_ptr_array_new ();
  guint n_changed = 0;

  g_return_val_if_fail (PDM_IS_REPOSITORY (self), FALSE);
  g_return_val_if_fail (change != NULL, FALSE);

  g_ptr_array_add (one, (gpointer) change);
  if (!pdm_repository_apply_changes (self, one, &n_changed, error))
    return FALSE;

  if (out_changed != NULL)
    *out_changed = n_changed > 0;

  return TRUE;
}

/* Settles a conflict: @value (the winner's or a kept one's) becomes a new
 * write of @field that has seen every kept value, here and, once synced,
 * everywhere. */
gboolean
pdm_repository_resolve_conflict (PdmRepository  *self,
                                 PdmTable        table,
                                 const char     *id,
                                 const char     *field,
                                 const char     *value,
                                 GError        **error)
{
  g_autoptr(PdmRecord) record = NULL;
  guint n_changed = 0;

  g_return_val_if_fail (PDM_IS_REPOSITORY (self), FALSE);
  g_return_val_if_fail (id != NULL && field != NULL, FALSE);

  record = pdm_repository_get (self, table, id, error);
  if (record == NULL)
    return FALSE;
  if (pdm_table_info_find_field (record->info, field) < 0)
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_DATA,
                   _("A %s record has no field “%s”"), record->info->name, field);
      return FALSE;
    }
  pdm_record_set (record, field, value);

  if (!pdm_repository_begin (self, error))
    return FALSE;

  {
    const char * const forced[] = { field, NULL };

    return finish_write (self, update_record (self, record, forced, &n_changed, error), error);
  }
}

/**
 * pdm_repository_rewrite_fields:
 * @fields: (array zero-terminated=1): names of fields of @table
 *
 * Writes @fields of the record @id anew with the values they hold, as a
 * new edit that syncs: what the server once refused goes out again once a
 * person has put the record right.
 */
gboolean
pdm_repository_rewrite_fields (PdmRepository      *self,
                               PdmTable            table,
                               const char         *id,
                               const char * const *fields,
                               GError            **error)
{
  g_autoptr(PdmRecord) record = NULL;
  guint n_changed = 0;

  g_return_val_if_fail (PDM_IS_REPOSITORY (self), FALSE);
  g_return_val_if_fail (id != NULL && fields != NULL, FALSE);

  record = pdm_repository_get (self, table, id, error);
  if (record == NULL)
    return FALSE;

  if (!pdm_repository_begin (self, error))
    return FALSE;

  return finish_write (self, update_record (self, record, fields, &n_changed, error), error);
}

/* Every field that has kept conflicts, newest first: the conflict inbox. */
GPtrArray *
pdm_repository_list_conflicted_fields (PdmRepository  *self,
                                       GError        **error)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) pdm_change_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PDM_IS_REPOSITORY (self), NULL);

  stmt = prepare (self,
                  "SELECT tbl, row_id, field, max (stamp) FROM conflict "
                  "GROUP BY tbl, row_id, field ORDER BY 4 DESC",
                  error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (changes, pdm_change_new ((const char *) sqlite3_column_text (stmt, 0),
                                              (const char *) sqlite3_column_text (stmt, 1),
                                              (const char *) sqlite3_column_text (stmt, 2),
                                              NULL, NULL, NULL));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error);
      return NULL;
    }

  return g_steal_pointer (&changes);
}

GPtrArray *
pdm_repository_list_conflicts (PdmRepository  *self,
                               PdmTable        table,
                               const char     *id,
                               const char     *field,
                               GError        **error)
{
  g_return_val_if_fail (PDM_IS_REPOSITORY (self), NULL);

  return load_conflicts (self, pdm_table_info_get (table)->name, id, field, error);
}

/* Appends the changes of one outbox entry. A field whose value has since
 * lost to a concurrent remote write is sent from the conflicts, so the loser
 * reaches the server too; one overwritten by a later local edit is skipped,
 * that edit carries it. */
static gboolean
collect_entry (PdmRepository  *self,
               guint64         hlc,
               const char     *table,
               const char     *row_id,
               const char     *fields_json,
               GPtrArray      *changes,
               GError        **error)
{
  const PdmTableInfo *info = pdm_table_info_lookup (table);
  g_auto(StoredRow) row = { 0 };
  g_autoptr(JsonNode) fields_node = NULL;
  JsonArray *fields = NULL;
  char entry_stamp[PDM_STAMP_LEN + 1];
  guint n_fields;

  g_assert (info != NULL);
  pdm_stamp_format (hlc, pdm_hlc_get_device_id (self->hlc), entry_stamp);

  if (!load_row (self, info, row_id, &row, error))
    return FALSE;

  if (fields_json != NULL)
    {
      fields_node = json_from_string (fields_json, NULL);
      if (fields_node != NULL && JSON_NODE_HOLDS_ARRAY (fields_node))
        fields = json_node_get_array (fields_node);
    }
  n_fields = fields != NULL ? json_array_get_length (fields) : info->n_fields;

  for (guint i = 0; i < n_fields; i++)
    {
      const char *field = fields != NULL ? json_array_get_string_element (fields, i)
                                         : info->fields[i].name;
      int index = pdm_table_info_find_field (info, field);
      const char *stamp, *base;

      if (index < 0)
        continue;

      field_clock (&row, field, &stamp, &base);
      if (g_strcmp0 (stamp, entry_stamp) == 0)
        {
          g_ptr_array_add (changes, pdm_change_new (table, row_id, field, stamp, base,
                                                    row.record->values[index]));
        }
      else
        {
          g_autoptr(GPtrArray) conflicts = load_conflicts (self, table, row_id, field, error);

          if (conflicts == NULL)
            return FALSE;
          for (guint c = 0; c < conflicts->len; c++)
            {
              const PdmVersion *version = g_ptr_array_index (conflicts, c);

              if (g_str_equal (version->stamp, entry_stamp))
                g_ptr_array_add (changes, pdm_change_new (table, row_id, field, version->stamp,
                                                          version->base, version->value));
            }
        }
    }

  return TRUE;
}

/* The field changes of the oldest @max_writes local writes, as push sends
 * them; *@out_last_hlc is the newest write read, to clear once acknowledged.
 * From now on these writes count as seen (they may reach the server). */
GPtrArray *
pdm_repository_collect_outbox (PdmRepository  *self,
                               guint           max_writes,
                               guint64        *out_last_hlc,
                               GError        **error)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) pdm_change_free);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) hlcs = g_array_new (FALSE, FALSE, sizeof (guint64));
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PDM_IS_REPOSITORY (self), NULL);

  if (out_last_hlc != NULL)
    *out_last_hlc = 0;

  stmt = prepare (self, "SELECT hlc, tbl, row_id, fields FROM outbox ORDER BY hlc LIMIT ?1",
                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, (int) MIN (max_writes, G_MAXINT));

  /* Read the entries first: collecting reuses the cached statements. */
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint64 hlc = (guint64) sqlite3_column_int64 (stmt, 0);

      g_array_append_val (hlcs, hlc);
      g_ptr_array_add (entries, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
      g_ptr_array_add (entries, g_strdup ((const char *) sqlite3_column_text (stmt, 2)));
      g_ptr_array_add (entries, g_strdup ((const char *) sqlite3_column_text (stmt, 3)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error);
      return NULL;
    }

  for (guint i = 0; i < hlcs->len; i++)
    if (!collect_entry (self, g_array_index (hlcs, guint64, i),
                        g_ptr_array_index (entries, 3 * i),
                        g_ptr_array_index (entries, 3 * i + 1),
                        g_ptr_array_index (entries, 3 * i + 2),
                        changes, error))
      return NULL;

  if (hlcs->len > 0)
    {
      guint64 last_hlc = g_array_index (hlcs, guint64, hlcs->len - 1);

      stmt = prepare (self,
                      "UPDATE replica SET collected_hlc = max (collected_hlc, ?1) WHERE id = 1",
                      error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_int64 (stmt, 1, (gint64) last_hlc);
      if (!step_done (self, stmt, error))
        return NULL;

      if (out_last_hlc != NULL)
        *out_last_hlc = last_hlc;
    }

  return g_steal_pointer (&changes);
}

/* Forgets the writes up to @up_to_hlc once the server has them: from then
 * on they count as seen, and later edits take them as their base. */
gboolean
pdm_repository_clear_outbox (PdmRepository  *self,
                             guint64         up_to_hlc,
                             GError        **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PDM_IS_REPOSITORY (self), FALSE);

  stmt = prepare (self, "DELETE FROM outbox WHERE hlc <= ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (gint64) up_to_hlc);

  return step_done (self, stmt, error);
}

static void
pdm_repository_finalize (GObject *object)
{
  PdmRepository *self = (PdmRepository *)object;

  pdm_repository_rollback (self);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->staged, g_hash_table_unref);
  g_clear_pointer (&self->hlc, pdm_hlc_free);
  g_clear_object (&self->database);

  G_OBJECT_CLASS (pdm_repository_parent_class)->finalize (object);
}

static void
pdm_repository_class_init (PdmRepositoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pdm_repository_finalize;
}

static void
pdm_repository_init (PdmRepository *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) sqlite3_finalize);
}
