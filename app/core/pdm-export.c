/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-export"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "pdm-csv.h"
#include "pdm-error.h"
#include "pdm-export.h"
#include "pdm-import.h"

#define CANCEL_CHECK_ROWS 1000

/* One row per member, a household without members as one row of its own;
 * the columns in the order of PdmImportColumn. */
static const char export_sql[] =
  "SELECT h.kk_number, h.dtsen_id, h.head_name, h.address, h.rt, h.rw,"
  "       kec.name, COALESCE (kel.name, h.kelurahan_code), h.desil, h.programs,"
  "       p.nik, p.full_name, p.sex, p.birth_place, p.birth_date, p.relationship,"
  "       p.disability "
  "FROM household h "
  "LEFT JOIN region kel ON kel.code = h.kelurahan_code "
  "LEFT JOIN region kec ON kec.code = kel.parent_code "
  "LEFT JOIN person p ON p.household_id = h.id AND p.deleted = 0 "
  "WHERE h.deleted = 0 AND (?1 IS NULL OR h.kelurahan_code = ?1) "
  "ORDER BY h.kelurahan_code, h.rw, h.rt, h.kk_number, h.id,"
  "         p.relationship IS NOT 'Kepala Keluarga', p.birth_date, p.id";

/*
 * Excel opens a cell of 16 digits as a number: it shows 1,37502E+15 and
 * keeps 15 significant digits, so the NIK is lost as soon as the file is
 * saved again. A leading apostrophe only marks text when typed; in a CSV it
 * stays visible as part of the cell. A formula whose result is text,
 * ="1375022505800001", opens in Excel as the digits themselves, kept as
 * text, and Excel saves it back as the plain digits. The importer reads
 * both forms (pdm-import.c), so an export imports again whichever program
 * opened it in between.
 */
static char *
format_identity (const char *value)
{
  if (*value == '\0' || value[strspn (value, "0123456789")] != '\0')
    return g_strdup (value);

  return g_strdup_printf ("=\"%s\"", value);
}

/* ISO dates as DD/MM/YYYY, the form Excel in Indonesian settings reads. */
static char *
format_date (const char *value)
{
  unsigned year, month, day;
  char rest;

  if (sscanf (value, "%4u-%2u-%2u%c", &year, &month, &day, &rest) != 3)
    return g_strdup (value);

  return g_strdup_printf ("%02u/%02u/%04u", day, month, year);
}

/* "BPNT,PKH" as "BPNT, PKH", as people write it. */
static char *
format_programs (const char *value)
{
  g_auto(GStrv) parts = g_strsplit (value, ",", -1);

  return g_strjoinv (", ", parts);
}

static char *
format_cell (PdmImportColumn  column,
             const char      *value)
{
  if (value == NULL)
    return NULL;

  switch (column)
    {
    case PDM_IMPORT_COLUMN_KK_NUMBER:
    case PDM_IMPORT_COLUMN_DTSEN_ID:
    case PDM_IMPORT_COLUMN_NIK:
      return format_identity (value);
    case PDM_IMPORT_COLUMN_BIRTH_DATE:
      return format_date (value);
    case PDM_IMPORT_COLUMN_PROGRAMS:
      return format_programs (value);
    case PDM_IMPORT_COLUMN_HEAD_NAME:
    case PDM_IMPORT_COLUMN_ADDRESS:
    case PDM_IMPORT_COLUMN_RT:
    case PDM_IMPORT_COLUMN_RW:
    case PDM_IMPORT_COLUMN_KECAMATAN:
    case PDM_IMPORT_COLUMN_KELURAHAN:
    case PDM_IMPORT_COLUMN_DESIL:
    case PDM_IMPORT_COLUMN_FULL_NAME:
    case PDM_IMPORT_COLUMN_SEX:
    case PDM_IMPORT_COLUMN_BIRTH_PLACE:
    case PDM_IMPORT_COLUMN_RELATIONSHIP:
    case PDM_IMPORT_COLUMN_DISABILITY:
    case PDM_IMPORT_N_COLUMNS:
    default:
      return g_strdup (value);
    }
}

static gboolean
write_csv (sqlite3       *db,
           const char    *kelurahan_code,
           char           separator,
           GString       *out,
           GCancellable  *cancellable,
           GError       **error)
{
  const char *header[PDM_IMPORT_N_COLUMNS];
  sqlite3_stmt *stmt = NULL;
  guint n_rows = 0;
  int rc;

  if (sqlite3_prepare_v2 (db, export_sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_DATABASE,
                   _("The database failed: %s"), sqlite3_errmsg (db));
      return FALSE;
    }
  g_assert (sqlite3_column_count (stmt) == PDM_IMPORT_N_COLUMNS);
  if (kelurahan_code != NULL)
    sqlite3_bind_text (stmt, 1, kelurahan_code, -1, SQLITE_TRANSIENT);

  /* The BOM makes Excel read the file as UTF-8, not in the PC's code page. */
  pdm_csv_append_bom (out);
  for (guint c = 0; c < PDM_IMPORT_N_COLUMNS; c++)
    header[c] = pdm_import_column_get_header (c);
  pdm_csv_append_row (out, header, PDM_IMPORT_N_COLUMNS, separator);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      char *cells[PDM_IMPORT_N_COLUMNS];

      if (++n_rows % CANCEL_CHECK_ROWS == 0 && g_cancellable_is_cancelled (cancellable))
        break;

      for (guint c = 0; c < PDM_IMPORT_N_COLUMNS; c++)
        cells[c] = format_cell (c, (const char *) sqlite3_column_text (stmt, c));
      pdm_csv_append_row (out, (const char * const *) cells, PDM_IMPORT_N_COLUMNS, separator);
      for (guint c = 0; c < PDM_IMPORT_N_COLUMNS; c++)
        g_free (cells[c]);
    }
  sqlite3_finalize (stmt);

  if (g_cancellable_is_cancelled (cancellable))
    {
      g_set_error_literal (error, PDM_ERROR, PDM_ERROR_CANCELLED, _("The export was cancelled"));
      return FALSE;
    }

  if (rc != SQLITE_DONE)
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_DATABASE,
                   _("The database failed: %s"), sqlite3_errmsg (db));
      return FALSE;
    }

  return TRUE;
}

/**
 * pdm_export_dtsen_csv:
 * @database: the database to read
 * @kelurahan_code: (nullable): only this kelurahan, such as 13.75.02.1002
 * @separator: the cell separator, usually %PDM_EXPORT_DEFAULT_SEPARATOR
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes the households that are not deleted and their members as CSV in
 * UTF-8 with a BOM, rows ended by CRLF, in the import template's layout.
 *
 * Returns: (transfer full): the file's bytes, or %NULL
 */
GBytes *
pdm_export_dtsen_csv (PdmDatabase   *database,
                      const char    *kelurahan_code,
                      char           separator,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (PDM_IS_DATABASE (database), NULL);
  g_return_val_if_fail (separator != '\0' && separator != '"' && separator != '=', NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!write_csv (pdm_database_get_handle (database), kelurahan_code, separator, out,
                  cancellable, error))
    return NULL;

  return g_string_free_to_bytes (g_steal_pointer (&out));
}

typedef struct
{
  char  *path;
  char  *kelurahan_code;
  char   separator;
  GFile *file;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_free (data->path);
  g_free (data->kelurahan_code);
  g_object_unref (data->file);
  g_free (data);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *data = task_data;
  g_autoptr(PdmDatabase) database = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  /* Its own connection, so the UI's stays free while the file is written. */
  database = pdm_database_open (data->path, &error);
  if (database != NULL)
    bytes = pdm_export_dtsen_csv (database, data->kelurahan_code, data->separator,
                                  cancellable, &error);
  if (bytes == NULL ||
      !g_file_replace_contents (data->file, g_bytes_get_data (bytes, NULL),
                                g_bytes_get_size (bytes), NULL, FALSE,
                                G_FILE_CREATE_REPLACE_DESTINATION, NULL, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
pdm_export_dtsen_csv_async (PdmDatabase          *database,
                            const char           *kelurahan_code,
                            char                  separator,
                            GFile                *file,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportData *data;

  g_return_if_fail (PDM_IS_DATABASE (database));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (separator != '\0' && separator != '"' && separator != '=');

  data = g_new0 (ExportData, 1);
  data->path = g_strdup (pdm_database_get_path (database));
  data->kelurahan_code = g_strdup (kelurahan_code);
  data->separator = separator;
  data->file = g_object_ref (file);

  task = g_task_new (database, cancellable, callback, user_data);
  g_task_set_source_tag (task, pdm_export_dtsen_csv_async);
  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
pdm_export_dtsen_csv_finish (PdmDatabase   *database,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, database), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pdm_export_dtsen_csv_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
