/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-csv"

#include "config.h"

#include <string.h>

#include "pdm-csv.h"
#include "pdm-error.h"
#include "pdm-parse.h"

static PdmCsvReader *
open_reader_len (const char *data,
                 gsize       len)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, len);
  g_autoptr(GError) error = NULL;
  PdmCsvReader *reader;

  reader = pdm_csv_reader_new (bytes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reader);

  return reader;
}

static PdmCsvReader *
open_reader (const char *data)
{
  return open_reader_len (data, strlen (data));
}

/* Asserts that opening @data fails with a message that contains @expected. */
static void
assert_open_fails (const char *data,
                   gsize       len,
                   const char *expected)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, len);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdmCsvReader) reader = NULL;

  reader = pdm_csv_reader_new (bytes, &error);
  g_assert_null (reader);
  g_assert_error (error, PDM_ERROR, PDM_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, expected));
}

/* Reads the next row and checks its Excel row number and its cells. */
static void
assert_row (PdmCsvReader       *reader,
            guint               expected_row,
            const char * const *expected)
{
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GError) error = NULL;
  guint row = 0;

  g_assert_true (pdm_csv_reader_read_row (reader, &fields, &row, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (row, ==, expected_row);
  g_assert_cmpuint (fields->len, ==, g_strv_length ((char **) expected));
  for (guint i = 0; i < fields->len; i++)
    g_assert_cmpstr (g_ptr_array_index (fields, i), ==, expected[i]);
}

static void
assert_end (PdmCsvReader *reader)
{
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (pdm_csv_reader_read_row (reader, &fields, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (fields);
}

#define ROW(...) ((const char * const[]) { __VA_ARGS__, NULL })

static void
test_separator_semicolon (void)
{
  g_autoptr(PdmCsvReader) reader =
    open_reader ("NIK;Nama;Alamat\r\n1375014101900001;Siti, Aminah;Jl. Sudirman 5\r\n");

  g_assert_cmpint (pdm_csv_reader_get_separator (reader), ==, ';');
  assert_row (reader, 1, ROW ("NIK", "Nama", "Alamat"));
  assert_row (reader, 2, ROW ("1375014101900001", "Siti, Aminah", "Jl. Sudirman 5"));
  assert_end (reader);
}

static void
test_separator_comma (void)
{
  /* The semicolons of the quoted header cell must not win the count. */
  g_autoptr(PdmCsvReader) reader =
    open_reader ("\"Nama; lengkap; alias\",NIK,Desil\nSiti;Ami,1375014101900001,3\n");

  g_assert_cmpint (pdm_csv_reader_get_separator (reader), ==, ',');
  assert_row (reader, 1, ROW ("Nama; lengkap; alias", "NIK", "Desil"));
  assert_row (reader, 2, ROW ("Siti;Ami", "1375014101900001", "3"));
  assert_end (reader);
}

static void
test_separator_tab (void)
{
  g_autoptr(PdmCsvReader) reader = open_reader ("NIK\tNama\tAlamat, RT\n1\tSiti; Ami\tJl. A, 001\n");

  g_assert_cmpint (pdm_csv_reader_get_separator (reader), ==, '\t');
  assert_row (reader, 1, ROW ("NIK", "Nama", "Alamat, RT"));
  assert_row (reader, 2, ROW ("1", "Siti; Ami", "Jl. A, 001"));
}

static void
test_separator_hint (void)
{
  /* Excel hides the "sep=" line, so the header is still row 1. */
  g_autoptr(PdmCsvReader) reader = open_reader ("sep=,\r\nNama;Alias,Desil\r\nSiti;Ami,3\r\n");

  g_assert_cmpint (pdm_csv_reader_get_separator (reader), ==, ',');
  assert_row (reader, 1, ROW ("Nama;Alias", "Desil"));
  assert_row (reader, 2, ROW ("Siti;Ami", "3"));
}

static void
test_encoding_bom (void)
{
  g_autoptr(PdmCsvReader) reader =
    open_reader ("\xEF\xBB\xBFNo. KK;Nama\r\n1375010101010001;Jos\xC3\xA9\r\n");

  assert_row (reader, 1, ROW ("No. KK", "Nama"));
  assert_row (reader, 2, ROW ("1375010101010001", "José"));
}

static void
test_encoding_windows_1252 (void)
{
  g_autoptr(PdmCsvReader) reader =
    open_reader ("Nama;Alamat;Catatan\r\nJos\xE9;Jl. Sudirman N\xBA 5;Jum\x92" "at \x93pagi\x94\r\n");

  assert_row (reader, 1, ROW ("Nama", "Alamat", "Catatan"));
  assert_row (reader, 2, ROW ("José", "Jl. Sudirman Nº 5", "Jum’at “pagi”"));
}

static void
test_encoding_undefined_byte (void)
{
  const char data[] = "Nama;Desil\r\nSiti;3\r\nAmi\x81;4\r\n";

  assert_open_fails (data, sizeof data - 1, "Line 3 has the byte 0x81");
}

static void
test_encoding_damaged_utf8 (void)
{
  /* Reading this as Windows-1252 would turn José into JosÃ©. */
  const char data[] = "Nama\nJos\xC3\xA9\nBudi\nRen\xE9\n";

  assert_open_fails (data, sizeof data - 1, "except on line 4");
}

static void
test_encoding_utf16 (void)
{
  /* Excel's "Unicode Text": UTF-16LE with a BOM, separated by tabs. */
  const char *text = "NIK\tNama\r\n1375014101900001\tJos\xC3\xA9\r\n";
  g_autofree char *utf16 = NULL;
  g_autoptr(GString) data = g_string_new ("\xFF\xFE");
  g_autoptr(PdmCsvReader) reader = NULL;
  gsize written = 0;

  utf16 = g_convert (text, -1, "UTF-16LE", "UTF-8", NULL, &written, NULL);
  g_assert_nonnull (utf16);
  g_string_append_len (data, utf16, (gssize) written);

  reader = open_reader_len (data->str, data->len);
  g_assert_cmpint (pdm_csv_reader_get_separator (reader), ==, '\t');
  assert_row (reader, 1, ROW ("NIK", "Nama"));
  assert_row (reader, 2, ROW ("1375014101900001", "José"));
  assert_end (reader);
}

static void
test_empty_file (void)
{
  assert_open_fails ("", 0, "The file is empty");
  assert_open_fails ("\xEF\xBB\xBF", 3, "The file is empty");
  assert_open_fails ("\r\n\r\n", 4, "The file is empty");
}

static void
test_binary_file (void)
{
  const char data[] = "PK\x03\x04\x14\0\x06\0";

  assert_open_fails (data, sizeof data - 1, "not CSV text");
}

static void
test_line_ends_crlf (void)
{
  g_autoptr(PdmCsvReader) reader = open_reader ("A;B\r\n1;2\r\n3;\r\n");

  assert_row (reader, 1, ROW ("A", "B"));
  assert_row (reader, 2, ROW ("1", "2"));
  assert_row (reader, 3, ROW ("3", ""));
  assert_end (reader);
}

static void
test_line_ends_mixed (void)
{
  /* LF, a lone CR (Excel for Mac) and a last line without a line end. */
  g_autoptr(PdmCsvReader) reader = open_reader ("A;B\n1;2\r3;4\r\n5;6");

  assert_row (reader, 1, ROW ("A", "B"));
  assert_row (reader, 2, ROW ("1", "2"));
  assert_row (reader, 3, ROW ("3", "4"));
  assert_row (reader, 4, ROW ("5", "6"));
  assert_end (reader);
}

static void
test_quotes_separator (void)
{
  g_autoptr(PdmCsvReader) reader =
    open_reader ("Alamat;RT\r\n\"Jl. Sudirman; No. 5\";\"001\"\r\n");

  assert_row (reader, 1, ROW ("Alamat", "RT"));
  assert_row (reader, 2, ROW ("Jl. Sudirman; No. 5", "001"));
}

static void
test_quotes_doubled (void)
{
  g_autoptr(PdmCsvReader) reader =
    open_reader ("Catatan;X\r\n\"Kata ibu \"\"pindah\"\"\";\"\"\"\"\r\n");

  assert_row (reader, 1, ROW ("Catatan", "X"));
  assert_row (reader, 2, ROW ("Kata ibu \"pindah\"", "\""));
}

static void
test_quotes_newline (void)
{
  /* Excel shows a cell with line breaks in one row: the next record is the
   * next row, whatever the number of lines in the file. */
  g_autoptr(PdmCsvReader) reader =
    open_reader ("Nama;Alamat\r\n"
                 "Siti;\"Jl. Sudirman 5\r\nRT 001\nRW 002\rKel. Birugo\"\r\n"
                 "Ami;Jl. Soekarno-Hatta\r\n");

  assert_row (reader, 1, ROW ("Nama", "Alamat"));
  assert_row (reader, 2, ROW ("Siti", "Jl. Sudirman 5\nRT 001\nRW 002\nKel. Birugo"));
  assert_row (reader, 3, ROW ("Ami", "Jl. Soekarno-Hatta"));
  assert_end (reader);
}

static void
test_quotes_unterminated (void)
{
  g_autoptr(PdmCsvReader) reader =
    open_reader ("Nama;Alamat\r\nSiti;Jl. A\r\n\r\nAmi;\"Jl. B\r\nBudi;Jl. C\r\n");
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GError) error = NULL;

  assert_row (reader, 1, ROW ("Nama", "Alamat"));
  assert_row (reader, 2, ROW ("Siti", "Jl. A"));

  g_assert_false (pdm_csv_reader_read_row (reader, &fields, NULL, &error));
  g_assert_error (error, PDM_ERROR, PDM_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "Row 4 "));
  g_assert_null (fields);
}

static void
test_blank_lines (void)
{
  g_autoptr(PdmCsvReader) reader = open_reader ("Nama;Desil\r\n\r\nSiti;1\n\n\r\nAmi;2\r\n\r\n");

  assert_row (reader, 1, ROW ("Nama", "Desil"));
  assert_row (reader, 3, ROW ("Siti", "1"));
  assert_row (reader, 6, ROW ("Ami", "2"));
  assert_end (reader);
}

static void
test_inner_whitespace_kept (void)
{
  g_autoptr(PdmCsvReader) reader = open_reader ("Nama;Desil\r\n  Siti  Aminah ; 3\r\n");

  assert_row (reader, 1, ROW ("Nama", "Desil"));
  assert_row (reader, 2, ROW ("  Siti  Aminah ", " 3"));
}

static void
test_header_normalize (void)
{
  static const struct {
    const char *header;
    const char *normalized;
  } cases[] = {
    { "No. KK", "nokk" },
    { "NO_KK", "nokk" },
    { "nokk", "nokk" },
    { " No-KK: ", "nokk" },
    { "\xEF\xBB\xBFNIK", "nik" },
    { "\xC3\xAF\xC2\xBB\xC2\xBFNIK", "nik" },
    { "Tgl. Lahir (DD/MM/YYYY)", "tgllahirddmmyyyy" },
    { "ＮＩＫ", "nik" },
    { "...", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *normalized = pdm_csv_normalize_header (cases[i].header);

      g_assert_cmpstr (normalized, ==, cases[i].normalized);
    }
}

static void
test_header_find_column (void)
{
  g_autoptr(PdmCsvReader) reader =
    open_reader ("\xEF\xBB\xBFNama Kepala;-;NO_KK;N.I.K;Desil\r\n");
  g_autoptr(GPtrArray) header = NULL;
  g_autoptr(GError) error = NULL;
  static const char * const kk[] = { "Nomor KK", "No. KK", NULL };
  static const char * const nik[] = { "NIK", NULL };
  static const char * const dash[] = { "-", NULL };
  static const char * const phone[] = { "No. HP", "Telepon", NULL };

  g_assert_true (pdm_csv_reader_read_row (reader, &header, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (pdm_csv_find_column (header, kk), ==, 2);
  g_assert_cmpint (pdm_csv_find_column (header, nik), ==, 3);
  g_assert_cmpint (pdm_csv_find_column (header, dash), ==, -1);
  g_assert_cmpint (pdm_csv_find_column (header, phone), ==, -1);
}

static void
test_writer_quoting (void)
{
  const char * const fields[] = { "Siti", "Jl. A; No. 5", " 001", "", NULL, "Kata \"ya\"" };
  g_autoptr(GString) out = g_string_new (NULL);

  pdm_csv_append_bom (out);
  pdm_csv_append_row (out, fields, G_N_ELEMENTS (fields), ';');

  g_assert_cmpstr (out->str, ==,
                   "\xEF\xBB\xBF" "Siti;\"Jl. A; No. 5\";\" 001\";;;\"Kata \"\"ya\"\"\"\r\n");
}

static void
test_writer_round_trip (void)
{
  const char * const header[] = { "NIK", "Nama", "Alamat", "Catatan" };
  const char * const rows[][4] = {
    { "1375014101900001", "José", "Jl. Sudirman; No. 5", "Kata \"pindah\"" },
    { "'1375015202850002", " Siti ", "RT 001\nRW 002", "" },
    { "", "\"", ";", "a\"\"b;\n;c" },
  };
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(PdmCsvReader) reader = NULL;

  pdm_csv_append_bom (out);
  pdm_csv_append_row (out, header, G_N_ELEMENTS (header), ';');
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    pdm_csv_append_row (out, rows[i], G_N_ELEMENTS (rows[i]), ';');

  /* A lone empty cell must not turn into a blank line, which is skipped. */
  pdm_csv_append_row (out, (const char * const[]) { "" }, 1, ';');
  pdm_csv_append_row (out, (const char * const[]) { "akhir" }, 1, ';');

  reader = open_reader_len (out->str, out->len);
  g_assert_cmpint (pdm_csv_reader_get_separator (reader), ==, ';');
  assert_row (reader, 1, ROW ("NIK", "Nama", "Alamat", "Catatan"));
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    assert_row (reader, i + 2, ROW (rows[i][0], rows[i][1], rows[i][2], rows[i][3]));
  assert_row (reader, 5, ROW (""));
  assert_row (reader, 6, ROW ("akhir"));
  assert_end (reader);
}

static void
assert_date (const char *text,
             guint       day,
             guint       month,
             guint       year)
{
  g_autoptr(GError) error = NULL;
  GDate date;

  g_assert_true (pdm_parse_date (text, &date, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_date_get_day (&date), ==, day);
  g_assert_cmpuint (g_date_get_month (&date), ==, month);
  g_assert_cmpuint (g_date_get_year (&date), ==, year);
}

/* Asserts that @text is refused with a reason that contains @expected. */
static void
assert_date_refused (const char *text,
                     const char *expected)
{
  g_autoptr(GError) error = NULL;
  GDate date;

  g_assert_false (pdm_parse_date (text, &date, &error));
  g_assert_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD);
  g_assert_nonnull (strstr (error->message, expected));
}

static void
test_date_forms (void)
{
  assert_date ("25/11/1975", 25, 11, 1975);
  assert_date ("5/1/1975", 5, 1, 1975);
  assert_date ("05-01-1975", 5, 1, 1975);
  assert_date ("05.01.1975", 5, 1, 1975);
  assert_date ("1975-01-05", 5, 1, 1975);
  assert_date (" 29/02/2024 ", 29, 2, 2024);
}

static void
test_date_refused (void)
{
  assert_date_refused ("25/11/75", "could be 1975 or 2075");
  assert_date_refused ("31/04/2025", "has 30 days");
  assert_date_refused ("29/02/2023", "has 28 days");
  assert_date_refused ("00/01/2023", "has 31 days");
  assert_date_refused ("11/25/1975", "write the day first");
  assert_date_refused ("01/13/1975", "no month 13");
  assert_date_refused ("25/11-1975", "“25/11-1975” is not a date; write it as DD/MM/YYYY");
  assert_date_refused ("1975/11/25", "YYYY-MM-DD");
  assert_date_refused ("kemarin", "“kemarin” is not a date");
  assert_date_refused ("25 November 1975", "DD.MM.YYYY");
  assert_date_refused ("27723", "Excel counts days");
  assert_date_refused ("", "empty");
}

static void
assert_id_refused (const char *text,
                   const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *digits = NULL;

  g_assert_false (pdm_parse_id_number (text, 16, &digits, &error));
  g_assert_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD);
  g_assert_nonnull (strstr (error->message, expected));
  g_assert_null (digits);
}

static void
test_id_accepted (void)
{
  static const char * const accepted[] = {
    "1375014101900001",
    "'1375014101900001",
    " 1375 0141 0190 0001 ",
    "1375\xC2\xA0" "014101900001",
  };

  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *digits = NULL;

      g_assert_true (pdm_parse_id_number (accepted[i], 16, &digits, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (digits, ==, "1375014101900001");
    }
}

static void
test_id_excel_scientific (void)
{
  g_assert_true (pdm_parse_is_excel_scientific ("1,37501E+15"));
  g_assert_true (pdm_parse_is_excel_scientific ("1.37501E+15"));
  g_assert_true (pdm_parse_is_excel_scientific ("1,37501E15"));
  g_assert_true (pdm_parse_is_excel_scientific ("1.375012345678E+15"));
  g_assert_true (pdm_parse_is_excel_scientific ("'1,37501e+15 "));
  g_assert_false (pdm_parse_is_excel_scientific ("1375014101900001"));
  g_assert_false (pdm_parse_is_excel_scientific ("E+15"));
  g_assert_false (pdm_parse_is_excel_scientific ("1,37501E+"));
  g_assert_false (pdm_parse_is_excel_scientific ("1,37501E+15x"));

  assert_id_refused ("1,37501E+15",
                     "Excel turned this number into 1,37501E+15 and its last digits are lost; "
                     "format the column as Text and export again");
  assert_id_refused ("1.37501E+15", "into 1.37501E+15");
  assert_id_refused ("1,37501E15", "into 1,37501E15");
  assert_id_refused ("1.375012345678E+15", "into 1.375012345678E+15");
}

static void
test_id_refused (void)
{
  assert_id_refused ("137501410190001", "“137501410190001” has 15 digits instead of 16");
  assert_id_refused ("13750141019000012", "has 17 digits instead of 16");
  assert_id_refused ("1375014101900001.0", "decimal or thousands separator");
  assert_id_refused ("1.375.014.101.900.001", "decimal or thousands separator");
  assert_id_refused ("13750141O19OOOO1", "not digits: “O”");
  assert_id_refused ("1375-0141-0190-000l", "not digits: “-”, “l”");
  assert_id_refused ("1375\t0141", "has 8 digits");
  assert_id_refused ("'", "empty");
}

static void
test_int_in_range (void)
{
  static const struct {
    const char *text;
    const char *expected;
  } refused[] = {
    { "0", "0 is outside the range from 1 to 10" },
    { "11", "11 is outside the range from 1 to 10" },
    { "lima", "“lima” is not a whole number from 1 to 10" },
    { "5.0", "“5.0” is not a whole number" },
    { "", "empty" },
  };
  int value = 0;

  g_assert_true (pdm_parse_int_in_range ("5", 1, 10, &value, NULL));
  g_assert_cmpint (value, ==, 5);
  g_assert_true (pdm_parse_int_in_range (" 10 ", 1, 10, &value, NULL));
  g_assert_cmpint (value, ==, 10);
  g_assert_true (pdm_parse_int_in_range ("1", 1, 10, &value, NULL));
  g_assert_cmpint (value, ==, 1);

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;

      value = 42;
      g_assert_false (pdm_parse_int_in_range (refused[i].text, 1, 10, &value, &error));
      g_assert_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD);
      g_assert_nonnull (strstr (error->message, refused[i].expected));
      g_assert_cmpint (value, ==, 42);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/csv/separator/semicolon", test_separator_semicolon);
  g_test_add_func ("/csv/separator/comma", test_separator_comma);
  g_test_add_func ("/csv/separator/tab", test_separator_tab);
  g_test_add_func ("/csv/separator/sep-line", test_separator_hint);
  g_test_add_func ("/csv/encoding/bom", test_encoding_bom);
  g_test_add_func ("/csv/encoding/windows-1252", test_encoding_windows_1252);
  g_test_add_func ("/csv/encoding/undefined-byte", test_encoding_undefined_byte);
  g_test_add_func ("/csv/encoding/damaged-utf8", test_encoding_damaged_utf8);
  g_test_add_func ("/csv/encoding/utf16", test_encoding_utf16);
  g_test_add_func ("/csv/refuse/empty", test_empty_file);
  g_test_add_func ("/csv/refuse/binary", test_binary_file);
  g_test_add_func ("/csv/line-ends/crlf", test_line_ends_crlf);
  g_test_add_func ("/csv/line-ends/mixed", test_line_ends_mixed);
  g_test_add_func ("/csv/quotes/separator", test_quotes_separator);
  g_test_add_func ("/csv/quotes/doubled", test_quotes_doubled);
  g_test_add_func ("/csv/quotes/newline", test_quotes_newline);
  g_test_add_func ("/csv/quotes/unterminated", test_quotes_unterminated);
  g_test_add_func ("/csv/blank-lines", test_blank_lines);
  g_test_add_func ("/csv/whitespace-kept", test_inner_whitespace_kept);
  g_test_add_func ("/csv/header/normalize", test_header_normalize);
  g_test_add_func ("/csv/header/find-column", test_header_find_column);
  g_test_add_func ("/csv/writer/quoting", test_writer_quoting);
  g_test_add_func ("/csv/writer/round-trip", test_writer_round_trip);
  g_test_add_func ("/csv/parse/date/forms", test_date_forms);
  g_test_add_func ("/csv/parse/date/refused", test_date_refused);
  g_test_add_func ("/csv/parse/id/accepted", test_id_accepted);
  g_test_add_func ("/csv/parse/id/excel-scientific", test_id_excel_scientific);
  g_test_add_func ("/csv/parse/id/refused", test_id_refused);
  g_test_add_func ("/csv/parse/int-in-range", test_int_in_range);

  return g_test_run ();
}
