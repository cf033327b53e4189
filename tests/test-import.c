/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-import"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "pdm-csv.h"
#include "pdm-error.h"
#include "pdm-export.h"
#include "pdm-import.h"
#include "pdm-test-util.h"

#define N_COLUMNS PDM_IMPORT_N_COLUMNS
#define UTF8_BOM "\xEF\xBB\xBF"
#define HEADER "No KK;ID DTSEN;Nama Kepala Keluarga;Alamat;RT;RW;Kecamatan;Kelurahan;Desil;" \
               "Program;NIK;Nama;Jenis Kelamin;Tempat Lahir;Tanggal Lahir;Hubungan Keluarga;" \
               "Disabilitas"

/* Two households as a DTSEN extract has them: rows 2–4 and 5–6. */
static const char * const sample[][N_COLUMNS] = {
  { "1375021408220001", "DT-0001", "Masrizal", "Jl. Jenderal Sudirman No. 52", "4", "7",
    "Mandiangin Koto Selayan", "Pulai Anak Air", "3", "BPNT, PBI-JK",
    "1375023010910001", "Masrizal", "L", "Bukittinggi", "30/10/1991", "Kepala Keluarga", "" },
  { "1375021408220001", "DT-0001", "Masrizal", "Jl. Jenderal Sudirman No. 52", "4", "7",
    "Mandiangin Koto Selayan", "Pulai Anak Air", "3", "BPNT, PBI-JK",
    "1375024401940001", "Yusmaniar", "P", "Padang", "04/01/1994", "Istri", "" },
  { "1375021408220001", "DT-0001", "Masrizal", "Jl. Jenderal Sudirman No. 52", "4", "7",
    "Mandiangin Koto Selayan", "Pulai Anak Air", "3", "BPNT, PBI-JK",
    "1375021210190001", "Arif", "L", "Bukittinggi", "12/10/2019", "Anak", "" },
  { "1375031102040001", "", "Arman Nugraha", "Jl. Diponegoro No. 35", "3", "2",
    "Aur Birugo Tigo Baleh", "Parit Antang", "2", "PKH",
    "1375030401470001", "Arman Nugraha", "L", "Agam", "04/01/1947", "Kepala Keluarga", "" },
  { "1375031102040001", "", "Arman Nugraha", "Jl. Diponegoro No. 35", "3", "2",
    "Aur Birugo Tigo Baleh", "Parit Antang", "2", "PKH",
    "1375036907560001", "Elvi", "P", "Agam", "29/07/1956", "Istri", "Tuna daksa" },
};

typedef const char *Rows[G_N_ELEMENTS (sample) + 4][N_COLUMNS];

typedef PdmTestReplica Fixture;

static char *self_path;

static gint64
count (Fixture    *fixture,
       const char *sql)
{
  return pdm_test_query_int (pdm_database_get_handle (fixture->database), sql);
}

static char *
query_text (Fixture    *fixture,
            const char *sql)
{
  return pdm_test_query_text (pdm_database_get_handle (fixture->database), sql);
}

static GBytes *
text_bytes (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

/* @text with its "@@" replaced by @value. */
static GBytes *
text_bytes_with (const char *text,
                 const char *value)
{
  g_auto(GStrv) parts = g_strsplit (text, "@@", -1);
  g_autofree char *joined = g_strjoinv (value, parts);

  return text_bytes (joined);
}

static void
append_header (GString *out,
               char     separator)
{
  const char *header[N_COLUMNS];

  for (guint c = 0; c < N_COLUMNS; c++)
    header[c] = pdm_import_column_get_header (c);
  pdm_csv_append_row (out, header, N_COLUMNS, separator);
}

static GBytes *
make_csv (const char * const (*rows)[N_COLUMNS],
          guint                n_rows,
          char                 separator)
{
  GString *out = g_string_new (UTF8_BOM);

  append_header (out, separator);
  for (guint i = 0; i < n_rows; i++)
    pdm_csv_append_row (out, rows[i], N_COLUMNS, separator);

  return g_string_free_to_bytes (out);
}

static GBytes *
sample_csv (void)
{
  return make_csv (sample, G_N_ELEMENTS (sample), ';');
}

/* Member @k of a generated file: a NIK that agrees with its birth date and
 * sex, all distinct for k below 16,800 × 9,999. */
static void
generated_person (guint        k,
                  char         nik[17],
                  char         date[11],
                  const char **sex)
{
  guint day = 1 + k % 28;
  guint month = 1 + (k / 28) % 12;
  guint year = 1950 + (k / 336) % 50;
  gboolean female = k % 2 == 1;

  g_snprintf (nik, 17, "137502%02u%02u%02u%04u",
              day + (female ? 40 : 0), month, year % 100, 1 + k / 16800);
  g_snprintf (date, 11, "%02u/%02u/%04u", day, month, year);
  *sex = female ? "P" : "L";
}

static void
generated_kk (guint h,
              char  kk[17])
{
  g_snprintf (kk, 17, "137502%02u%02u%02u%04u",
              1 + h % 28, 1 + (h / 28) % 12, (h / 336) % 100, 1 + h / 33600);
}

/* The code of one of the 24 kelurahan, by @h. */
static char *
generated_kelurahan (guint h)
{
  static const guint per_kecamatan[] = { 7, 9, 8 };
  guint n = h % 24;
  guint kecamatan = 0;

  while (n >= per_kecamatan[kecamatan])
    n -= per_kecamatan[kecamatan++];

  return g_strdup_printf ("13.75.%02u.%04u", kecamatan + 1, 1001 + n);
}

/* Households @first… of @members members each in @kelurahan, or spread
 * over the city; the NIK of spreadsheet row @bad_row, if any, is one Excel
 * mangled. */
static void
append_generated (GString    *out,
                  guint       first,
                  guint       n_households,
                  guint       members,
                  const char *kecamatan,
                  const char *kelurahan,
                  guint       bad_row)
{
  static const char * const names[] = {
    "Rahmat", "Fitri", "Yusuf", "Nurhayati", "Dedi", "Siti", "Hendra", "Rina",
  };

  for (guint h = first; h < first + n_households; h++)
    {
      char kk[17];
      g_autofree char *head = NULL;
      g_autofree char *address = g_strdup_printf ("Jl. Panorama No. %u", 1 + h % 150);
      g_autofree char *rt = g_strdup_printf ("%u", 1 + h % 8);
      g_autofree char *code = kelurahan == NULL ? generated_kelurahan (h) : NULL;

      generated_kk (h, kk);
      for (guint m = 0; m < members; m++)
        {
          guint k = h * members + m;
          char nik[17], date[11];
          const char *sex;
          g_autofree char *name = NULL;
          const char *cells[N_COLUMNS] = { NULL, };
          guint row = (guint) (k - first * members) + 2;

          generated_person (k, nik, date, &sex);
          name = g_strdup_printf ("%s %s", names[k % G_N_ELEMENTS (names)],
                                  names[(k / 8) % G_N_ELEMENTS (names)]);
          if (m == 0)
            head = g_strdup (name);

          cells[PDM_IMPORT_COLUMN_KK_NUMBER] = kk;
          cells[PDM_IMPORT_COLUMN_HEAD_NAME] = head;
          cells[PDM_IMPORT_COLUMN_ADDRESS] = address;
          cells[PDM_IMPORT_COLUMN_RT] = rt;
          cells[PDM_IMPORT_COLUMN_RW] = "2";
          cells[PDM_IMPORT_COLUMN_KECAMATAN] = kecamatan;
          cells[PDM_IMPORT_COLUMN_KELURAHAN] = code != NULL ? code : kelurahan;
          cells[PDM_IMPORT_COLUMN_DESIL] = "2";
          cells[PDM_IMPORT_COLUMN_PROGRAMS] = "PKH";
          cells[PDM_IMPORT_COLUMN_NIK] = row == bad_row ? "1,37502E+15" : nik;
          cells[PDM_IMPORT_COLUMN_FULL_NAME] = name;
          cells[PDM_IMPORT_COLUMN_SEX] = sex;
          cells[PDM_IMPORT_COLUMN_BIRTH_DATE] = date;
          cells[PDM_IMPORT_COLUMN_RELATIONSHIP] = m == 0 ? "Kepala Keluarga" : "Anak";
          pdm_csv_append_row (out, cells, N_COLUMNS, ';');
        }
    }
}

static GBytes *
generated_csv (guint n_households,
               guint members,
               guint bad_row)
{
  GString *out = g_string_new (UTF8_BOM);

  append_header (out, ';');
  append_generated (out, 0, n_households, members, "", NULL, bad_row);

  return g_string_free_to_bytes (out);
}

static PdmImportReport *
check (Fixture *fixture,
       GBytes  *data)
{
  g_autoptr(GError) error = NULL;
  PdmImportReport *report;

  report = pdm_import_check (fixture->repository, data, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);

  return report;
}

static PdmImportReport *
apply (Fixture *fixture,
       GBytes  *data)
{
  g_autoptr(GError) error = NULL;
  PdmImportReport *report = NULL;

  g_assert_true (pdm_import_apply (fixture->repository, data, &report, NULL, NULL, NULL,
                                   &error));
  g_assert_no_error (error);
  g_assert_nonnull (report);

  return report;
}

static void
assert_counts (const PdmImportReport *report,
               guint                  households_created,
               guint                  households_updated,
               guint                  households_unchanged,
               guint                  persons_created,
               guint                  persons_updated,
               guint                  persons_unchanged)
{
  g_assert_cmpuint (report->households_created, ==, households_created);
  g_assert_cmpuint (report->households_updated, ==, households_updated);
  g_assert_cmpuint (report->households_unchanged, ==, households_unchanged);
  g_assert_cmpuint (report->persons_created, ==, persons_created);
  g_assert_cmpuint (report->persons_updated, ==, persons_updated);
  g_assert_cmpuint (report->persons_unchanged, ==, persons_unchanged);
}

static void
assert_nothing_written (Fixture *fixture)
{
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM household"), ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM person"), ==, 0);
  g_assert_cmpuint (pdm_repository_count_outbox (fixture->repository), ==, 0);
}

static void
assert_no_errors (const PdmImportReport *report)
{
  for (guint i = 0; i < report->problems->len; i++)
    {
      PdmImportProblem *problem = g_ptr_array_index (report->problems, i);
      g_autofree char *text = pdm_import_problem_to_string (problem);

      if (problem->severity == PDM_IMPORT_SEVERITY_ERROR)
        g_error ("unexpected problem: %s", text);
    }
  g_assert_cmpuint (report->n_errors, ==, 0);
}

/* The error on @row, whose column and reason are as given. */
static const PdmImportProblem *
assert_error (const PdmImportReport *report,
              guint                  row,
              const char            *column,
              const char            *reason_part)
{
  for (guint i = 0; i < report->problems->len; i++)
    {
      PdmImportProblem *problem = g_ptr_array_index (report->problems, i);

      if (problem->severity == PDM_IMPORT_SEVERITY_ERROR && problem->row == row &&
          g_strcmp0 (problem->column, column) == 0)
        {
          g_assert_nonnull (strstr (problem->message, reason_part));
          return problem;
        }
    }

  g_error ("no error on row %u, column %s", row, column);
  return NULL;
}

static void
test_check_writes_nothing (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GBytes) csv = sample_csv ();
  g_autoptr(PdmImportReport) report = check (fixture, csv);

  assert_no_errors (report);
  g_assert_cmpuint (report->n_rows, ==, 5);
  assert_counts (report, 2, 0, 0, 5, 0, 0);

  assert_nothing_written (fixture);
}

static void
test_apply_writes_all (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GBytes) csv = sample_csv ();
  g_autoptr(PdmImportReport) report = apply (fixture, csv);
  g_autofree char *household = NULL;
  g_autofree char *person = NULL;
  g_autofree char *elvi = NULL;
  g_autofree char *parit_antang = NULL;

  assert_counts (report, 2, 0, 0, 5, 0, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM household"), ==, 2);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM person"), ==, 5);
  /* One outbox entry per record, each the whole record. */
  g_assert_cmpuint (pdm_repository_count_outbox (fixture->repository), ==, 7);

  household = query_text (fixture,
                          "SELECT kk_number || '|' || dtsen_id || '|' || head_name || '|' || rt "
                          "|| '|' || rw || '|' || kelurahan_code || '|' || desil || '|' || "
                          "programs FROM household WHERE dtsen_id = 'DT-0001'");
  g_assert_cmpstr (household, ==,
                   "1375021408220001|DT-0001|Masrizal|004|007|13.75.02.1006|3|BPNT,PBI-JK");
  person = query_text (fixture,
                       "SELECT p.full_name || '|' || p.sex || '|' || p.birth_place || '|' || "
                       "p.birth_date || '|' || p.relationship FROM person p JOIN household h "
                       "ON h.id = p.household_id WHERE p.nik = '1375024401940001' "
                       "AND h.dtsen_id = 'DT-0001'");
  g_assert_cmpstr (person, ==, "Yusmaniar|P|Padang|1994-01-04|Istri");
  elvi = query_text (fixture, "SELECT disability FROM person WHERE full_name = 'Elvi'");
  g_assert_cmpstr (elvi, ==, "Tuna daksa");
  parit_antang = query_text (fixture, "SELECT kelurahan_code FROM household "
                                      "WHERE kk_number = '1375031102040001'");
  g_assert_cmpstr (parit_antang, ==, "13.75.03.1007");
}

static void
test_separators (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GBytes) comma = make_csv (sample, G_N_ELEMENTS (sample), ',');
  g_autoptr(GBytes) semicolon = make_csv (sample, G_N_ELEMENTS (sample), ';');
  g_autoptr(PdmImportReport) first = NULL;
  g_autoptr(PdmImportReport) second = NULL;
  g_autofree char *programs = NULL;

  /* "BPNT, PBI-JK" is quoted in the comma file. */
  g_assert_nonnull (strstr (g_bytes_get_data (comma, NULL), "\"BPNT, PBI-JK\""));
  first = apply (fixture, comma);
  assert_counts (first, 2, 0, 0, 5, 0, 0);
  programs = query_text (fixture, "SELECT programs FROM household WHERE dtsen_id = 'DT-0001'");
  g_assert_cmpstr (programs, ==, "BPNT,PBI-JK");

  /* The same extract with the other separator is the same data. */
  second = apply (fixture, semicolon);
  assert_counts (second, 0, 0, 2, 0, 0, 5);
}

static void
test_bom_crlf_windows_1252 (Fixture       *fixture,
                            gconstpointer  data)
{
  const char *utf8 =
    HEADER "\r\n"
    "1375021408220001;;Masrizal;Jl. Café No. 1;4;7;;Pulai Anak Air;3;PKH;"
    "1375023010910001;Masrizal;L;Bukittinggi;30/10/1991;Kepala Keluarga;\r\n"
    "1375021408220001;;Masrizal;Jl. Café No. 1;4;7;;Pulai Anak Air;3;PKH;"
    "1375024401940001;Renée;P;Padang;04/01/1994;Istri;\r\n";
  g_autofree char *cp1252 = NULL;
  g_autofree char *with_bom = g_strconcat (UTF8_BOM, utf8, NULL);
  g_autoptr(GBytes) legacy = NULL;
  g_autoptr(GBytes) modern = NULL;
  g_autoptr(PdmImportReport) first = NULL;
  g_autoptr(PdmImportReport) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *address = NULL;
  gsize len = 0;

  cp1252 = g_convert (utf8, -1, "WINDOWS-1252", "UTF-8", NULL, &len, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (cp1252, "é"));
  legacy = g_bytes_new (cp1252, len);

  first = apply (fixture, legacy);
  assert_counts (first, 1, 0, 0, 2, 0, 0);
  name = query_text (fixture, "SELECT full_name FROM person WHERE nik = '1375024401940001'");
  g_assert_cmpstr (name, ==, "Renée");
  address = query_text (fixture, "SELECT address FROM household");
  g_assert_cmpstr (address, ==, "Jl. Café No. 1");

  /* The same file saved as "CSV UTF-8" (BOM, CRLF) is the same data, and
   * the BOM does not hide the first header. */
  modern = text_bytes (with_bom);
  second = apply (fixture, modern);
  assert_counts (second, 0, 0, 1, 0, 0, 2);
}

static void
test_quoted_fields (Fixture       *fixture,
                    gconstpointer  data)
{
  /* Row 2 spans two lines of the file; Excel numbers rows, not lines. */
  const char *text =
    UTF8_BOM HEADER "\r\n"
    "1375021408220001;;Masrizal;\"Jl. Soekarno-Hatta; Gang \"\"Mawar\"\" No. 3\r\nBelakang "
    "Pasar\";4;7;;Pulai Anak Air;3;\"PKH; BPNT\";1375023010910001;Masrizal;L;Bukittinggi;"
    "30/10/1991;Kepala Keluarga;\r\n"
    "1375021408220001;;Masrizal;\"Jl. Soekarno-Hatta; Gang \"\"Mawar\"\" No. 3\r\nBelakang "
    "Pasar\";4;7;;Pulai Anak Air;3;\"PKH; BPNT\";1375024401940001;Yusmaniar;P;Padang;"
    "04/01/1994;Istri;\r\n"
    "1375031102040001;;Arman Nugraha;Jl. Diponegoro No. 35;3;2;;Parit Antang;@@;PKH;"
    "1375030401470001;Arman Nugraha;L;Agam;04/01/1947;Kepala Keluarga;\r\n";
  g_autoptr(GBytes) bad_bytes = text_bytes_with (text, "11");
  g_autoptr(GBytes) good_bytes = text_bytes_with (text, "2");
  g_autoptr(PdmImportReport) checked = check (fixture, bad_bytes);
  g_autoptr(PdmImportReport) applied = NULL;
  g_autofree char *address = NULL;
  g_autofree char *programs = NULL;

  g_assert_cmpuint (checked->n_errors, ==, 1);
  assert_error (checked, 4, "Desil", "11");

  applied = apply (fixture, good_bytes);
  assert_counts (applied, 2, 0, 0, 3, 0, 0);
  address = query_text (fixture, "SELECT address FROM household WHERE head_name = 'Masrizal'");
  g_assert_cmpstr (address, ==, "Jl. Soekarno-Hatta; Gang \"Mawar\" No. 3\nBelakang Pasar");
  programs = query_text (fixture, "SELECT programs FROM household WHERE head_name = 'Masrizal'");
  g_assert_cmpstr (programs, ==, "BPNT,PKH");
}

static void
test_header_aliases_and_order (Fixture       *fixture,
                               gconstpointer  data)
{
  /* Another program's column names and order, a comma file with LF
   * endings, no head-of-household column and no program column. */
  g_autoptr(GBytes) csv = text_bytes (
    "NIK,Nama Lengkap,L/P,Tgl. Lahir,SHDK,NOMOR KK,Kelurahan/Desa,ALAMAT,desil\n"
    "1375023010910001,Masrizal,L,30/10/1991,KEPALA RUMAH TANGGA,1375021408220001,"
    "pulai anak air,Jl. Jenderal Sudirman No. 52,3\n"
    "1375024401940001,Yusmaniar,P,04/01/1994,Istri/Suami,1375021408220001,"
    "pulai anak air,Jl. Jenderal Sudirman No. 52,3\n");
  g_autoptr(PdmImportReport) report = apply (fixture, csv);
  g_autofree char *head = NULL;
  g_autofree char *relationships = NULL;

  assert_counts (report, 1, 0, 0, 2, 0, 0);
  head = query_text (fixture, "SELECT head_name || '|' || kelurahan_code || '|' || "
                              "ifnull (rt, '-') FROM household");
  g_assert_cmpstr (head, ==, "Masrizal|13.75.02.1006|-");
  relationships = query_text (fixture, "SELECT group_concat (relationship, ',') FROM "
                                       "(SELECT relationship FROM person ORDER BY nik)");
  g_assert_cmpstr (relationships, ==, "Kepala Keluarga,Istri");
}

static void
test_date_forms (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *text =
    HEADER "\r\n"
    "1375021408220001;;Masrizal;Jl. Panorama 1;4;7;;Pulai Anak Air;3;PKH;"
    "1375023010910001;Masrizal;L;;30/10/1991;Kepala Keluarga;\r\n"
    "1375021408220001;;Masrizal;Jl. Panorama 1;4;7;;Pulai Anak Air;3;PKH;"
    "1375024401940001;Yusmaniar;P;;04-01-1994;Istri;\r\n"
    "1375021408220001;;Masrizal;Jl. Panorama 1;4;7;;Pulai Anak Air;3;PKH;"
    "1375021210190001;Arif;L;;2019-10-12;Anak;\r\n"
    "1375021408220001;;Masrizal;Jl. Panorama 1;4;7;;Pulai Anak Air;3;PKH;"
    "1375030401470001;Rusli;L;;@@;Orang Tua;\r\n";
  g_autoptr(GBytes) bad = text_bytes_with (text, "4/1/47");
  g_autoptr(GBytes) good = text_bytes_with (text, "4/1/1947");
  g_autoptr(PdmImportReport) checked = check (fixture, bad);
  g_autoptr(PdmImportReport) applied = NULL;
  g_autofree char *dates = NULL;

  g_assert_cmpuint (checked->n_errors, ==, 1);
  assert_error (checked, 5, "Tanggal Lahir", "4/1/47");

  applied = apply (fixture, good);
  assert_counts (applied, 1, 0, 0, 4, 0, 0);
  dates = query_text (fixture, "SELECT group_concat (birth_date, ',') FROM "
                               "(SELECT birth_date FROM person ORDER BY nik)");
  g_assert_cmpstr (dates, ==, "2019-10-12,1991-10-30,1994-01-04,1947-01-04");
}

static void
test_excel_mangled_numbers (Fixture       *fixture,
                            gconstpointer  data)
{
  Rows rows;
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(PdmImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  const PdmImportProblem *problem;
  g_autofree char *text = NULL;

  memcpy (rows, sample, sizeof sample);
  rows[0][PDM_IMPORT_COLUMN_NIK] = "1,37502E+15";
  rows[1][PDM_IMPORT_COLUMN_NIK] = "137502440194001";
  rows[3][PDM_IMPORT_COLUMN_KK_NUMBER] = "1,37503E+15";
  rows[4][PDM_IMPORT_COLUMN_KK_NUMBER] = "1,37503E+15";
  csv = make_csv ((const char * const (*)[N_COLUMNS]) rows, G_N_ELEMENTS (sample), ';');

  report = check (fixture, csv);
  problem = assert_error (report, 2, "NIK", "1,37502E+15");
  g_assert_nonnull (strstr (problem->message, "Excel"));
  text = pdm_import_problem_to_string (problem);
  g_assert_true (g_str_has_prefix (text, "Row 2, column NIK: Excel"));
  /* A NIK that lost a digit says how many it has. */
  assert_error (report, 3, "NIK", "15 digits");
  assert_error (report, 5, "No KK", "Excel");
  assert_error (report, 6, "No KK", "Excel");

  g_assert_false (pdm_import_apply (fixture->repository, csv, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, PDM_ERROR, PDM_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "Row 2, column NIK"));
  assert_nothing_written (fixture);
}

static void
test_old_kelurahan_spellings (Fixture       *fixture,
                              gconstpointer  data)
{
  static const struct
  {
    const char *kecamatan;
    const char *kelurahan;
    const char *code;
  } cases[] = {
    { "", "Pakan Labuh", "13.75.03.1006" },
    { "", "PARIT  RANTANG", "13.75.03.1007" },
    { "Guguk", "Tarok Dipo", "13.75.01.1001" },
    { "Guguk Panjang", "Bukik Apik Puhun", "13.75.01.1007" },
    { "", "13.75.02.1002", "13.75.02.1002" },
    { "", "1375021009", "13.75.02.1009" },
    { "Kec. Aur Birugo Tigo Baleh", "Kel. Ladang Cakiah", "13.75.03.1008" },
  };
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(PdmImportReport) report = NULL;

  append_header (out, ';');
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    append_generated (out, i, 1, 1, cases[i].kecamatan, cases[i].kelurahan, 0);
  csv = g_string_free_to_bytes (g_steal_pointer (&out));

  report = apply (fixture, csv);
  assert_counts (report, G_N_ELEMENTS (cases), 0, 0, G_N_ELEMENTS (cases), 0, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char kk[17];
      g_autofree char *sql = NULL;
      g_autofree char *code = NULL;

      generated_kk (i, kk);
      sql = g_strdup_printf ("SELECT kelurahan_code FROM household WHERE kk_number = '%s'", kk);
      code = query_text (fixture, sql);
      g_assert_cmpstr (code, ==, cases[i].code);
    }
}

static void
test_unknown_kelurahan (Fixture       *fixture,
                        gconstpointer  data)
{
  /* The column is named as the file names it. */
  g_autoptr(GBytes) csv = text_bytes (
    "No KK;Nama Kepala Keluarga;KECAMATAN;KELURAHAN;NIK;Nama;Tanggal Lahir\r\n"
    "1375021408220001;Masrizal;;Bukit Tinggi Raya;1375023010910001;Masrizal;30/10/1991\r\n"
    "1375021408220002;Yusmaniar;;Guguk Panjang;1375024401940001;Yusmaniar;04/01/1994\r\n"
    "1375021408220003;Arif;;13.75.02.1099;1375021210190001;Arif;12/10/2019\r\n"
    "1375021408220004;Rusli;Guguak Panjang;Campago Ipuh;1375030401470001;Rusli;04/01/1947\r\n"
    "1375021408220005;Elvi;Koto Gadang;Campago Ipuh;1375036907560001;Elvi;29/07/1956\r\n");
  g_autoptr(PdmImportReport) report = check (fixture, csv);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (report->n_errors, ==, 5);
  assert_error (report, 2, "KELURAHAN", "Bukit Tinggi Raya");
  assert_error (report, 3, "KELURAHAN", "kecamatan");
  assert_error (report, 4, "KELURAHAN", "13.75.02.1099");
  assert_error (report, 5, "KELURAHAN", "Mandiangin Koto Selayan");
  assert_error (report, 6, "KECAMATAN", "Koto Gadang");

  g_assert_false (pdm_import_apply (fixture->repository, csv, NULL, NULL, NULL, NULL, &error));
  g_assert_nonnull (strstr (error->message, "Row 2, column KELURAHAN"));
}

static void
test_file_problems (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GBytes) missing = text_bytes ("No KK;Nama;Kelurahan\r\n"
                                          "1375021408220001;Masrizal;Campago Ipuh\r\n");
  g_autoptr(GBytes) inconsistent = NULL;
  g_autoptr(PdmImportReport) report = check (fixture, missing);
  g_autoptr(PdmImportReport) second = NULL;
  Rows rows;

  assert_error (report, 1, NULL, "NIK");

  /* A NIK twice, and a household whose rows disagree. */
  memcpy (rows, sample, sizeof sample);
  rows[2][PDM_IMPORT_COLUMN_NIK] = sample[0][PDM_IMPORT_COLUMN_NIK];
  rows[4][PDM_IMPORT_COLUMN_ADDRESS] = "Jl. Diponegoro No. 53";
  inconsistent = make_csv ((const char * const (*)[N_COLUMNS]) rows, G_N_ELEMENTS (sample),
                           ';');
  second = check (fixture, inconsistent);
  g_assert_cmpuint (second->n_errors, ==, 2);
  assert_error (second, 4, "NIK", "row 2");
  assert_error (second, 6, "Alamat", "row 5");
}

static void
test_warnings_do_not_block (Fixture       *fixture,
                            gconstpointer  data)
{
  Rows rows;
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) second = NULL;
  g_autoptr(PdmImportReport) report = NULL;
  g_autoptr(PdmImportReport) again = NULL;

  first = sample_csv ();
  report = apply (fixture, first);

  /* A NIK first registered in Jakarta, and a member who looks like one
   * already recorded: worth a look, no reason to refuse. */
  memcpy (rows, sample, sizeof sample);
  for (guint i = 3; i < 5; i++)
    {
      rows[i][PDM_IMPORT_COLUMN_KK_NUMBER] = "1375020101250001";
      rows[i][PDM_IMPORT_COLUMN_KELURAHAN] = "Pulai Anak Air";
      rows[i][PDM_IMPORT_COLUMN_KECAMATAN] = "";
    }
  rows[3][PDM_IMPORT_COLUMN_NIK] = "3171010401470002";
  rows[4][PDM_IMPORT_COLUMN_NIK] = "1375024401940002";
  rows[4][PDM_IMPORT_COLUMN_FULL_NAME] = "Yusmaniar";
  rows[4][PDM_IMPORT_COLUMN_BIRTH_DATE] = "04/01/1994";
  second = make_csv ((const char * const (*)[N_COLUMNS]) rows + 3, 2, ';');

  again = apply (fixture, second);
  g_assert_cmpuint (again->n_errors, ==, 0);
  g_assert_cmpuint (again->n_warnings, ==, 2);
  g_assert_cmpuint (((PdmImportProblem *) g_ptr_array_index (again->problems, 0))->row, ==, 2);
  g_assert_nonnull (strstr (((PdmImportProblem *) g_ptr_array_index (again->problems, 0))->message,
                            "31.71.01"));
  g_assert_nonnull (strstr (((PdmImportProblem *) g_ptr_array_index (again->problems, 1))->message,
                            "Yusmaniar"));
  assert_counts (again, 1, 0, 0, 2, 0, 0);
}

static void
test_reimport_updates_in_place (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GBytes) v1 = sample_csv ();
  g_autoptr(GBytes) v2 = NULL;
  g_autoptr(PdmImportReport) first = apply (fixture, v1);
  g_autoptr(PdmImportReport) checked = NULL;
  g_autoptr(PdmImportReport) second = NULL;
  g_autoptr(PdmImportReport) third = NULL;
  g_autoptr(PdmRecord) household = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *household_id = NULL;
  g_autofree char *household_fields = NULL;
  g_autofree char *person_fields = NULL;
  g_autofree char *notes = NULL;
  const char *new_member[N_COLUMNS];
  Rows rows;
  guint outbox;

  /* What a PSM added by hand is not in DTSEN and must survive. */
  household_id = query_text (fixture, "SELECT id FROM household WHERE dtsen_id = 'DT-0001'");
  household = pdm_repository_get (fixture->repository, PDM_TABLE_HOUSEHOLD, household_id,
                                   &error);
  pdm_record_set (household, "notes", "Rumah dekat masjid");
  g_assert_true (pdm_repository_update (fixture->repository, household, NULL, &error));
  g_assert_no_error (error);
  outbox = pdm_repository_count_outbox (fixture->repository);

  /* The next quarter's extract: the family got a new KK and moved (found
   * by its DTSEN id), a child's name is completed, the second household
   * has a new member, a third household appears. */
  memcpy (rows, sample, sizeof sample);
  for (guint i = 0; i < 3; i++)
    {
      rows[i][PDM_IMPORT_COLUMN_KK_NUMBER] = "1375020105250003";
      rows[i][PDM_IMPORT_COLUMN_ADDRESS] = "Jl. Panorama No. 8";
    }
  rows[2][PDM_IMPORT_COLUMN_FULL_NAME] = "Arif Rahman";
  memcpy (new_member, sample[4], sizeof new_member);
  new_member[PDM_IMPORT_COLUMN_NIK] = "1375034605150001";
  new_member[PDM_IMPORT_COLUMN_FULL_NAME] = "Nabila";
  new_member[PDM_IMPORT_COLUMN_BIRTH_DATE] = "06/05/2015";
  new_member[PDM_IMPORT_COLUMN_RELATIONSHIP] = "Cucu";
  new_member[PDM_IMPORT_COLUMN_DISABILITY] = "";
  memcpy (rows[5], new_member, sizeof new_member);
  memcpy (rows[6], sample[0], sizeof new_member);
  rows[6][PDM_IMPORT_COLUMN_KK_NUMBER] = "1375011402190001";
  rows[6][PDM_IMPORT_COLUMN_DTSEN_ID] = "DT-0003";
  rows[6][PDM_IMPORT_COLUMN_NIK] = "1375011402800001";
  rows[6][PDM_IMPORT_COLUMN_BIRTH_DATE] = "14/02/1980";
  rows[6][PDM_IMPORT_COLUMN_KECAMATAN] = "";
  rows[6][PDM_IMPORT_COLUMN_KELURAHAN] = "Tarok Dipo";
  v2 = make_csv ((const char * const (*)[N_COLUMNS]) rows, 7, ';');

  checked = check (fixture, v2);
  assert_no_errors (checked);
  assert_counts (checked, 1, 1, 1, 2, 1, 4);
  g_assert_cmpuint (pdm_repository_count_outbox (fixture->repository), ==, outbox);

  second = apply (fixture, v2);
  assert_counts (second, 1, 1, 1, 2, 1, 4);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM household"), ==, 3);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM person"), ==, 7);
  g_assert_cmpint (count (fixture, "SELECT count(DISTINCT nik) FROM person"), ==, 7);

  /* Only what changed is recorded: two updates and three inserts. */
  g_assert_cmpuint (pdm_repository_count_outbox (fixture->repository), ==, outbox + 5);
  household_fields = query_text (fixture, "SELECT o.fields FROM outbox o JOIN household h "
                                          "ON h.id = o.row_id WHERE h.dtsen_id = 'DT-0001' "
                                          "ORDER BY o.hlc DESC LIMIT 1");
  g_assert_cmpstr (household_fields, ==, "[\"kk_number\",\"address\"]");
  person_fields = query_text (fixture, "SELECT o.fields FROM outbox o JOIN person p "
                                       "ON p.id = o.row_id WHERE p.nik = '1375021210190001' "
                                       "ORDER BY o.hlc DESC LIMIT 1");
  g_assert_cmpstr (person_fields, ==, "[\"full_name\"]");
  notes = query_text (fixture, "SELECT notes FROM household WHERE dtsen_id = 'DT-0001'");
  g_assert_cmpstr (notes, ==, "Rumah dekat masjid");

  /* The same extract again changes nothing at all. */
  outbox = pdm_repository_count_outbox (fixture->repository);
  third = apply (fixture, v2);
  assert_counts (third, 0, 0, 3, 0, 0, 7);
  g_assert_cmpuint (pdm_repository_count_outbox (fixture->repository), ==, outbox);
}

static void
test_bad_row_imports_nothing (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GBytes) csv = generated_csv (2500, 4, 5001);
  g_autoptr(PdmImportReport) checked = check (fixture, csv);
  g_autoptr(PdmImportReport) report = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (checked->n_rows, ==, 10000);
  g_assert_cmpuint (checked->n_errors, ==, 1);
  assert_error (checked, 5001, "NIK", "1,37502E+15");
  /* Every other row would go in. */
  g_assert_cmpuint (checked->persons_created, ==, 9999);

  g_assert_false (pdm_import_apply (fixture->repository, csv, &report, NULL, NULL, NULL,
                                    &error));
  g_assert_error (error, PDM_ERROR, PDM_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "Row 5001, column NIK"));
  g_assert_nonnull (report);
  g_assert_cmpuint (report->n_errors, ==, 1);

  assert_nothing_written (fixture);
}

static void
test_export_round_trip (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GBytes) csv = sample_csv ();
  g_autoptr(PdmImportReport) imported = apply (fixture, csv);
  g_autoptr(PdmRecord) empty = pdm_record_new (PDM_TABLE_HOUSEHOLD);
  g_autoptr(GError) error = NULL;
  const char separators[] = { ';', ',' };
  guint outbox;

  /* A household whose members are not entered yet, an address with a
   * separator, quotes and a line break. */
  pdm_record_set (empty, "kk_number", "1375031505200002");
  pdm_record_set (empty, "head_name", "Syafri Yanto");
  pdm_record_set (empty, "address", "Jl. Ateh Ngarai; Gg. \"Buntu\"\nNo. 4, belakang");
  pdm_record_set (empty, "kelurahan_code", "13.75.03.1007");
  pdm_record_set (empty, "status", "aktif");
  g_assert_true (pdm_repository_insert (fixture->repository, empty, &error));
  g_assert_no_error (error);
  outbox = pdm_repository_count_outbox (fixture->repository);

  for (guint i = 0; i < G_N_ELEMENTS (separators); i++)
    {
      g_autoptr(GBytes) exported = NULL;
      g_autoptr(PdmImportReport) report = NULL;
      g_autofree char *expected_nik = NULL;
      const char *text;

      exported = pdm_export_dtsen_csv (fixture->database, NULL, separators[i], NULL, &error);
      g_assert_no_error (error);
      text = g_bytes_get_data (exported, NULL);
      g_assert_true (g_str_has_prefix (text, UTF8_BOM "No KK"));
      g_assert_nonnull (strstr (text, "\r\n"));
      /* Excel opens ="…" as the digits, kept as text. */
      expected_nik = g_strdup_printf ("%c\"=\"\"1375023010910001\"\"\"%c", separators[i],
                                      separators[i]);
      g_assert_nonnull (strstr (text, expected_nik));
      g_assert_nonnull (strstr (text, "30/10/1991"));

      report = apply (fixture, exported);
      assert_no_errors (report);
      assert_counts (report, 0, 0, 3, 0, 0, 5);
      g_assert_cmpuint (pdm_repository_count_outbox (fixture->repository), ==, outbox);
    }

  /* Only one kelurahan: its two households, one with two members. */
  {
    g_autoptr(GBytes) exported = NULL;
    g_auto(GStrv) lines = NULL;

    exported = pdm_export_dtsen_csv (fixture->database, "13.75.03.1007",
                                     PDM_EXPORT_DEFAULT_SEPARATOR, NULL, &error);
    g_assert_no_error (error);
    lines = g_strsplit (g_bytes_get_data (exported, NULL), "\r\n", -1);
    /* The header, 3 rows, one line break inside a quoted address, the end. */
    g_assert_cmpuint (g_strv_length (lines), ==, 5);
    g_assert_null (strstr (g_bytes_get_data (exported, NULL), "Masrizal"));
  }
}

static void
test_template_is_the_layout (Fixture       *fixture,
                             gconstpointer  data)
{
  const char *root = g_getenv ("PDM_SOURCE_ROOT");
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) exported = NULL;
  g_autoptr(GBytes) template = NULL;
  g_autoptr(PdmImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  g_assert_nonnull (root);
  path = g_build_filename (root, "data", "templates", "dtsen-template.csv", NULL);
  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);

  /* An empty database exports exactly the shipped template. */
  exported = pdm_export_dtsen_csv (fixture->database, NULL, ';', NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (exported, NULL), g_bytes_get_size (exported),
                   contents, len);

  template = g_bytes_new (contents, len);
  report = check (fixture, template);
  g_assert_cmpuint (report->n_errors, ==, 1);
  g_assert_cmpuint (report->n_rows, ==, 0);
}

static void
test_problem_text (void)
{
  g_autoptr(PdmImportProblem) cell = pdm_import_problem_new (PDM_IMPORT_SEVERITY_ERROR, 12,
                                                             "NIK", "the number is empty");
  g_autoptr(PdmImportProblem) row = pdm_import_problem_new (PDM_IMPORT_SEVERITY_WARNING, 7,
                                                            NULL, "check it");
  g_autoptr(PdmImportProblem) file = pdm_import_problem_new (PDM_IMPORT_SEVERITY_ERROR, 0,
                                                             NULL, "The file is empty");
  g_autofree char *cell_text = pdm_import_problem_to_string (cell);
  g_autofree char *row_text = pdm_import_problem_to_string (row);
  g_autofree char *file_text = pdm_import_problem_to_string (file);

  g_assert_cmpstr (cell_text, ==, "Row 12, column NIK: the number is empty");
  g_assert_cmpstr (row_text, ==, "Row 7: check it");
  g_assert_cmpstr (file_text, ==, "The file is empty");
}

typedef struct
{
  GThread         *main_thread;
  GCancellable    *cancellable;
  double           cancel_at;
  double           last_fraction;
  guint            n_progress;
  gboolean         done;
  gboolean         ok;
  PdmImportReport *report;
  GError          *error;
} AsyncState;

static void
async_state_clear (AsyncState *state)
{
  g_clear_object (&state->cancellable);
  g_clear_pointer (&state->report, pdm_import_report_free);
  g_clear_error (&state->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AsyncState, async_state_clear)

static void
on_progress (double   fraction,
             gpointer user_data)
{
  AsyncState *state = user_data;

  /* Delivered on the caller's main context, in order. */
  g_assert_true (g_thread_self () == state->main_thread);
  g_assert_cmpfloat (fraction, >=, state->last_fraction);
  g_assert_cmpfloat (fraction, <=, 1.0);
  state->last_fraction = fraction;
  state->n_progress++;

  if (state->cancel_at > 0 && fraction >= state->cancel_at)
    g_cancellable_cancel (state->cancellable);
}

static void
on_check_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncState *state = user_data;

  state->report = pdm_import_check_finish (PDM_REPOSITORY (source), result, &state->error);
  state->ok = state->report != NULL;
  state->done = TRUE;
}

static void
on_apply_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncState *state = user_data;

  state->ok = pdm_import_apply_finish (PDM_REPOSITORY (source), result, &state->report,
                                       &state->error);
  state->done = TRUE;
}

static gboolean
is_done (gpointer user_data)
{
  return ((AsyncState *) user_data)->done;
}

/* A PC whose clock is far behind, as with a dead CMOS battery. */
static gint64
stuck_clock (gpointer user_data)
{
  return 1000;
}

static void
test_async_check_and_apply (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GBytes) csv = generated_csv (300, 4, 0);
  g_auto(AsyncState) check_state = { g_thread_self (), };
  g_auto(AsyncState) apply_state = { g_thread_self (), };
  g_autoptr(PdmRecord) household = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *newest = NULL;

  pdm_import_check_async (fixture->repository, csv, on_progress, &check_state, NULL, NULL,
                          on_check_done, &check_state);
  g_assert_true (pdm_test_wait_for (NULL, is_done, &check_state, 20000));
  g_assert_no_error (check_state.error);
  assert_counts (check_state.report, 300, 0, 0, 1200, 0, 0);
  g_assert_cmpuint (check_state.n_progress, >, 10);
  g_assert_cmpfloat (check_state.last_fraction, ==, 1.0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM person"), ==, 0);

  pdm_hlc_set_clock_func (pdm_repository_get_hlc (fixture->repository), stuck_clock, NULL);
  pdm_import_apply_async (fixture->repository, csv, on_progress, &apply_state, NULL, NULL,
                          on_apply_done, &apply_state);
  g_assert_true (pdm_test_wait_for (NULL, is_done, &apply_state, 20000));
  g_assert_no_error (apply_state.error);
  g_assert_true (apply_state.ok);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM person"), ==, 1200);

  /* This connection's next write comes after everything the worker
   * stamped, though it never saw those writes and its clock is behind. */
  id = query_text (fixture, "SELECT id FROM household ORDER BY id LIMIT 1");
  household = pdm_repository_get (fixture->repository, PDM_TABLE_HOUSEHOLD, id, &error);
  pdm_record_set (household, "notes", "dikunjungi");
  g_assert_true (pdm_repository_update (fixture->repository, household, NULL, &error));
  g_assert_no_error (error);
  newest = query_text (fixture, "SELECT row_id FROM outbox ORDER BY hlc DESC LIMIT 1");
  g_assert_cmpstr (newest, ==, id);
}

static void
test_cancel_writes_nothing (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GBytes) csv = generated_csv (500, 4, 0);
  g_auto(AsyncState) state = { g_thread_self (), };

  state.cancellable = g_cancellable_new ();
  state.cancel_at = 0.4;
  pdm_import_apply_async (fixture->repository, csv, on_progress, &state, NULL,
                          state.cancellable, on_apply_done, &state);
  g_assert_true (pdm_test_wait_for (NULL, is_done, &state, 20000));

  g_assert_false (state.ok);
  g_assert_error (state.error, PDM_ERROR, PDM_ERROR_CANCELLED);
  g_assert_cmpfloat (state.last_fraction, <, 1.0);
  assert_nothing_written (fixture);
}

static void
on_export_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  AsyncState *state = user_data;

  state->ok = pdm_export_dtsen_csv_finish (PDM_DATABASE (source), result, &state->error);
  state->done = TRUE;
}

static void
test_export_to_file (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GBytes) csv = sample_csv ();
  g_autoptr(PdmImportReport) report = apply (fixture, csv);
  g_autofree char *path = g_build_filename (fixture->dir, "ekspor.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(AsyncState) state = { g_thread_self (), };
  g_autofree char *contents = NULL;
  gsize len = 0;

  pdm_export_dtsen_csv_async (fixture->database, "13.75.02.1006", ';', file, NULL,
                              on_export_done, &state);
  g_assert_true (pdm_test_wait_for (NULL, is_done, &state, 10000));
  g_assert_no_error (state.error);
  g_assert_true (state.ok);

  expected = pdm_export_dtsen_csv (fixture->database, "13.75.02.1006", ';', NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, len, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
  g_assert_nonnull (strstr (contents, "Masrizal"));
  g_assert_null (strstr (contents, "Arman"));
}

/* The child of the crash test: applies the file and says when it is half
 * written, then goes on until the parent kills it. */
static void
on_child_progress (double   fraction,
                   gpointer user_data)
{
  gboolean *told = user_data;

  if (!*told && fraction >= 0.5)
    {
      *told = TRUE;
      fputs ("half\n", stdout);
      fflush (stdout);
    }
}

static int
run_crash_child (const char *db_path,
                 const char *csv_path)
{
  g_autoptr(PdmDatabase) database = NULL;
  g_autoptr(PdmRepository) repository = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gboolean told = FALSE;
  gsize len = 0;

  if (!g_file_get_contents (csv_path, &contents, &len, &error) ||
      (database = pdm_database_open (db_path, &error)) == NULL ||
      (repository = pdm_repository_new (database, &error)) == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  csv = g_bytes_new_take (g_steal_pointer (&contents), len);

  if (!pdm_import_apply (repository, csv, NULL, on_child_progress, &told, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  fputs ("done\n", stdout);

  return 0;
}

static void
test_kill_mid_apply (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GBytes) csv = generated_csv (5000, 4, 0);
  g_autofree char *csv_path = g_build_filename (fixture->dir, "dtsen.csv", NULL);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) output = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *integrity = NULL;
  gint64 households, persons;

  g_file_set_contents (csv_path, g_bytes_get_data (csv, NULL), g_bytes_get_size (csv), &error);
  g_assert_no_error (error);

  /* As if the app were killed: its connection is gone too. */
  pdm_test_replica_close (fixture);
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                            self_path, "--crash-child", fixture->path, csv_path, NULL);
  g_assert_no_error (error);
  output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  line = g_data_input_stream_read_line_utf8 (output, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "half");

  g_subprocess_force_exit (child);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  /* The child may just have committed before the signal landed. */
  if (g_subprocess_get_if_signaled (child))
    g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);
  else
    g_assert_cmpint (g_subprocess_get_exit_status (child), ==, 0);

  pdm_test_replica_open (fixture);
  integrity = query_text (fixture, "PRAGMA integrity_check");
  g_assert_cmpstr (integrity, ==, "ok");
  households = count (fixture, "SELECT count(*) FROM household");
  persons = count (fixture, "SELECT count(*) FROM person");
  g_test_message ("after the kill: %" G_GINT64_FORMAT " households, %" G_GINT64_FORMAT
                  " persons", households, persons);
  /* All of the import or none of it, never part. */
  g_assert_true ((households == 0 && persons == 0) || (households == 5000 && persons == 20000));
  g_assert_cmpint (pdm_repository_count_outbox (fixture->repository), ==, households + persons);

  /* The file takes writes again. */
  {
    g_autoptr(PdmRecord) household = pdm_record_new (PDM_TABLE_HOUSEHOLD);

    pdm_record_set (household, "kk_number", "1375020101250009");
    g_assert_true (pdm_repository_insert (fixture->repository, household, &error));
    g_assert_no_error (error);
  }
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && g_str_equal (argv[1], "--crash-child"))
    return run_crash_child (argv[2], argv[3]);

  self_path = g_canonicalize_filename (argv[0], NULL);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, pdm_test_replica_set_up, func, \
              pdm_test_replica_tear_down)

  ADD ("/import/check-writes-nothing", test_check_writes_nothing);
  ADD ("/import/apply-writes-all", test_apply_writes_all);
  ADD ("/import/separators", test_separators);
  ADD ("/import/bom-crlf-windows-1252", test_bom_crlf_windows_1252);
  ADD ("/import/quoted-fields", test_quoted_fields);
  ADD ("/import/header-aliases-and-order", test_header_aliases_and_order);
  ADD ("/import/date-forms", test_date_forms);
  ADD ("/import/excel-mangled-numbers", test_excel_mangled_numbers);
  ADD ("/import/old-kelurahan-spellings", test_old_kelurahan_spellings);
  ADD ("/import/unknown-kelurahan", test_unknown_kelurahan);
  ADD ("/import/file-problems", test_file_problems);
  ADD ("/import/warnings-do-not-block", test_warnings_do_not_block);
  ADD ("/import/reimport-updates-in-place", test_reimport_updates_in_place);
  ADD ("/import/bad-row-imports-nothing", test_bad_row_imports_nothing);
  ADD ("/import/export-round-trip", test_export_round_trip);
  ADD ("/import/export-to-file", test_export_to_file);
  ADD ("/import/template-is-the-layout", test_template_is_the_layout);
  ADD ("/import/async-check-and-apply", test_async_check_and_apply);
  ADD ("/import/cancel-writes-nothing", test_cancel_writes_nothing);
  ADD ("/import/kill-mid-apply", test_kill_mid_apply);
  g_test_add_func ("/import/problem-text", test_problem_text);

#undef ADD

  return g_test_run ();
}
