/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-sync-log"

#include "config.h"

#include <glib/gi18n.h>

#include "pdm-error.h"
#include "pdm-sync-log.h"

/*
 * What sync leaves behind for people to read: the writes the server
 * refused (the quarantine) and one row per run (the history). Both tables
 * are small and belong to sync; the app reads them on its own connection.
 */

PdmQuarantineItem *
pdm_sync_log_copy_quarantine_item (const PdmQuarantineItem *item)
{
  PdmQuarantineItem *copy;

  g_return_val_if_fail (item != NULL, NULL);

  copy = g_memdup2 (item, sizeof *item);
  copy->table = g_strdup (item->table);
  copy->row_id = g_strdup (item->row_id);
  copy->fields = g_strdupv (item->fields);
  copy->reason = g_strdup (item->reason);
  copy->message = g_strdup (item->message);

  return copy;
}

void
pdm_quarantine_item_free (PdmQuarantineItem *item)
{
  if (item == NULL)
    return;

  g_free (item->table);
  g_free (item->row_id);
  g_strfreev (item->fields);
  g_free (item->reason);
  g_free (item->message);
  g_free (item);
}

void
pdm_sync_history_item_free (PdmSyncHistoryItem *item)
{
  if (item == NULL)
    return;

  g_free (item->kind);
  g_free (item->error);
  g_free (item);
}

static void
set_sqlite_error (PdmDatabase  *database,
                  GError      **error)
{
  g_set_error (error, PDM_ERROR, PDM_ERROR_DATABASE,
               /* Translators: the first %s is a file path, the second SQLite's reason */
               _("The database “%s” failed: %s"),
               pdm_database_get_path (database),
               sqlite3_errmsg (pdm_database_get_handle (database)));
}

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

/* Runs @sql and turns each row into an item with @read_row. */
static GPtrArray *
list_rows (PdmDatabase     *database,
           const char      *sql,
           gint64           limit,
           gpointer       (*read_row) (sqlite3_stmt *stmt),
           GDestroyNotify   free_item,
           GError         **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (free_item);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (pdm_database_get_handle (database), sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (database, error);
      return NULL;
    }
  if (limit > 0)
    sqlite3_bind_int64 (stmt, 1, limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items, read_row (stmt));
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (database, error);
      return NULL;
    }

  return g_steal_pointer (&items);
}

static gpointer
read_quarantine_row (sqlite3_stmt *stmt)
{
  PdmQuarantineItem *item = g_new0 (PdmQuarantineItem, 1);
  g_autofree char *fields = column_text (stmt, 2);

  item->table = column_text (stmt, 0);
  item->row_id = column_text (stmt, 1);
  item->fields = g_strsplit (fields != NULL ? fields : "", ",", -1);
  item->reason = column_text (stmt, 3);
  item->message = column_text (stmt, 4);
  item->time = sqlite3_column_int64 (stmt, 5);

  return item;
}

/**
 * pdm_sync_log_list_quarantine:
 *
 * Returns: (transfer full) (element-type PdmQuarantineItem): the records
 *   with refused writes, the last refused first, or %NULL on error
 */
GPtrArray *
pdm_sync_log_list_quarantine (PdmDatabase  *database,
                              GError      **error)
{
  g_return_val_if_fail (PDM_IS_DATABASE (database), NULL);

  /* With max(), SQLite takes the bare columns from the row of the last
   * refusal. */
  return list_rows (database,
                    "SELECT tbl, row_id, group_concat (field, ','), reason, message, max (time) "
                    "FROM quarantine GROUP BY tbl, row_id ORDER BY max (time) DESC, tbl, row_id",
                    0, read_quarantine_row, (GDestroyNotify) pdm_quarantine_item_free, error);
}

/* How many records wait in the quarantine. */
guint
pdm_sync_log_count_quarantine (PdmDatabase *database)
{
  sqlite3_stmt *stmt = NULL;
  guint count = 0;

  g_return_val_if_fail (PDM_IS_DATABASE (database), 0);

  if (sqlite3_prepare_v2 (pdm_database_get_handle (database),
                          "SELECT count(*) FROM (SELECT DISTINCT tbl, row_id FROM quarantine)",
                          -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    count = (guint) sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return count;
}

/* Forgets the refused writes of one record; what the record holds here is
 * not touched. */
gboolean
pdm_sync_log_drop_quarantine (PdmDatabase              *database,
                              const PdmQuarantineItem  *item,
                              GError                  **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (PDM_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (item != NULL, FALSE);

  if (sqlite3_prepare_v2 (pdm_database_get_handle (database),
                          "DELETE FROM quarantine WHERE tbl = ?1 AND row_id = ?2",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (database, error);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, item->table, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, item->row_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (database, error);
      return FALSE;
    }

  return TRUE;
}

/**
 * pdm_sync_log_fix_quarantine:
 *
 * Once a person has put the record of @item right, sends its refused
 * fields again with the values they hold now (the server never took
 * them, so changing one field alone would arrive without the others) and
 * forgets the refusal.
 */
gboolean
pdm_sync_log_fix_quarantine (PdmRepository            *repository,
                             const PdmQuarantineItem  *item,
                             GError                  **error)
{
  const PdmTableInfo *info;

  g_return_val_if_fail (PDM_IS_REPOSITORY (repository), FALSE);
  g_return_val_if_fail (item != NULL, FALSE);

  info = pdm_table_info_lookup (item->table);
  if (info != NULL &&
      !pdm_repository_rewrite_fields (repository, info->table, item->row_id,
                                      (const char * const *) item->fields, error))
    return FALSE;

  return pdm_sync_log_drop_quarantine (pdm_repository_get_database (repository), item, error);
}

static gpointer
read_history_row (sqlite3_stmt *stmt)
{
  PdmSyncHistoryItem *item = g_new0 (PdmSyncHistoryItem, 1);

  item->time = sqlite3_column_int64 (stmt, 0);
  item->kind = column_text (stmt, 1);
  item->pushed = (guint) sqlite3_column_int64 (stmt, 2);
  item->refused = (guint) sqlite3_column_int64 (stmt, 3);
  item->pulled = (guint) sqlite3_column_int64 (stmt, 4);
  item->removed = (guint) sqlite3_column_int64 (stmt, 5);
  item->duration_ms = sqlite3_column_int64 (stmt, 6);
  item->error = column_text (stmt, 7);

  return item;
}

/**
 * pdm_sync_log_list_history:
 * @limit: how many runs at most
 *
 * Returns: (transfer full) (element-type PdmSyncHistoryItem): the runs,
 *   newest first, or %NULL on error
 */
GPtrArray *
pdm_sync_log_list_history (PdmDatabase  *database,
                           guint         limit,
                           GError      **error)
{
  g_return_val_if_fail (PDM_IS_DATABASE (database), NULL);
  g_return_val_if_fail (limit > 0, NULL);

  return list_rows (database,
                    "SELECT time, kind, pushed, refused, pulled, removed, duration_ms, error "
                    "FROM sync_history ORDER BY time DESC, id DESC LIMIT ?1",
                    limit, read_history_row, (GDestroyNotify) pdm_sync_history_item_free, error);
}
