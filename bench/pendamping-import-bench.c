/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pendamping-import-bench"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "pdm-bench-util.h"
#include "pdm-csv.h"
#include "pdm-database.h"
#include "pdm-import.h"
#include "pdm-repository.h"
#include "pdm-uuid.h"

/* Imports a city-sized DTSEN spreadsheet (check, then apply) into a fresh
 * database and prints `NAME VALUE UNIT` lines, beside a plain prepared
 * insert of the same records measured in the same run on the same disk.
 *
 * The data are /tmp/peers/data/{households,persons}.jsonl made by
 * gen_dtsen.py (--data-dir), or, without them, synthetic data of the same
 * shape made here, so the benchmark always runs. */

typedef struct
{
  char *nik;
  char *full_name;
  char *sex;
  char *birth_date;   /* ISO */
  char *relationship;
  char *disability;
} Member;

typedef struct
{
  char      *kk_number;
  char      *head_name;
  char      *address;
  char      *rt;
  char      *rw;
  char      *kelurahan_code;
  char      *desil;
  char      *programs;
  GPtrArray *members;
} Household;

static void
member_free (Member *member)
{
  g_free (member->nik);
  g_free (member->full_name);
  g_free (member->sex);
  g_free (member->birth_date);
  g_free (member->relationship);
  g_free (member->disability);
  g_free (member);
}

static void
household_free (Household *household)
{
  g_free (household->kk_number);
  g_free (household->head_name);
  g_free (household->address);
  g_free (household->rt);
  g_free (household->rw);
  g_free (household->kelurahan_code);
  g_free (household->desil);
  g_free (household->programs);
  g_ptr_array_unref (household->members);
  g_free (household);
}

static Household *
household_new (void)
{
  Household *household = g_new0 (Household, 1);

  household->members = g_ptr_array_new_with_free_func ((GDestroyNotify) member_free);

  return household;
}

static char *
dup_member (JsonObject *object,
            const char *name)
{
  return g_strdup (json_object_get_string_member_with_default (object, name, NULL));
}

/* Reads gen_dtsen.py's files; persons.jsonl lists each household's members
 * after one another. */
static GPtrArray *
load_jsonl (const char  *dir,
            GError     **error)
{
  g_autoptr(GPtrArray) households = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *names[] = { "households.jsonl", "persons.jsonl" };

  households = g_ptr_array_new_with_free_func ((GDestroyNotify) household_free);

  for (guint f = 0; f < G_N_ELEMENTS (names); f++)
    {
      g_autofree char *path = g_build_filename (dir, names[f], NULL);
      g_autofree char *contents = NULL;
      g_auto(GStrv) lines = NULL;

      if (!g_file_get_contents (path, &contents, NULL, error))
        return NULL;

      lines = g_strsplit (contents, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          g_autoptr(JsonNode) node = NULL;
          JsonObject *object;

          if (*lines[i] == '\0')
            continue;
          node = json_from_string (lines[i], error);
          if (node == NULL)
            return NULL;
          object = json_node_get_object (node);

          if (f == 0)
            {
              Household *household = household_new ();
              JsonArray *programs = json_object_get_array_member (object, "programs");
              g_autoptr(GString) joined = g_string_new (NULL);

              household->kk_number = dup_member (object, "kk_number");
              household->head_name = dup_member (object, "head_name");
              household->address = dup_member (object, "address");
              household->rt = dup_member (object, "rt");
              household->rw = dup_member (object, "rw");
              household->kelurahan_code = dup_member (object, "village_code");
              household->desil = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                  json_object_get_int_member (object, "desil"));
              for (guint p = 0; programs != NULL && p < json_array_get_length (programs); p++)
                g_string_append_printf (joined, "%s%s", p > 0 ? ", " : "",
                                        json_array_get_string_element (programs, p));
              household->programs = g_string_free (g_steal_pointer (&joined), FALSE);
              g_hash_table_insert (by_id, dup_member (object, "id"), household);
              g_ptr_array_add (households, household);
            }
          else
            {
              Household *household = g_hash_table_lookup (by_id,
                                                           json_object_get_string_member (
                                                             object, "household_id"));
              Member *member = g_new0 (Member, 1);

              if (household == NULL)
                {
                  member_free (member);
                  continue;
                }
              member->nik = dup_member (object, "nik");
              member->full_name = dup_member (object, "full_name");
              member->sex = dup_member (object, "gender");
              member->birth_date = dup_member (object, "birth_date");
              member->relationship = dup_member (object, "relationship");
              member->disability = g_strdup (json_object_get_boolean_member (object, "disability")
                                             ? "Ya" : NULL);
              g_ptr_array_add (household->members, member);
            }
        }
    }

  return g_steal_pointer (&households);
}

/* A NIK or KK number: region, a date (day + 40 for women), then a serial
 * counted per region and date so that every number is new. */
static char *
identity_number (GHashTable *serials,
                 const char *region,
                 GDate      *date,
                 gboolean    female)
{
  g_autofree char *prefix = NULL;
  guint serial;

  prefix = g_strdup_printf ("%s%02u%02u%02u", region,
                            g_date_get_day (date) + (female ? 40 : 0),
                            g_date_get_month (date), g_date_get_year (date) % 100);
  serial = GPOINTER_TO_UINT (g_hash_table_lookup (serials, prefix)) + 1;
  g_hash_table_insert (serials, g_strdup (prefix), GUINT_TO_POINTER (serial));

  return g_strdup_printf ("%s%04u", prefix, serial);
}

static void
random_date (GRand *rand,
             int    from_year,
             int    to_year,
             GDate *out)
{
  g_date_clear (out, 1);
  g_date_set_dmy (out, 1, 1, from_year);
  g_date_add_days (out, g_rand_int_range (rand, 0, (to_year - from_year) * 365));
}

static Member *
synthetic_member (GRand       *rand,
                  GHashTable  *serials,
                  const char  *region,
                  const char  *relationship,
                  int          from_year,
                  int          to_year)
{
  static const char * const given[] = {
    "Rahmat", "Fitri", "Yusuf", "Nurhayati", "Dedi", "Siti", "Hendra", "Rina", "Afrizal",
    "Yeni", "Zulkifli", "Desi", "Ridwan", "Marlina", "Irwan", "Yulia",
  };
  static const char * const second[] = {
    "Putra", "Putri", "Chaniago", "Piliang", "Koto", "Tanjung", "Sari", "Hidayat",
  };
  Member *member = g_new0 (Member, 1);
  gboolean female = g_rand_boolean (rand);
  GDate date;
  char iso[11];

  random_date (rand, from_year, to_year, &date);
  g_date_strftime (iso, sizeof iso, "%Y-%m-%d", &date);
  member->nik = identity_number (serials, region, &date, female);
  member->full_name = g_strdup_printf ("%s %s",
                                       given[g_rand_int_range (rand, 0, G_N_ELEMENTS (given))],
                                       second[g_rand_int_range (rand, 0, G_N_ELEMENTS (second))]);
  member->sex = g_strdup (female ? "P" : "L");
  member->birth_date = g_strdup (iso);
  member->relationship = g_strdup (relationship);
  member->disability = g_rand_int_range (rand, 0, 100) < 3 ? g_strdup ("Ya") : NULL;

  return member;
}

/* The same shapes as gen_dtsen.py: 1–7 members, desil 1–5, the 24
 * kelurahan, real NIK and KK structure. */
static GPtrArray *
make_synthetic (guint n_households)
{
  static const guint per_kecamatan[] = { 7, 9, 8 };
  static const char * const programs[] = { "", "PKH", "BPNT", "PBI-JK", "PKH, BPNT",
                                           "BPNT, PBI-JK", "PKH, BPNT, PBI-JK" };
  GPtrArray *households = g_ptr_array_new_with_free_func ((GDestroyNotify) household_free);
  g_autoptr(GHashTable) serials = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);

  for (guint h = 0; h < n_households; h++)
    {
      Household *household = household_new ();
      guint kelurahan = g_rand_int_range (rand, 0, 24);
      guint kecamatan = 0;
      guint size = 1 + g_rand_int_range (rand, 0, 4) + g_rand_int_range (rand, 0, 4);
      g_autofree char *region = NULL;
      GDate issued;

      while (kelurahan >= per_kecamatan[kecamatan])
        kelurahan -= per_kecamatan[kecamatan++];
      region = g_strdup_printf ("13750%u", kecamatan + 1);

      random_date (rand, 2000, 2025, &issued);
      household->kk_number = identity_number (serials, region, &issued, FALSE);
      household->address = g_strdup_printf ("Jl. Panorama No. %d",
                                            g_rand_int_range (rand, 1, 150));
      household->rt = g_strdup_printf ("%03d", g_rand_int_range (rand, 1, 9));
      household->rw = g_strdup_printf ("%03d", g_rand_int_range (rand, 1, 13));
      household->kelurahan_code = g_strdup_printf ("13.75.%02u.%04u", kecamatan + 1,
                                                   1001 + kelurahan);
      household->desil = g_strdup_printf ("%d", g_rand_int_range (rand, 1, 6));
      household->programs = g_strdup (programs[g_rand_int_range (rand, 0,
                                                                 G_N_ELEMENTS (programs))]);

      for (guint m = 0; m < size; m++)
        g_ptr_array_add (household->members,
                         synthetic_member (rand, serials, region,
                                           m == 0 ? "Kepala Keluarga" : m == 1 ? "Istri" : "Anak",
                                           m < 2 ? 1945 : 1990, m < 2 ? 2000 : 2024));
      household->head_name = g_strdup (((Member *) household->members->pdata[0])->full_name);
      g_ptr_array_add (households, household);
    }

  return households;
}

/* One row per member, as a DTSEN extract from Excel: `;`, BOM, CRLF,
 * DD/MM/YYYY dates. */
static GBytes *
to_csv (GPtrArray *households,
        guint     *out_n_rows)
{
  GString *out = g_string_new (NULL);
  const char *cells[PDM_IMPORT_N_COLUMNS];

  pdm_csv_append_bom (out);
  for (guint c = 0; c < PDM_IMPORT_N_COLUMNS; c++)
    cells[c] = pdm_import_column_get_header (c);
  pdm_csv_append_row (out, cells, PDM_IMPORT_N_COLUMNS, ';');

  *out_n_rows = 0;
  for (guint h = 0; h < households->len; h++)
    {
      Household *household = g_ptr_array_index (households, h);

      for (guint m = 0; m < household->members->len; m++)
        {
          Member *member = g_ptr_array_index (household->members, m);
          char date[11];

          g_snprintf (date, sizeof date, "%.2s/%.2s/%.4s",
                      member->birth_date + 8, member->birth_date + 5, member->birth_date);
          memset (cells, 0, sizeof cells);
          cells[PDM_IMPORT_COLUMN_KK_NUMBER] = household->kk_number;
          cells[PDM_IMPORT_COLUMN_HEAD_NAME] = household->head_name;
          cells[PDM_IMPORT_COLUMN_ADDRESS] = household->address;
          cells[PDM_IMPORT_COLUMN_RT] = household->rt;
          cells[PDM_IMPORT_COLUMN_RW] = household->rw;
          cells[PDM_IMPORT_COLUMN_KELURAHAN] = household->kelurahan_code;
          cells[PDM_IMPORT_COLUMN_DESIL] = household->desil;
          cells[PDM_IMPORT_COLUMN_PROGRAMS] = household->programs;
          cells[PDM_IMPORT_COLUMN_NIK] = member->nik;
          cells[PDM_IMPORT_COLUMN_FULL_NAME] = member->full_name;
          cells[PDM_IMPORT_COLUMN_SEX] = member->sex;
          cells[PDM_IMPORT_COLUMN_BIRTH_DATE] = date;
          cells[PDM_IMPORT_COLUMN_RELATIONSHIP] = member->relationship;
          cells[PDM_IMPORT_COLUMN_DISABILITY] = member->disability;
          pdm_csv_append_row (out, cells, PDM_IMPORT_N_COLUMNS, ';');
          (*out_n_rows)++;
        }
    }

  return g_string_free_to_bytes (out);
}

static void
bind_texts (sqlite3_stmt       *stmt,
            const char * const *values,
            guint               n_values)
{
  for (guint i = 0; i < n_values; i++)
    sqlite3_bind_text (stmt, i + 1, values[i], -1, SQLITE_TRANSIENT);
}

/* The floor: the same records in one transaction through plain prepared
 * inserts, without checks, change capture or the outbox. */
static double
bench_plain_insert (const char  *path,
                    GPtrArray   *households,
                    GError     **error)
{
  g_autoptr(PdmDatabase) database = pdm_database_open (path, error);
  sqlite3 *db;
  sqlite3_stmt *insert_household = NULL;
  sqlite3_stmt *insert_person = NULL;
  g_autoptr(GTimer) timer = NULL;
  double seconds;

  if (database == NULL)
    return -1;
  db = pdm_database_get_handle (database);
  /* The page cache the import gives itself (pdm-import.c). */
  if (!pdm_database_use_bulk_cache (database, error))
    return -1;

  timer = g_timer_new ();
  if (sqlite3_prepare_v2 (db, "INSERT INTO household (id, kk_number, head_name, address, rt, rw,"
                          " kelurahan_code, desil, programs, status, _created)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'aktif', '')",
                          -1, &insert_household, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, "INSERT INTO person (id, household_id, nik, full_name, sex,"
                          " birth_date, relationship, disability, _created)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, '')",
                          -1, &insert_person, NULL) != SQLITE_OK)
    g_error ("%s", sqlite3_errmsg (db));

  sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  for (guint h = 0; h < households->len; h++)
    {
      Household *household = g_ptr_array_index (households, h);
      char household_id[PDM_UUID_LEN + 1];
      const char *values[] = {
        household_id, household->kk_number, household->head_name, household->address,
        household->rt, household->rw, household->kelurahan_code, household->desil,
        household->programs,
      };

      pdm_uuid_v7_generate (household_id);
      bind_texts (insert_household, values, G_N_ELEMENTS (values));
      if (sqlite3_step (insert_household) != SQLITE_DONE)
        g_error ("%s", sqlite3_errmsg (db));
      sqlite3_reset (insert_household);

      for (guint m = 0; m < household->members->len; m++)
        {
          Member *member = g_ptr_array_index (household->members, m);
          char person_id[PDM_UUID_LEN + 1];
          const char *person_values[] = {
            person_id, household_id, member->nik, member->full_name, member->sex,
            member->birth_date, member->relationship, member->disability,
          };

          pdm_uuid_v7_generate (person_id);
          bind_texts (insert_person, person_values, G_N_ELEMENTS (person_values));
          if (sqlite3_step (insert_person) != SQLITE_DONE)
            g_error ("%s", sqlite3_errmsg (db));
          sqlite3_reset (insert_person);
        }
    }
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  seconds = g_timer_elapsed (timer, NULL);

  sqlite3_finalize (insert_household);
  sqlite3_finalize (insert_person);

  return seconds;
}

static void
print_figure (const char *name,
              double      value,
              const char *unit)
{
  g_print ("%s %.3f %s\n", name, value, unit);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_dir = NULL;
  int n_synthetic = 17000;
  GOptionEntry entries[] = {
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &data_dir,
      "Folder with gen_dtsen.py's households.jsonl and persons.jsonl", "DIR" },
    { "households", 0, 0, G_OPTION_ARG_INT, &n_synthetic,
      "Households to make up when there is no --data-dir (17000)", "N" },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GPtrArray) households = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdmDatabase) database = NULL;
  g_autoptr(PdmRepository) repository = NULL;
  g_autoptr(PdmImportReport) checked = NULL;
  g_autoptr(PdmImportReport) applied = NULL;
  g_autoptr(PdmImportReport) reapplied = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *plain_path = NULL;
  double check_s, apply_s, reapply_s, plain_s;
  guint n_rows = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  if (data_dir != NULL)
    {
      households = load_jsonl (data_dir, &error);
      if (households == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      g_printerr ("data: %s\n", data_dir);
    }
  else
    {
      households = make_synthetic ((guint) n_synthetic);
      g_printerr ("data: %d synthetic households\n", n_synthetic);
    }
  csv = to_csv (households, &n_rows);

  dir = g_dir_make_tmp ("pendamping-import-bench-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "import.db", NULL);
  plain_path = g_build_filename (dir, "plain.db", NULL);

  database = pdm_database_open (path, &error);
  g_assert_no_error (error);
  repository = pdm_repository_new (database, &error);
  g_assert_no_error (error);

  g_timer_start (timer);
  checked = pdm_import_check (repository, csv, NULL, NULL, NULL, &error);
  check_s = g_timer_elapsed (timer, NULL);
  g_assert_no_error (error);
  if (checked->n_errors > 0)
    {
      g_autofree char *first = pdm_import_problem_to_string (checked->problems->pdata[0]);

      g_printerr ("the generated file has %u errors: %s\n", checked->n_errors, first);
      return 1;
    }

  g_timer_start (timer);
  if (!pdm_import_apply (repository, csv, &applied, NULL, NULL, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  apply_s = g_timer_elapsed (timer, NULL);

  /* The next quarter's extract, unchanged: every row matched, nothing written. */
  g_timer_start (timer);
  if (!pdm_import_apply (repository, csv, &reapplied, NULL, NULL, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  reapply_s = g_timer_elapsed (timer, NULL);
  g_assert (reapplied->households_unchanged == applied->households_created);

  plain_s = bench_plain_insert (plain_path, households, &error);
  g_assert_no_error (error);

  print_figure ("import_rows", n_rows, "rows");
  print_figure ("import_households", applied->households_created, "households");
  print_figure ("import_warnings", checked->n_warnings, "warnings");
  print_figure ("import_check_rows_per_s", n_rows / check_s, "rows/s");
  print_figure ("import_apply_rows_per_s", n_rows / apply_s, "rows/s");
  print_figure ("import_total_s", check_s + apply_s, "s");
  print_figure ("import_reapply_unchanged_rows_per_s", n_rows / reapply_s, "rows/s");
  print_figure ("plain_insert_rows_per_s", n_rows / plain_s, "rows/s");
  print_figure ("plain_insert_records_per_s",
                (n_rows + applied->households_created) / plain_s, "records/s");
  print_figure ("plain_insert_vs_import_apply_ratio", apply_s / plain_s, "x");

  g_clear_object (&repository);
  g_clear_object (&database);
  pdm_bench_remove_database (path);
  pdm_bench_remove_database (plain_path);
  g_rmdir (dir);

  return 0;
}
