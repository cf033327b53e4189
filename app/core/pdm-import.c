/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-import"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "pdm-csv.h"
#include "pdm-error.h"
#include "pdm-import.h"
#include "pdm-parse.h"
#include "pdm-rules.h"
#include "pdm-util.h"
#include "pdm-validate.h"

/*
 * The import of a DTSEN spreadsheet. The check is a dry run of the apply:
 * both walk the whole file inside one write transaction and write through
 * the repository as they go, so every rule sees what the rows before it
 * wrote (a member of a household that is new in this file, a NIK twice).
 * The check always rolls back; the apply commits only when no row has an
 * error, so a file imports whole or not at all.
 *
 * Households are matched by DTSEN id, else by KK number; members by NIK
 * within their household. A matched record takes the file's non-empty cells
 * and keeps the rest (what the PSM added by hand), and the repository
 * records only the fields that really changed.
 */

/* A few thousand SQLite steps between looks at the cancellable. */
#define CANCEL_CHECK_STEPS 4000
/* Page cache during an import, in KiB: a city's households, members and
 * outbox fit, so the one big transaction does not spill to the WAL early. */
#define IMPORT_CACHE_KIB 65536

typedef struct
{
  const char *header;
  PdmTable    table;
  /* NULL for a column that only helps to read another (Kecamatan). */
  const char *field;
  gboolean    required;
  const char *aliases[10];
} ColumnInfo;

/* Headers as the template writes them; the aliases are what DTSEN, DTKS and
 * Dukcapil extracts and kelurahan spreadsheets call the same columns. */
static const ColumnInfo columns[PDM_IMPORT_N_COLUMNS] = {
  [PDM_IMPORT_COLUMN_KK_NUMBER] = {
    "No KK", PDM_TABLE_HOUSEHOLD, "kk_number", TRUE,
    { "No KK", "Nomor KK", "KK", "No Kartu Keluarga", "Nomor Kartu Keluarga", NULL } },
  [PDM_IMPORT_COLUMN_DTSEN_ID] = {
    "ID DTSEN", PDM_TABLE_HOUSEHOLD, "dtsen_id", FALSE,
    { "ID DTSEN", "DTSEN ID", "ID Keluarga DTSEN", "ID DTKS", "IDDTKS", "ID Keluarga", NULL } },
  [PDM_IMPORT_COLUMN_HEAD_NAME] = {
    "Nama Kepala Keluarga", PDM_TABLE_HOUSEHOLD, "head_name", FALSE,
    { "Nama Kepala Keluarga", "Kepala Keluarga", "Nama KK", "Nama Kepala Rumah Tangga",
      "Nama KRT", NULL } },
  [PDM_IMPORT_COLUMN_ADDRESS] = {
    "Alamat", PDM_TABLE_HOUSEHOLD, "address", FALSE,
    { "Alamat", "Alamat Rumah", "Alamat Lengkap", "Alamat Domisili", NULL } },
  [PDM_IMPORT_COLUMN_RT] = {
    "RT", PDM_TABLE_HOUSEHOLD, "rt", FALSE,
    { "RT", "No RT", "Nomor RT", NULL } },
  [PDM_IMPORT_COLUMN_RW] = {
    "RW", PDM_TABLE_HOUSEHOLD, "rw", FALSE,
    { "RW", "No RW", "Nomor RW", NULL } },
  [PDM_IMPORT_COLUMN_KECAMATAN] = {
    "Kecamatan", PDM_TABLE_HOUSEHOLD, NULL, FALSE,
    { "Kecamatan", "Kec", "Nama Kecamatan", NULL } },
  [PDM_IMPORT_COLUMN_KELURAHAN] = {
    "Kelurahan", PDM_TABLE_HOUSEHOLD, "kelurahan_code", TRUE,
    { "Kelurahan", "Kel", "Kelurahan/Desa", "Desa/Kelurahan", "Desa", "Nama Kelurahan",
      "Kode Kelurahan", NULL } },
  [PDM_IMPORT_COLUMN_DESIL] = {
    "Desil", PDM_TABLE_HOUSEHOLD, "desil", FALSE,
    { "Desil", "Desil Nasional", "Peringkat Desil", NULL } },
  [PDM_IMPORT_COLUMN_PROGRAMS] = {
    "Program", PDM_TABLE_HOUSEHOLD, "programs", FALSE,
    { "Program", "Program Bansos", "Bansos", "Bantuan", "Kepesertaan Program", NULL } },
  [PDM_IMPORT_COLUMN_NIK] = {
    "NIK", PDM_TABLE_PERSON, "nik", TRUE,
    { "NIK", "No NIK", "Nomor NIK", "Nomor Induk Kependudukan", "NIK Anggota", NULL } },
  [PDM_IMPORT_COLUMN_FULL_NAME] = {
    "Nama", PDM_TABLE_PERSON, "full_name", TRUE,
    { "Nama", "Nama Lengkap", "Nama Anggota", "Nama Anggota Keluarga", "Nama ART", NULL } },
  [PDM_IMPORT_COLUMN_SEX] = {
    "Jenis Kelamin", PDM_TABLE_PERSON, "sex", FALSE,
    { "Jenis Kelamin", "JK", "L/P", "Kelamin", NULL } },
  [PDM_IMPORT_COLUMN_BIRTH_PLACE] = {
    "Tempat Lahir", PDM_TABLE_PERSON, "birth_place", FALSE,
    { "Tempat Lahir", "Tmp Lahir", "Tpt Lahir", NULL } },
  [PDM_IMPORT_COLUMN_BIRTH_DATE] = {
    "Tanggal Lahir", PDM_TABLE_PERSON, "birth_date", FALSE,
    { "Tanggal Lahir", "Tgl Lahir", "Tgl. Lahir", "Tanggal Kelahiran", NULL } },
  [PDM_IMPORT_COLUMN_RELATIONSHIP] = {
    "Hubungan Keluarga", PDM_TABLE_PERSON, "relationship", FALSE,
    { "Hubungan Keluarga", "Hubungan dengan Kepala Keluarga", "Hub Keluarga", "Hubungan",
      "SHDK", "Status Hubungan Dalam Keluarga", NULL } },
  [PDM_IMPORT_COLUMN_DISABILITY] = {
    "Disabilitas", PDM_TABLE_PERSON, "disability", FALSE,
    { "Disabilitas", "Penyandang Disabilitas", "Jenis Disabilitas", "Difabel", NULL } },
};

/* Spellings of earlier Kepmendagri lists and of Indonesian rather than
 * Minang forms, still found in older extracts. */
static const struct
{
  const char *name;
  const char *code;
} old_spellings[] = {
  { "Pakan Labuh", "13.75.03.1006" },
  { "Parit Rantang", "13.75.03.1007" },
  { "Bukit Apit Puhun", "13.75.01.1007" },
  { "Aur Tajungkang Tengah Sawah", "13.75.01.1004" },
  { "Guguk Panjang", "13.75.01" },
  { "Guguk", "13.75.01" },
};

/* Relationship words of DTSEN and Dukcapil (SHDK) extracts, by their
 * normalized form, to the ones Pendamping stores. */
static const struct
{
  const char *key;
  const char *relationship;
} relationship_aliases[] = {
  { "kepalarumahtangga", "Kepala Keluarga" },
  { "krt", "Kepala Keluarga" },
  { "isteri", "Istri" },
  { "anakkandung", "Anak" },
  { "anaktiri", "Anak" },
  { "anakangkat", "Anak" },
  { "orangtuamertua", "Orang Tua" },
  { "ayah", "Orang Tua" },
  { "ibu", "Orang Tua" },
  { "keluargalain", "Famili Lain" },
  { "pembantu", "Lainnya" },
  { "pembanturumahtangga", "Lainnya" },
  { "pembantusopir", "Lainnya" },
};

G_DEFINE_BOXED_TYPE (PdmImportProblem, pdm_import_problem,
                     pdm_import_problem_copy, pdm_import_problem_free)
G_DEFINE_BOXED_TYPE (PdmImportReport, pdm_import_report,
                     pdm_import_report_copy, pdm_import_report_free)

const char *
pdm_import_column_get_header (PdmImportColumn column)
{
  g_return_val_if_fail (column < PDM_IMPORT_N_COLUMNS, NULL);

  return columns[column].header;
}

PdmImportProblem *
pdm_import_problem_new (PdmImportSeverity  severity,
                        guint              row,
                        const char        *column,
                        const char        *message)
{
  PdmImportProblem *problem;

  g_return_val_if_fail (message != NULL, NULL);

  problem = g_new0 (PdmImportProblem, 1);
  problem->severity = severity;
  problem->row = row;
  problem->column = g_strdup (column);
  problem->message = g_strdup (message);

  return problem;
}

PdmImportProblem *
pdm_import_problem_copy (const PdmImportProblem *problem)
{
  g_return_val_if_fail (problem != NULL, NULL);

  return pdm_import_problem_new (problem->severity, problem->row, problem->column,
                                 problem->message);
}

void
pdm_import_problem_free (PdmImportProblem *problem)
{
  if (problem == NULL)
    return;

  g_free (problem->column);
  g_free (problem->message);
  g_free (problem);
}

/**
 * pdm_import_problem_to_string:
 * @problem: a #PdmImportProblem
 *
 * Returns: (transfer full): the problem as one sentence for the operator,
 *   such as "Row 12, column NIK: …" ("Baris 12, kolom NIK: …" in Indonesian)
 */
char *
pdm_import_problem_to_string (const PdmImportProblem *problem)
{
  g_return_val_if_fail (problem != NULL, NULL);

  if (problem->row > 0 && problem->column != NULL)
    /* Translators: a problem of an imported spreadsheet: the row number, the
     * column's header as the file has it, then the reason */
    return g_strdup_printf (_("Row %u, column %s: %s"),
                            problem->row, problem->column, problem->message);

  if (problem->row > 0)
    /* Translators: a problem of an imported spreadsheet: the row number, then
     * the reason */
    return g_strdup_printf (_("Row %u: %s"), problem->row, problem->message);

  if (problem->column != NULL)
    /* Translators: a problem of a whole column of an imported spreadsheet */
    return g_strdup_printf (_("Column %s: %s"), problem->column, problem->message);

  return g_strdup (problem->message);
}

static PdmImportReport *
report_new (void)
{
  PdmImportReport *report = g_new0 (PdmImportReport, 1);

  report->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) pdm_import_problem_free);

  return report;
}

PdmImportReport *
pdm_import_report_copy (const PdmImportReport *report)
{
  PdmImportReport *copy;

  g_return_val_if_fail (report != NULL, NULL);

  copy = g_new0 (PdmImportReport, 1);
  *copy = *report;
  copy->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) pdm_import_problem_free);
  for (guint i = 0; i < report->problems->len; i++)
    g_ptr_array_add (copy->problems,
                     pdm_import_problem_copy (g_ptr_array_index (report->problems, i)));

  return copy;
}

void
pdm_import_report_free (PdmImportReport *report)
{
  if (report == NULL)
    return;

  g_clear_pointer (&report->problems, g_ptr_array_unref);
  g_free (report);
}

/* The kelurahan and kecamatan of the region table, findable by code (with or
 * without dots) or by name in any case and spacing. */
typedef struct
{
  GHashTable *kelurahan;   /* key → code */
  GHashTable *kecamatan;   /* key → code */
  GHashTable *parents;     /* kelurahan code → kecamatan code */
  GHashTable *names;       /* code → name */
} Regions;

static void
regions_clear (Regions *regions)
{
  g_clear_pointer (&regions->kelurahan, g_hash_table_unref);
  g_clear_pointer (&regions->kecamatan, g_hash_table_unref);
  g_clear_pointer (&regions->parents, g_hash_table_unref);
  g_clear_pointer (&regions->names, g_hash_table_unref);
}

static void
regions_add (GHashTable *table,
             const char *key_text,
             const char *code)
{
  char *key = pdm_csv_normalize_header (key_text);

  if (*key == '\0')
    g_free (key);
  else
    g_hash_table_replace (table, key, g_strdup (code));
}

static gboolean
regions_load (Regions  *regions,
              sqlite3  *db,
              GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  regions->kelurahan = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  regions->kecamatan = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  regions->parents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  regions->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (sqlite3_prepare_v2 (db, "SELECT code, level, name, parent_code FROM region "
                          "WHERE level IN ('kecamatan', 'kelurahan')",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_DATABASE,
                   _("The database failed: %s"), sqlite3_errmsg (db));
      return FALSE;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *code = (const char *) sqlite3_column_text (stmt, 0);
      const char *level = (const char *) sqlite3_column_text (stmt, 1);
      const char *name = (const char *) sqlite3_column_text (stmt, 2);
      const char *parent = (const char *) sqlite3_column_text (stmt, 3);
      GHashTable *table = g_str_equal (level, "kelurahan") ? regions->kelurahan
                                                           : regions->kecamatan;

      regions_add (table, code, code);
      regions_add (table, name, code);
      g_hash_table_replace (regions->names, g_strdup (code), g_strdup (name));
      if (parent != NULL && table == regions->kelurahan)
        g_hash_table_replace (regions->parents, g_strdup (code), g_strdup (parent));
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_DATABASE,
                   _("The database failed: %s"), sqlite3_errmsg (db));
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (old_spellings); i++)
    {
      const char *code = old_spellings[i].code;

      if (g_hash_table_contains (regions->parents, code))
        regions_add (regions->kelurahan, old_spellings[i].name, code);
      else if (g_hash_table_contains (regions->names, code))
        regions_add (regions->kecamatan, old_spellings[i].name, code);
    }

  return TRUE;
}

/* "Kel. Pakan Labuah" and "Kelurahan Pakan Labuah" name Pakan Labuah. */
static const char *
regions_lookup (GHashTable         *table,
                const char         *text,
                const char * const *prefixes)
{
  g_autofree char *key = pdm_csv_normalize_header (text);
  const char *code = g_hash_table_lookup (table, key);

  for (guint i = 0; code == NULL && prefixes[i] != NULL; i++)
    if (g_str_has_prefix (key, prefixes[i]))
      code = g_hash_table_lookup (table, key + strlen (prefixes[i]));

  return code;
}

static const char *
regions_find_kelurahan (Regions    *regions,
                        const char *text)
{
  static const char * const prefixes[] = { "kelurahan", "kel", "desa", NULL };

  return regions_lookup (regions->kelurahan, text, prefixes);
}

static const char *
regions_find_kecamatan (Regions    *regions,
                        const char *text)
{
  static const char * const prefixes[] = { "kecamatan", "kec", NULL };

  return regions_lookup (regions->kecamatan, text, prefixes);
}

typedef struct
{
  guint      number;
  GPtrArray *cells;
} Row;

static void
row_free (Row *row)
{
  g_ptr_array_unref (row->cells);
  g_free (row);
}

/* The rows of one household, in file order. */
typedef struct
{
  GPtrArray *rows;
} Household;

static void
household_free (Household *household)
{
  g_ptr_array_unref (household->rows);
  g_free (household);
}

typedef struct
{
  guint             seq;
  PdmImportProblem *problem;
} ProblemEntry;

typedef struct
{
  PdmRepository         *repository;
  sqlite3               *db;
  gboolean               apply;
  PdmImportProgressFunc  progress;
  gpointer               progress_data;
  GCancellable          *cancellable;
  int                    last_percent;
  guint                  n_done;

  GPtrArray             *header;
  int                    index[PDM_IMPORT_N_COLUMNS];
  Regions                regions;
  GPtrArray             *rows;
  /* NIK → the row that first has it */
  GHashTable            *niks;
  GArray                *problems;
  PdmImportReport       *report;

  sqlite3_stmt          *household_by_dtsen;
  sqlite3_stmt          *household_by_kk;
  sqlite3_stmt          *person_by_nik;
} ImportRun;

static void
import_run_clear (ImportRun *run)
{
  g_clear_pointer (&run->header, g_ptr_array_unref);
  regions_clear (&run->regions);
  g_clear_pointer (&run->rows, g_ptr_array_unref);
  g_clear_pointer (&run->niks, g_hash_table_unref);
  if (run->problems != NULL)
    {
      for (guint i = 0; i < run->problems->len; i++)
        pdm_import_problem_free (g_array_index (run->problems, ProblemEntry, i).problem);
      g_clear_pointer (&run->problems, g_array_unref);
    }
  g_clear_pointer (&run->report, pdm_import_report_free);
  g_clear_pointer (&run->household_by_dtsen, sqlite3_finalize);
  g_clear_pointer (&run->household_by_kk, sqlite3_finalize);
  g_clear_pointer (&run->person_by_nik, sqlite3_finalize);
}

static const char *
column_label (ImportRun       *run,
              PdmImportColumn  column)
{
  if (run->index[column] >= 0)
    return g_ptr_array_index (run->header, run->index[column]);

  return columns[column].header;
}

/* The column that holds @field of @table, or -1. */
static int
column_for_field (PdmTable    table,
                  const char *field)
{
  for (guint i = 0; field != NULL && i < PDM_IMPORT_N_COLUMNS; i++)
    if (columns[i].table == table && g_strcmp0 (columns[i].field, field) == 0)
      return (int) i;

  return -1;
}

static void
add_problem (ImportRun         *run,
             PdmImportSeverity  severity,
             guint              row,
             int                column,
             const char        *message)
{
  ProblemEntry entry;

  entry.seq = run->problems->len;
  entry.problem = pdm_import_problem_new (severity, row,
                                          column >= 0 ? column_label (run, column) : NULL,
                                          message);
  g_array_append_val (run->problems, entry);

  if (severity == PDM_IMPORT_SEVERITY_ERROR)
    run->report->n_errors++;
  else
    run->report->n_warnings++;
}

static void
add_error (ImportRun  *run,
           guint       row,
           int         column,
           GError     *reason)
{
  add_problem (run, PDM_IMPORT_SEVERITY_ERROR, row, column, reason->message);
}

static void
add_warnings (ImportRun *run,
              guint      row,
              GPtrArray *warnings)
{
  for (guint i = 0; i < warnings->len; i++)
    add_problem (run, PDM_IMPORT_SEVERITY_WARNING, row, -1, g_ptr_array_index (warnings, i));
  g_ptr_array_set_size (warnings, 0);
}

static int
compare_problems (gconstpointer a,
                  gconstpointer b)
{
  const ProblemEntry *x = a;
  const ProblemEntry *y = b;

  if (x->problem->row != y->problem->row)
    return x->problem->row < y->problem->row ? -1 : 1;

  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The cell of @column in @row, trimmed, or "" when the file has none. */
static const char *
cell (ImportRun       *run,
      Row             *row,
      PdmImportColumn  column)
{
  int index = run->index[column];

  if (index < 0 || (guint) index >= row->cells->len)
    return "";

  return g_ptr_array_index (row->cells, index);
}

static void
report_progress (ImportRun *run)
{
  int percent;

  run->n_done++;
  if (run->progress == NULL || run->rows->len == 0)
    return;

  percent = (int) (100.0 * run->n_done / run->rows->len);
  if (percent == run->last_percent)
    return;

  run->last_percent = percent;
  run->progress ((double) run->n_done / run->rows->len, run->progress_data);
}

static int
on_sqlite_progress (gpointer user_data)
{
  return g_cancellable_is_cancelled (G_CANCELLABLE (user_data));
}

/* The exporter writes identity numbers as ="1375…" so Excel keeps them as
 * text (see pdm-export.c); such a cell reads back as the digits alone. */
static void
unwrap_text_formula (char *text)
{
  gsize len = strlen (text);

  if (len >= 3 && text[0] == '=' && text[1] == '"' && text[len - 1] == '"')
    {
      memmove (text, text + 2, len - 3);
      text[len - 3] = '\0';
    }
}

static gboolean
read_file (ImportRun  *run,
           GBytes     *data,
           GError    **error)
{
  static const PdmImportColumn id_columns[] = {
    PDM_IMPORT_COLUMN_KK_NUMBER, PDM_IMPORT_COLUMN_DTSEN_ID, PDM_IMPORT_COLUMN_NIK,
  };
  g_autoptr(PdmCsvReader) reader = NULL;
  g_autoptr(GError) local_error = NULL;
  GPtrArray *fields = NULL;
  guint header_row = 1;
  guint number = 0;

  reader = pdm_csv_reader_new (data, error);
  if (reader == NULL)
    return FALSE;

  if (!pdm_csv_reader_read_row (reader, &run->header, &header_row, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, PDM_ERROR, PDM_ERROR_INVALID_DATA, _("The file is empty"));
      return FALSE;
    }

  for (guint i = 0; i < run->header->len; i++)
    g_strstrip (g_ptr_array_index (run->header, i));

  for (guint c = 0; c < PDM_IMPORT_N_COLUMNS; c++)
    {
      run->index[c] = pdm_csv_find_column (run->header, columns[c].aliases);
      if (run->index[c] < 0 && columns[c].required)
        {
          g_autofree char *message = NULL;

          /* Translators: %s is a column header such as “No KK” */
          message = g_strdup_printf (_("the header has no column “%s”; add it or rename the "
                                       "column that holds it"),
                                     columns[c].header);
          add_problem (run, PDM_IMPORT_SEVERITY_ERROR, header_row, -1, message);
        }
    }

  while (pdm_csv_reader_read_row (reader, &fields, &number, &local_error))
    {
      gboolean blank = TRUE;
      Row *row;

      for (guint i = 0; i < fields->len; i++)
        blank &= *g_strstrip (g_ptr_array_index (fields, i)) == '\0';
      if (blank)
        {
          g_ptr_array_unref (fields);
          continue;
        }

      for (guint i = 0; i < G_N_ELEMENTS (id_columns); i++)
        {
          int index = run->index[id_columns[i]];

          if (index >= 0 && (guint) index < fields->len)
            unwrap_text_formula (g_ptr_array_index (fields, index));
        }

      row = g_new0 (Row, 1);
      row->number = number;
      row->cells = fields;
      g_ptr_array_add (run->rows, row);
    }

  /* A broken quote ends the reading; the rows before it are still checked. */
  if (local_error != NULL)
    add_problem (run, PDM_IMPORT_SEVERITY_ERROR, 0, -1, local_error->message);
  else if (run->rows->len == 0)
    add_problem (run, PDM_IMPORT_SEVERITY_ERROR, 0, -1, _("The file has no data rows"));

  return TRUE;
}

static gboolean
is_household_column (PdmImportColumn column)
{
  return columns[column].table == PDM_TABLE_HOUSEHOLD;
}

/* Reads a NIK or KK cell into its 16 digits; NULL when the cell is empty. */
static gboolean
read_id_number (ImportRun        *run,
                Row              *row,
                PdmImportColumn   column,
                char            **out_value)
{
  const char *text = cell (run, row, column);
  g_autoptr(GError) reason = NULL;

  *out_value = NULL;
  if (*text == '\0')
    return TRUE;

  if (!pdm_parse_id_number (text, 16, out_value, &reason))
    {
      add_error (run, row->number, column, reason);
      *out_value = g_strdup (text);
      return FALSE;
    }

  return TRUE;
}

static gboolean
read_kelurahan (ImportRun  *run,
                Row        *row,
                char      **out_code)
{
  const char *text = cell (run, row, PDM_IMPORT_COLUMN_KELURAHAN);
  const char *kecamatan_text = cell (run, row, PDM_IMPORT_COLUMN_KECAMATAN);
  const char *code;
  const char *kecamatan = NULL;
  g_autofree char *message = NULL;

  *out_code = NULL;

  if (*kecamatan_text != '\0')
    {
      kecamatan = regions_find_kecamatan (&run->regions, kecamatan_text);
      if (kecamatan == NULL)
        {
          message = g_strdup_printf (_("“%s” is not a kecamatan of Kota Bukittinggi"),
                                     kecamatan_text);
          add_problem (run, PDM_IMPORT_SEVERITY_ERROR, row->number,
                       PDM_IMPORT_COLUMN_KECAMATAN, message);
          return FALSE;
        }
    }

  if (*text == '\0')
    return TRUE;

  code = regions_find_kelurahan (&run->regions, text);
  if (code == NULL)
    {
      if (regions_find_kecamatan (&run->regions, text) != NULL)
        message = g_strdup_printf (_("“%s” is a kecamatan; write the kelurahan, by its name or "
                                     "its code such as 13.75.01.1001"),
                                   text);
      else if (strspn (text, "0123456789. ") == strlen (text))
        message = g_strdup_printf (_("there is no kelurahan with the code %s in Kota "
                                     "Bukittinggi"),
                                   text);
      else
        message = g_strdup_printf (_("“%s” is not a kelurahan of Kota Bukittinggi; write its "
                                     "name as the region list has it or its code, such as "
                                     "13.75.02.1002"),
                                   text);
      add_problem (run, PDM_IMPORT_SEVERITY_ERROR, row->number, PDM_IMPORT_COLUMN_KELURAHAN,
                   message);
      *out_code = g_strdup (text);
      return FALSE;
    }

  if (kecamatan != NULL && g_strcmp0 (g_hash_table_lookup (run->regions.parents, code),
                                      kecamatan) != 0)
    {
      const char *parent = g_hash_table_lookup (run->regions.parents, code);

      message = g_strdup_printf (/* Translators: a kelurahan, then two kecamatan */
                                 _("%s is in kecamatan %s, not in %s"),
                                 (const char *) g_hash_table_lookup (run->regions.names, code),
                                 (const char *) g_hash_table_lookup (run->regions.names, parent),
                                 (const char *) g_hash_table_lookup (run->regions.names,
                                                                     kecamatan));
      add_problem (run, PDM_IMPORT_SEVERITY_ERROR, row->number, PDM_IMPORT_COLUMN_KELURAHAN,
                   message);
      *out_code = g_strdup (code);
      return FALSE;
    }

  *out_code = g_strdup (code);
  return TRUE;
}

/* The household cells of @row, canonical where they could be read (the
 * KK's digits, the kelurahan's code, the desil as a number); NULL where
 * empty. Problems are reported; FALSE if there was one. */
static gboolean
read_household_cells (ImportRun *run,
                      Row       *row,
                      char      *values[PDM_IMPORT_N_COLUMNS])
{
  gboolean ok = TRUE;

  ok &= read_id_number (run, row, PDM_IMPORT_COLUMN_KK_NUMBER,
                        &values[PDM_IMPORT_COLUMN_KK_NUMBER]);
  ok &= read_kelurahan (run, row, &values[PDM_IMPORT_COLUMN_KELURAHAN]);

  for (guint c = 0; c < PDM_IMPORT_N_COLUMNS; c++)
    {
      const char *text = cell (run, row, c);

      if (!is_household_column (c) || values[c] != NULL || *text == '\0' ||
          c == PDM_IMPORT_COLUMN_KK_NUMBER || c == PDM_IMPORT_COLUMN_KELURAHAN)
        continue;

      if (c == PDM_IMPORT_COLUMN_DESIL)
        {
          g_autoptr(GError) reason = NULL;
          int desil;

          if (pdm_parse_int_in_range (text, 1, 10, &desil, &reason))
            {
              values[c] = g_strdup_printf ("%d", desil);
              continue;
            }
          add_error (run, row->number, c, reason);
          ok = FALSE;
        }
      else if (c == PDM_IMPORT_COLUMN_DTSEN_ID && pdm_parse_is_excel_scientific (text))
        {
          g_autofree char *message = NULL;

          message = g_strdup_printf (_("Excel turned this number into %s and its last digits "
                                       "are lost; format the column as Text and export again"),
                                     text);
          add_problem (run, PDM_IMPORT_SEVERITY_ERROR, row->number, c, message);
          ok = FALSE;
        }

      values[c] = g_strdup (text);
    }

  return ok;
}

/* What two cells of one household column must agree on: "PKH, BPNT" is
 * "BPNT;PKH", RT "3" is "003", and case, spaces and dots never count. */
static char *
compare_key (PdmImportColumn  column,
             const char      *value)
{
  if (column == PDM_IMPORT_COLUMN_PROGRAMS)
    {
      g_auto(GStrv) parts = g_strsplit_set (value, ",;", -1);
      g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);

      for (guint i = 0; parts[i] != NULL; i++)
        g_ptr_array_add (keys, pdm_csv_normalize_header (parts[i]));
      g_ptr_array_sort (keys, (GCompareFunc) pdm_compare_strings_indirect);
      g_ptr_array_add (keys, NULL);

      return g_strjoinv (",", (char **) keys->pdata);
    }

  if (column == PDM_IMPORT_COLUMN_RT || column == PDM_IMPORT_COLUMN_RW ||
      column == PDM_IMPORT_COLUMN_DESIL)
    {
      while (*value == '0' && value[1] != '\0')
        value++;
    }

  return pdm_csv_normalize_header (value);
}

/* FALSE on an SQLite failure; *@out_id is NULL when nothing matches. */
static gboolean
lookup_id (ImportRun     *run,
           sqlite3_stmt  *stmt,
           const char    *first,
           const char    *second,
           char         **out_id,
           GError       **error)
{
  int rc;

  *out_id = NULL;
  sqlite3_reset (stmt);
  sqlite3_bind_text (stmt, 1, first, -1, SQLITE_TRANSIENT);
  if (sqlite3_bind_parameter_count (stmt) > 1)
    sqlite3_bind_text (stmt, 2, second, -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_DATABASE,
                   _("The database failed: %s"), sqlite3_errmsg (run->db));
      return FALSE;
    }

  return TRUE;
}

typedef enum
{
  SAVED_CREATED,
  SAVED_UPDATED,
  SAVED_UNCHANGED,
} Saved;

/* Inserts a new record or writes the changed fields of a known one. */
static gboolean
save_record (ImportRun  *run,
             PdmRecord  *record,
             gboolean    exists,
             Saved      *out_saved,
             GError    **error)
{
  guint n_changed = 0;

  if (!exists)
    {
      *out_saved = SAVED_CREATED;
      return pdm_repository_insert (run->repository, record, error);
    }

  if (!pdm_repository_update (run->repository, record, &n_changed, error))
    return FALSE;
  *out_saved = n_changed > 0 ? SAVED_UPDATED : SAVED_UNCHANGED;

  return TRUE;
}

static void
count_saved (Saved  saved,
             guint *created,
             guint *updated,
             guint *unchanged)
{
  switch (saved)
    {
    case SAVED_CREATED:
      (*created)++;
      break;
    case SAVED_UPDATED:
      (*updated)++;
      break;
    case SAVED_UNCHANGED:
    default:
      (*unchanged)++;
      break;
    }
}

static gboolean
check_record (ImportRun *run,
              PdmRecord *record,
              guint      row,
              GPtrArray *warnings)
{
  g_autoptr(GError) reason = NULL;
  const char *field = NULL;
  gboolean ok;

  ok = pdm_rules_check (run->repository, record, warnings, &field, &reason);
  if (!ok)
    add_error (run, row, column_for_field (record->info->table, field), reason);
  add_warnings (run, row, warnings);

  return ok;
}

static char *
map_relationship (const char *text,
                  PdmSex      sex)
{
  const char * const *allowed = pdm_rules_get_relationships ();
  g_autofree char *key = pdm_csv_normalize_header (text);

  if (g_str_equal (key, "istrisuami") || g_str_equal (key, "suamiistri"))
    {
      if (sex != PDM_SEX_UNKNOWN)
        return g_strdup (sex == PDM_SEX_FEMALE ? "Istri" : "Suami");
      return g_strdup (text);
    }

  for (guint i = 0; allowed[i] != NULL; i++)
    {
      g_autofree char *allowed_key = pdm_csv_normalize_header (allowed[i]);

      if (g_str_equal (key, allowed_key))
        return g_strdup (allowed[i]);
    }

  for (guint i = 0; i < G_N_ELEMENTS (relationship_aliases); i++)
    if (g_str_equal (key, relationship_aliases[i].key))
      return g_strdup (relationship_aliases[i].relationship);

  return g_strdup (text);
}

static gboolean
is_head_row (ImportRun *run,
             Row       *row)
{
  const char *text = cell (run, row, PDM_IMPORT_COLUMN_RELATIONSHIP);
  g_autofree char *relationship = map_relationship (text, PDM_SEX_UNKNOWN);

  return g_str_equal (relationship, "Kepala Keluarga");
}

static gboolean
process_person (ImportRun   *run,
                Row         *row,
                const char  *household_id,
                gboolean     household_exists,
                GPtrArray   *warnings,
                GError     **error)
{
  g_autoptr(PdmRecord) record = NULL;
  g_autoptr(GError) reason = NULL;
  g_autofree char *nik = NULL;
  g_autofree char *person_id = NULL;
  g_autofree char *relationship = NULL;
  const char *birth_date = cell (run, row, PDM_IMPORT_COLUMN_BIRTH_DATE);
  gboolean has_person = FALSE;
  gboolean ok = TRUE;
  gpointer first_row;
  Saved saved;
  PdmSex sex;

  for (guint c = 0; c < PDM_IMPORT_N_COLUMNS; c++)
    has_person |= !is_household_column (c) && *cell (run, row, c) != '\0';
  /* A row of household columns alone is a household without members yet. */
  if (!has_person)
    return TRUE;

  if (!read_id_number (run, row, PDM_IMPORT_COLUMN_NIK, &nik))
    return TRUE;
  if (nik == NULL)
    {
      add_problem (run, PDM_IMPORT_SEVERITY_ERROR, row->number, PDM_IMPORT_COLUMN_NIK,
                   _("the NIK is empty; every member needs one to be found again in the "
                     "next import"));
      return TRUE;
    }

  if (g_hash_table_lookup_extended (run->niks, nik, NULL, &first_row))
    {
      g_autofree char *message = g_strdup_printf (_("NIK %s is already on row %u"),
                                                  nik, GPOINTER_TO_UINT (first_row));

      add_problem (run, PDM_IMPORT_SEVERITY_ERROR, row->number, PDM_IMPORT_COLUMN_NIK, message);
      return TRUE;
    }
  g_hash_table_insert (run->niks, g_strdup (nik), GUINT_TO_POINTER (row->number));

  if (household_exists &&
      !lookup_id (run, run->person_by_nik, household_id, nik, &person_id, error))
    return FALSE;

  if (person_id != NULL)
    {
      record = pdm_repository_get (run->repository, PDM_TABLE_PERSON, person_id, error);
      if (record == NULL)
        return FALSE;
    }
  else
    {
      record = pdm_record_new (PDM_TABLE_PERSON);
      pdm_record_set (record, "household_id", household_id);
    }

  pdm_record_set (record, "nik", nik);
  for (guint c = PDM_IMPORT_COLUMN_FULL_NAME; c < PDM_IMPORT_N_COLUMNS; c++)
    if (c != PDM_IMPORT_COLUMN_BIRTH_DATE && c != PDM_IMPORT_COLUMN_RELATIONSHIP &&
        *cell (run, row, c) != '\0')
      pdm_record_set (record, columns[c].field, cell (run, row, c));

  if (*birth_date != '\0')
    {
      GDate date;
      char iso[11];

      if (pdm_parse_date (birth_date, &date, &reason))
        {
          g_date_strftime (iso, sizeof iso, "%Y-%m-%d", &date);
          pdm_record_set (record, "birth_date", iso);
        }
      else
        {
          add_error (run, row->number, PDM_IMPORT_COLUMN_BIRTH_DATE, reason);
          ok = FALSE;
        }
    }

  /* "Istri/Suami" of DTSEN is one or the other by the member's sex. */
  sex = pdm_sex_from_string (cell (run, row, PDM_IMPORT_COLUMN_SEX));
  if (sex == PDM_SEX_UNKNOWN)
    sex = g_ascii_digit_value (nik[6]) >= 4 ? PDM_SEX_FEMALE : PDM_SEX_MALE;
  if (*cell (run, row, PDM_IMPORT_COLUMN_RELATIONSHIP) != '\0')
    {
      relationship = map_relationship (cell (run, row, PDM_IMPORT_COLUMN_RELATIONSHIP), sex);
      pdm_record_set (record, "relationship", relationship);
    }

  if (pdm_record_get (record, "full_name") == NULL)
    {
      add_problem (run, PDM_IMPORT_SEVERITY_ERROR, row->number, PDM_IMPORT_COLUMN_FULL_NAME,
                   _("the member’s name is empty"));
      return TRUE;
    }

  ok &= check_record (run, record, row->number, warnings);
  if (!ok)
    return TRUE;

  if (!save_record (run, record, person_id != NULL, &saved, error))
    return FALSE;
  count_saved (saved, &run->report->persons_created, &run->report->persons_updated,
               &run->report->persons_unchanged);

  return TRUE;
}

/* The household's value of each of its columns is the first non-empty
 * cell; a row that says otherwise is an error, since either may be right. */
static gboolean
merge_household_cells (ImportRun *run,
                       Household *household,
                       char      *merged[PDM_IMPORT_N_COLUMNS],
                       guint      merged_row[PDM_IMPORT_N_COLUMNS])
{
  gboolean ok = TRUE;

  for (guint r = 0; r < household->rows->len; r++)
    {
      Row *row = g_ptr_array_index (household->rows, r);
      char *values[PDM_IMPORT_N_COLUMNS] = { NULL, };

      ok &= read_household_cells (run, row, values);

      for (guint c = 0; c < PDM_IMPORT_N_COLUMNS; c++)
        {
          g_autofree char *key = NULL;
          g_autofree char *merged_key = NULL;

          if (values[c] == NULL)
            continue;

          if (merged[c] == NULL)
            {
              merged[c] = g_steal_pointer (&values[c]);
              merged_row[c] = row->number;
              continue;
            }

          key = compare_key (c, values[c]);
          merged_key = compare_key (c, merged[c]);
          if (!g_str_equal (key, merged_key))
            {
              g_autofree char *message = NULL;

              message = g_strdup_printf (/* Translators: two cell values, then a row number */
                                         _("“%s” differs from “%s” on row %u of the same "
                                           "household; a household’s columns must be the same "
                                           "on all its rows"),
                                         cell (run, row, c), merged[c], merged_row[c]);
              add_problem (run, PDM_IMPORT_SEVERITY_ERROR, row->number, c, message);
              ok = FALSE;
            }
          g_free (values[c]);
        }
    }

  /* Without a head's name column, the head is the member who is one. */
  if (merged[PDM_IMPORT_COLUMN_HEAD_NAME] == NULL)
    {
      for (guint r = 0; r < household->rows->len; r++)
        {
          Row *row = g_ptr_array_index (household->rows, r);

          if (is_head_row (run, row) && *cell (run, row, PDM_IMPORT_COLUMN_FULL_NAME) != '\0')
            {
              merged[PDM_IMPORT_COLUMN_HEAD_NAME] = g_strdup (cell (run, row,
                                                                    PDM_IMPORT_COLUMN_FULL_NAME));
              merged_row[PDM_IMPORT_COLUMN_HEAD_NAME] = row->number;
              break;
            }
        }
    }

  return ok;
}

static gboolean
process_household (ImportRun  *run,
                   Household  *household,
                   GError    **error)
{
  Row *first = g_ptr_array_index (household->rows, 0);
  char *merged[PDM_IMPORT_N_COLUMNS] = { NULL, };
  guint merged_row[PDM_IMPORT_N_COLUMNS] = { 0, };
  g_autoptr(PdmRecord) record = NULL;
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *household_id = NULL;
  const char *dtsen_id;
  const char *kk;
  gboolean ok;
  gboolean result = FALSE;
  Saved saved;

  ok = merge_household_cells (run, household, merged, merged_row);
  dtsen_id = merged[PDM_IMPORT_COLUMN_DTSEN_ID];
  kk = merged[PDM_IMPORT_COLUMN_KK_NUMBER];

  if (dtsen_id != NULL &&
      !lookup_id (run, run->household_by_dtsen, dtsen_id, NULL, &household_id, error))
    goto out;
  if (household_id == NULL && kk != NULL &&
      !lookup_id (run, run->household_by_kk, kk, dtsen_id, &household_id, error))
    goto out;

  if (household_id != NULL)
    {
      record = pdm_repository_get (run->repository, PDM_TABLE_HOUSEHOLD, household_id, error);
      if (record == NULL)
        goto out;
    }
  else
    {
      record = pdm_record_new (PDM_TABLE_HOUSEHOLD);
    }

  for (guint c = 0; c < PDM_IMPORT_N_COLUMNS; c++)
    if (merged[c] != NULL && columns[c].field != NULL && is_household_column (c))
      pdm_record_set (record, columns[c].field, merged[c]);

  if (ok && pdm_record_get (record, "head_name") == NULL)
    {
      add_problem (run, PDM_IMPORT_SEVERITY_ERROR, first->number, PDM_IMPORT_COLUMN_HEAD_NAME,
                   _("the name of the head of household is empty; fill it in or give one "
                     "member the relationship Kepala Keluarga"));
      ok = FALSE;
    }

  if (ok)
    {
      g_autoptr(GError) reason = NULL;
      const char *field = NULL;
      int column;

      ok = pdm_rules_check (run->repository, record, warnings, &field, &reason);
      column = column_for_field (PDM_TABLE_HOUSEHOLD, field);
      if (!ok)
        add_error (run, column >= 0 && merged_row[column] > 0 ? merged_row[column] : first->number,
                   column, reason);
      add_warnings (run, first->number, warnings);
    }

  /* A household with an error is still written, unchecked, so that its
   * members are checked too: the transaction never commits anyway. */
  if (ok || household_id == NULL)
    {
      if (!save_record (run, record, household_id != NULL, &saved, error))
        goto out;
      if (ok)
        count_saved (saved, &run->report->households_created, &run->report->households_updated,
                     &run->report->households_unchanged);
    }

  for (guint r = 0; r < household->rows->len; r++)
    {
      if (g_cancellable_is_cancelled (run->cancellable))
        break;

      if (!process_person (run, g_ptr_array_index (household->rows, r), record->id,
                           household_id != NULL, warnings, error))
        goto out;
      report_progress (run);
    }

  result = TRUE;

out:
  for (guint c = 0; c < PDM_IMPORT_N_COLUMNS; c++)
    g_free (merged[c]);

  return result;
}

/* Rows of one household share a DTSEN id or, without one, a KK number. */
static char *
household_key (ImportRun *run,
               Row       *row)
{
  const char *dtsen_id = cell (run, row, PDM_IMPORT_COLUMN_DTSEN_ID);
  const char *kk = cell (run, row, PDM_IMPORT_COLUMN_KK_NUMBER);
  g_autofree char *digits = NULL;

  if (*dtsen_id != '\0')
    return g_strconcat ("D", dtsen_id, NULL);
  if (*kk == '\0')
    return NULL;
  if (pdm_parse_id_number (kk, 16, &digits, NULL))
    return g_strconcat ("K", digits, NULL);

  return g_strconcat ("K", kk, NULL);
}

static GPtrArray *
group_households (ImportRun *run)
{
  g_autoptr(GHashTable) by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *households = g_ptr_array_new_with_free_func ((GDestroyNotify) household_free);

  for (guint i = 0; i < run->rows->len; i++)
    {
      Row *row = g_ptr_array_index (run->rows, i);
      char *key = household_key (run, row);
      Household *household;

      if (key == NULL)
        {
          add_problem (run, PDM_IMPORT_SEVERITY_ERROR, row->number, PDM_IMPORT_COLUMN_KK_NUMBER,
                       _("the KK number is empty, so the row belongs to no household"));
          report_progress (run);
          continue;
        }

      household = g_hash_table_lookup (by_key, key);
      if (household == NULL)
        {
          household = g_new0 (Household, 1);
          household->rows = g_ptr_array_new ();
          g_ptr_array_add (households, household);
          g_hash_table_insert (by_key, key, household);
        }
      else
        {
          g_free (key);
        }
      g_ptr_array_add (household->rows, row);
    }

  return households;
}

static gboolean
prepare_statements (ImportRun  *run,
                    GError    **error)
{
  if (sqlite3_prepare_v2 (run->db,
                          "SELECT id FROM household WHERE dtsen_id = ?1 AND deleted = 0 "
                          "ORDER BY id LIMIT 1",
                          -1, &run->household_by_dtsen, NULL) != SQLITE_OK ||
      /* A household that has a DTSEN id of its own is another household. */
      sqlite3_prepare_v2 (run->db,
                          "SELECT id FROM household WHERE kk_number = ?1 AND deleted = 0 "
                          "AND (?2 IS NULL OR dtsen_id IS NULL) ORDER BY id LIMIT 1",
                          -1, &run->household_by_kk, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (run->db,
                          "SELECT id FROM person WHERE household_id = ?1 AND nik = ?2 "
                          "AND deleted = 0 ORDER BY id LIMIT 1",
                          -1, &run->person_by_nik, NULL) != SQLITE_OK)
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_DATABASE,
                   _("The database failed: %s"), sqlite3_errmsg (run->db));
      return FALSE;
    }

  return TRUE;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ImportRun, import_run_clear)

/* Sets PRAGMA cache_size (pages, or KiB when negative) and returns the
 * value it had. */
static gint64
set_cache_size (sqlite3 *db,
                gint64   value)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA cache_size = %" G_GINT64_FORMAT, value);
  sqlite3_stmt *stmt = NULL;
  gint64 previous = value;

  if (sqlite3_prepare_v2 (db, "PRAGMA cache_size", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    previous = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  /* PRAGMA takes no parameters; @value is an integer of our own. */
  sqlite3_exec (db, sql, NULL, NULL, NULL);

  return previous;
}

static PdmImportReport *
run_import (PdmRepository          *repository,
            GBytes                 *data,
            gboolean                apply,
            PdmImportProgressFunc   progress,
            gpointer                progress_data,
            GCancellable           *cancellable,
            GError                **error)
{
  g_auto(ImportRun) run = { 0, };
  g_autoptr(GPtrArray) households = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean ok = TRUE;
  gint64 cache_size;

  run.repository = repository;
  run.db = pdm_database_get_handle (pdm_repository_get_database (repository));
  run.apply = apply;
  run.progress = progress;
  run.progress_data = progress_data;
  run.cancellable = cancellable;
  run.last_percent = -1;
  run.rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  run.niks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run.problems = g_array_new (FALSE, FALSE, sizeof (ProblemEntry));
  run.report = report_new ();

  if (!regions_load (&run.regions, run.db, error) ||
      !read_file (&run, data, error) ||
      !prepare_statements (&run, error))
    return NULL;

  run.report->n_rows = run.rows->len;
  households = group_households (&run);

  if (cancellable != NULL)
    sqlite3_progress_handler (run.db, CANCEL_CHECK_STEPS, on_sqlite_progress, cancellable);
  cache_size = set_cache_size (run.db, -IMPORT_CACHE_KIB);

  if (!pdm_repository_begin (repository, &local_error))
    ok = FALSE;

  for (guint i = 0; ok && i < households->len; i++)
    {
      if (g_cancellable_is_cancelled (cancellable))
        break;
      ok = process_household (&run, g_ptr_array_index (households, i), &local_error);
    }

  if (ok && apply && run.report->n_errors == 0 && !g_cancellable_is_cancelled (cancellable))
    ok = pdm_repository_commit (repository, &local_error);
  else
    pdm_repository_rollback (repository);

  if (cancellable != NULL)
    sqlite3_progress_handler (run.db, 0, NULL, NULL);
  set_cache_size (run.db, cache_size);

  /* An interrupted statement fails too; the cancellation is what happened. */
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_set_error_literal (error, PDM_ERROR, PDM_ERROR_CANCELLED,
                           _("The import was cancelled; nothing was written"));
      return NULL;
    }
  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (progress != NULL && run.last_percent < 100)
    progress (1.0, progress_data);

  g_array_sort (run.problems, compare_problems);
  for (guint i = 0; i < run.problems->len; i++)
    g_ptr_array_add (run.report->problems,
                     g_steal_pointer (&g_array_index (run.problems, ProblemEntry, i).problem));

  return g_steal_pointer (&run.report);
}

/**
 * pdm_import_check:
 * @repository: the repository to compare the file with
 * @data: the bytes of a CSV file
 * @progress: (nullable) (scope call): called as the rows are checked
 * @progress_data: data for @progress
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Checks every row of @data as the apply would write it, and writes
 * nothing. Problems in the rows are in the report; @error is set only when
 * the file cannot be read at all, the database fails, or on cancellation.
 *
 * Returns: (transfer full): what an apply would do, and every problem
 */
PdmImportReport *
pdm_import_check (PdmRepository          *repository,
                  GBytes                 *data,
                  PdmImportProgressFunc   progress,
                  gpointer                progress_data,
                  GCancellable           *cancellable,
                  GError                **error)
{
  g_return_val_if_fail (PDM_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return run_import (repository, data, FALSE, progress, progress_data, cancellable, error);
}

/* Turns a report with errors into the refusal of the apply. */
static gboolean
finish_apply (PdmImportReport   *report,
              PdmImportReport  **out_report,
              GError           **error)
{
  gboolean ok = report->n_errors == 0;

  if (!ok)
    {
      g_autofree char *first = NULL;

      for (guint i = 0; first == NULL && i < report->problems->len; i++)
        {
          PdmImportProblem *problem = g_ptr_array_index (report->problems, i);

          if (problem->severity == PDM_IMPORT_SEVERITY_ERROR)
            first = pdm_import_problem_to_string (problem);
        }

      g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_DATA,
                   /* Translators: %u counts the problems, %s is the first of them */
                   ngettext ("Nothing was imported: the file has %u error to fix. %s",
                             "Nothing was imported: the file has %u errors to fix. The first: %s",
                             report->n_errors),
                   report->n_errors, first != NULL ? first : "");
    }

  if (out_report != NULL)
    *out_report = report;
  else
    pdm_import_report_free (report);

  return ok;
}

/**
 * pdm_import_apply:
 * @repository: where the households and members go
 * @data: the bytes of a CSV file
 * @out_report: (out) (optional) (transfer full): what was done, or, when
 *   the file has errors, what the check found
 * @progress: (nullable) (scope call): called as the rows are written
 * @progress_data: data for @progress
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Checks and writes every row in one transaction: all of the file or, when
 * any row has an error, nothing.
 *
 * Returns: %TRUE if the file was imported
 */
gboolean
pdm_import_apply (PdmRepository          *repository,
                  GBytes                 *data,
                  PdmImportReport       **out_report,
                  PdmImportProgressFunc   progress,
                  gpointer                progress_data,
                  GCancellable           *cancellable,
                  GError                **error)
{
  PdmImportReport *report;

  g_return_val_if_fail (PDM_IS_REPOSITORY (repository), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (out_report != NULL)
    *out_report = NULL;

  report = run_import (repository, data, TRUE, progress, progress_data, cancellable, error);
  if (report == NULL)
    return FALSE;

  return finish_apply (report, out_report, error);
}

typedef struct
{
  char                  *path;
  GBytes                *data;
  gboolean               apply;
  PdmImportProgressFunc  progress;
  gpointer               progress_data;
  GDestroyNotify         progress_data_destroy;
} TaskData;

static void
task_data_free (TaskData *data)
{
  if (data->progress_data_destroy != NULL)
    data->progress_data_destroy (data->progress_data);
  g_free (data->path);
  g_bytes_unref (data->data);
  g_free (data);
}

typedef struct
{
  PdmImportReport *report;
  /* The worker's clock after its writes, for the caller's repository. */
  guint64          last_hlc;
} TaskResult;

static void
task_result_free (TaskResult *result)
{
  g_clear_pointer (&result->report, pdm_import_report_free);
  g_free (result);
}

typedef struct
{
  GTask  *task;
  double  fraction;
} ProgressUpdate;

static void
progress_update_free (ProgressUpdate *update)
{
  g_object_unref (update->task);
  g_free (update);
}

static gboolean
deliver_progress (gpointer user_data)
{
  ProgressUpdate *update = user_data;
  TaskData *data = g_task_get_task_data (update->task);

  if (!g_task_get_completed (update->task) &&
      !g_cancellable_is_cancelled (g_task_get_cancellable (update->task)))
    data->progress (update->fraction, data->progress_data);

  return G_SOURCE_REMOVE;
}

/* Runs in the worker: hands the fraction to the caller's main context. */
static void
queue_progress (double   fraction,
                gpointer user_data)
{
  GTask *task = user_data;
  ProgressUpdate *update = g_new0 (ProgressUpdate, 1);

  update->task = g_object_ref (task);
  update->fraction = fraction;
  pdm_main_context_post (g_task_get_context (task), deliver_progress, update,
                         (GDestroyNotify) progress_update_free);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  TaskData *data = task_data;
  g_autoptr(PdmDatabase) database = NULL;
  g_autoptr(PdmRepository) repository = NULL;
  g_autoptr(GError) error = NULL;
  TaskResult *result;
  PdmImportReport *report;

  /* Its own connection: SQLite handles are not shared between threads, and
   * in WAL mode the UI keeps reading while the import writes. */
  database = pdm_database_open (data->path, &error);
  if (database != NULL)
    repository = pdm_repository_new (database, &error);
  if (repository == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  report = run_import (repository, data->data, data->apply,
                       data->progress != NULL ? queue_progress : NULL, task,
                       cancellable, &error);
  if (report == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  result = g_new0 (TaskResult, 1);
  result->report = report;
  result->last_hlc = pdm_hlc_get_last (pdm_repository_get_hlc (repository));
  g_task_return_pointer (task, result, (GDestroyNotify) task_result_free);
}

static void
start_task (PdmRepository          *repository,
            GBytes                 *data,
            gboolean                apply,
            gpointer                source_tag,
            PdmImportProgressFunc   progress,
            gpointer                progress_data,
            GDestroyNotify          progress_data_destroy,
            GCancellable           *cancellable,
            GAsyncReadyCallback     callback,
            gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  TaskData *task_data;

  task_data = g_new0 (TaskData, 1);
  task_data->path = g_strdup (pdm_database_get_path (pdm_repository_get_database (repository)));
  task_data->data = g_bytes_ref (data);
  task_data->apply = apply;
  task_data->progress = progress;
  task_data->progress_data = progress_data;
  task_data->progress_data_destroy = progress_data_destroy;

  task = g_task_new (repository, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  /* The worker says itself that nothing was written. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, task_data, (GDestroyNotify) task_data_free);
  g_task_run_in_thread (task, import_thread);
}

static TaskResult *
propagate_result (PdmRepository  *repository,
                  GAsyncResult   *result,
                  gpointer        source_tag,
                  GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, repository), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * pdm_import_check_async:
 * @repository: the repository whose file the worker opens on its own
 * @data: the bytes of a CSV file
 * @progress: (nullable): called on the caller's main context
 * @progress_data: data for @progress
 * @progress_data_destroy: (nullable): frees @progress_data when the task ends
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the check is done
 * @user_data: data for @callback
 *
 * pdm_import_check() in a worker thread.
 */
void
pdm_import_check_async (PdmRepository          *repository,
                        GBytes                 *data,
                        PdmImportProgressFunc   progress,
                        gpointer                progress_data,
                        GDestroyNotify          progress_data_destroy,
                        GCancellable           *cancellable,
                        GAsyncReadyCallback     callback,
                        gpointer                user_data)
{
  g_return_if_fail (PDM_IS_REPOSITORY (repository));
  g_return_if_fail (data != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  start_task (repository, data, FALSE, pdm_import_check_async, progress, progress_data,
              progress_data_destroy, cancellable, callback, user_data);
}

PdmImportReport *
pdm_import_check_finish (PdmRepository  *repository,
                         GAsyncResult   *result,
                         GError        **error)
{
  TaskResult *task_result;
  PdmImportReport *report;

  task_result = propagate_result (repository, result, pdm_import_check_async, error);
  if (task_result == NULL)
    return NULL;

  report = g_steal_pointer (&task_result->report);
  task_result_free (task_result);

  return report;
}

/**
 * pdm_import_apply_async:
 * @repository: the repository whose file the worker opens on its own
 * @data: the bytes of a CSV file
 * @progress: (nullable): called on the caller's main context
 * @progress_data: data for @progress
 * @progress_data_destroy: (nullable): frees @progress_data when the task ends
 * @cancellable: (nullable): a #GCancellable; a cancelled import writes nothing
 * @callback: called when the import is done
 * @user_data: data for @callback
 *
 * pdm_import_apply() in a worker thread.
 */
void
pdm_import_apply_async (PdmRepository          *repository,
                        GBytes                 *data,
                        PdmImportProgressFunc   progress,
                        gpointer                progress_data,
                        GDestroyNotify          progress_data_destroy,
                        GCancellable           *cancellable,
                        GAsyncReadyCallback     callback,
                        gpointer                user_data)
{
  g_return_if_fail (PDM_IS_REPOSITORY (repository));
  g_return_if_fail (data != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  start_task (repository, data, TRUE, pdm_import_apply_async, progress, progress_data,
              progress_data_destroy, cancellable, callback, user_data);
}

gboolean
pdm_import_apply_finish (PdmRepository     *repository,
                         GAsyncResult      *result,
                         PdmImportReport  **out_report,
                         GError           **error)
{
  TaskResult *task_result;
  PdmImportReport *report;

  if (out_report != NULL)
    *out_report = NULL;

  task_result = propagate_result (repository, result, pdm_import_apply_async, error);
  if (task_result == NULL)
    return FALSE;

  /* The worker stamped its writes with its own copy of this device's
   * clock; this repository's next write must come after them. */
  pdm_hlc_observe (pdm_repository_get_hlc (repository), task_result->last_hlc);

  report = g_steal_pointer (&task_result->report);
  task_result_free (task_result);

  return finish_apply (report, out_report, error);
}
