/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-validate"

#include "config.h"

#include <string.h>

#include "pdm-error.h"
#include "pdm-validate.h"

/* Kecamatan Mandiangin Koto Selayan, Kota Bukittinggi. */
#define MKS "137502"

/* The operator must be told which field is wrong, whatever else it says. */
static void
assert_field_error (const GError *error,
                    const char   *field)
{
  g_assert_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD);
  if (strstr (error->message, field) == NULL)
    g_error ("“%s” does not name the field %s", error->message, field);
}

static void
assert_message_has (const GError *error,
                    const char   *text)
{
  g_assert_nonnull (error);
  if (strstr (error->message, text) == NULL)
    g_error ("“%s” does not say “%s”", error->message, text);
}

static GHashTable *
new_bukittinggi_prefixes (void)
{
  return pdm_validate_new_prefix_set ((const char *[]) { "13.75.01", MKS, "13.75.03", NULL });
}

static void
assert_nik_date (const char *nik,
                 guint       day,
                 guint       month,
                 guint       year,
                 PdmSex      sex)
{
  g_autoptr(GError) error = NULL;
  PdmNikInfo info;

  g_assert_true (pdm_nik_parse (nik, &info, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_date_get_day (&info.birth_date), ==, day);
  g_assert_cmpuint (g_date_get_month (&info.birth_date), ==, month);
  g_assert_cmpuint (g_date_get_year (&info.birth_date), ==, year);
  g_assert_cmpint (info.sex, ==, sex);
}

static void
assert_nik_refused (const char *nik,
                    const char *reason)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (pdm_nik_parse (nik, NULL, &error));
  assert_field_error (error, "NIK");
  assert_message_has (error, reason);
}

static void
test_sex_from_string (void)
{
  const char *male[] = { "L", "l", "Laki-laki", "LAKI-LAKI", "male", "Male", "M", " m " };
  const char *female[] = { "P", "p", "Perempuan", "PEREMPUAN", "female", "F", "f", "\tP\n" };

  for (gsize i = 0; i < G_N_ELEMENTS (male); i++)
    g_assert_cmpint (pdm_sex_from_string (male[i]), ==, PDM_SEX_MALE);
  for (gsize i = 0; i < G_N_ELEMENTS (female); i++)
    g_assert_cmpint (pdm_sex_from_string (female[i]), ==, PDM_SEX_FEMALE);

  g_assert_cmpint (pdm_sex_from_string (""), ==, PDM_SEX_UNKNOWN);
  g_assert_cmpint (pdm_sex_from_string ("X"), ==, PDM_SEX_UNKNOWN);
  g_assert_cmpint (pdm_sex_from_string ("Laki"), ==, PDM_SEX_UNKNOWN);
  g_assert_cmpint (pdm_sex_from_string (NULL), ==, PDM_SEX_UNKNOWN);

  g_assert_cmpstr (pdm_sex_to_code (PDM_SEX_MALE), ==, "L");
  g_assert_cmpstr (pdm_sex_to_code (PDM_SEX_FEMALE), ==, "P");
  g_assert_null (pdm_sex_to_code (PDM_SEX_UNKNOWN));
}

static void
test_nik_parse (void)
{
  g_autoptr(GError) error = NULL;
  PdmNikInfo info;

  g_assert_true (pdm_nik_parse (MKS "1708750123", &info, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (info.region_code, ==, MKS);
  g_assert_cmpint (info.sex, ==, PDM_SEX_MALE);
  g_assert_cmpuint (info.serial, ==, 123);
}

static void
test_nik_female_day_offset (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDate) birth = g_date_new_dmy (5, G_DATE_MARCH, 1990);

  /* Born 5 March 1990: the NIK says 45 */
  assert_nik_date (MKS "4503900002", 5, 3, 1990, PDM_SEX_FEMALE);
  /* The last day a woman's NIK can hold */
  assert_nik_date (MKS "7112990001", 31, 12, 1999, PDM_SEX_FEMALE);

  g_assert_true (pdm_validate_nik (MKS "4503900002", birth, PDM_SEX_FEMALE, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_nik_leap_day (void)
{
  /* 2000 is a leap year although 1900 was not; the NIK reads 00 as 2000 */
  assert_nik_date (MKS "2902000003", 29, 2, 2000, PDM_SEX_MALE);
  assert_nik_date (MKS "6902240004", 29, 2, 2024, PDM_SEX_FEMALE);
  assert_nik_date (MKS "2902880001", 29, 2, 1988, PDM_SEX_MALE);

  assert_nik_refused (MKS "2902230005", "29/02/23");
  assert_nik_refused (MKS "6902230005", "69/02/23");
  assert_nik_refused (MKS "3102990006", "31/02/99");
}

static void
test_nik_impossible_date (void)
{
  /* Too late for a man, too early for a woman */
  assert_nik_refused (MKS "3501990001", "35/01/99");
  assert_nik_refused (MKS "4001990001", "40/01/99");
  /* Too late for a woman */
  assert_nik_refused (MKS "7201990001", "72/01/99");
  assert_nik_refused (MKS "0001990001", "00/01/99");
  assert_nik_refused (MKS "1513990001", "15/13/99");
  assert_nik_refused (MKS "1500990001", "15/00/99");
}

static void
test_nik_before_2000 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDate) birth = g_date_new_dmy (17, G_DATE_AUGUST, 1975);

  assert_nik_date (MKS "1708750001", 17, 8, 1975, PDM_SEX_MALE);
  g_assert_true (pdm_validate_nik (MKS "1708750001", birth, PDM_SEX_MALE, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_nik_century (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  guint this_year = (guint) g_date_time_get_year (now);
  guint yy = this_year % 100;
  g_autofree char *born_this_year = g_strdup_printf (MKS "0101%02u0001", yy);
  g_autofree char *born_last_century = g_strdup_printf (MKS "0101%02u0001", yy + 1);

  assert_nik_date (born_this_year, 1, 1, this_year, PDM_SEX_MALE);

  if (yy == 99)
    {
      g_test_skip ("next year’s two digits wrap to 00");
      return;
    }
  assert_nik_date (born_last_century, 1, 1, this_year - 99, PDM_SEX_MALE);
}

static void
test_nik_centenarian (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDate) birth = g_date_new_dmy (12, G_DATE_MAY, 1920);

  /* The NIK reads 20 as 2020, but cannot refuse a woman of 1920 for that */
  g_assert_true (pdm_validate_nik (MKS "5205200001", birth, PDM_SEX_FEMALE, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_nik_wrong_sex (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (pdm_validate_nik (MKS "4503900002", NULL, PDM_SEX_MALE, NULL, NULL, &error));
  assert_field_error (error, "NIK");
  assert_message_has (error, MKS "4503900002");
  assert_message_has (error, "Laki-laki");
  g_clear_error (&error);

  g_assert_false (pdm_validate_nik (MKS "1708750001", NULL, PDM_SEX_FEMALE, NULL, NULL, &error));
  assert_field_error (error, "NIK");
  assert_message_has (error, "Perempuan");
  g_clear_error (&error);

  /* An unknown sex is not a contradiction */
  g_assert_true (pdm_validate_nik (MKS "4503900002", NULL, PDM_SEX_UNKNOWN, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_nik_wrong_birth_date (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDate) next_day = g_date_new_dmy (18, G_DATE_AUGUST, 1975);
  g_autoptr(GDate) other_year = g_date_new_dmy (5, G_DATE_MARCH, 1991);

  g_assert_false (pdm_validate_nik (MKS "1708750001", next_day, PDM_SEX_MALE, NULL, NULL, &error));
  assert_field_error (error, "NIK");
  assert_message_has (error, "17/08/1975");
  assert_message_has (error, "18/08/1975");
  g_clear_error (&error);

  /* A woman's date is compared without the 40 */
  g_assert_false (pdm_validate_nik (MKS "4503900002", other_year, PDM_SEX_FEMALE, NULL, NULL,
                                    &error));
  assert_field_error (error, "NIK");
  assert_message_has (error, "05/03/1990");
  assert_message_has (error, "05/03/1991");
}

static void
test_nik_fifteen_digits (void)
{
  g_autoptr(GError) error = NULL;

  /* Excel lost the last digit */
  g_assert_false (pdm_validate_nik (MKS "170875000", NULL, PDM_SEX_UNKNOWN, NULL, NULL, &error));
  assert_field_error (error, "NIK");
  assert_message_has (error, "15 digits");
  g_clear_error (&error);

  assert_nik_refused (MKS "17087500011", "17 digits");
  assert_nik_refused ("", "empty");
}

static void
test_nik_letters (void)
{
  /* A letter O typed for a zero, at the 9th character */
  assert_nik_refused (MKS "17O8750001", "position 9");
  assert_nik_refused (MKS " 1708750001", "position 7");
  assert_nik_refused ("1,37502E+15", "Excel");
  /* Invalid UTF-8 from an unconverted file still gives a readable message */
  assert_nik_refused (MKS "17\xe9" "8750001", "position 9");
}

static void
test_nik_serial_zero (void)
{
  assert_nik_refused (MKS "1708750000", "0000");
}

static void
test_nik_unknown_region (void)
{
  g_autoptr(GHashTable) known = new_bukittinggi_prefixes ();
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  g_assert_true (pdm_validate_nik (MKS "1708750001", NULL, PDM_SEX_MALE, known, warnings, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (warnings->len, ==, 0);

  /* Registered first in Jakarta Pusat: saved, with a word for the operator */
  g_assert_true (pdm_validate_nik ("3171011708750001", NULL, PDM_SEX_MALE, known, warnings,
                                   &error));
  g_assert_no_error (error);
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (warnings, 0), "NIK"));
  g_assert_nonnull (strstr (g_ptr_array_index (warnings, 0), "31.71.01"));

  /* Without a set or an array the region is not judged */
  g_assert_true (pdm_validate_nik ("3171011708750001", NULL, PDM_SEX_MALE, NULL, warnings,
                                   &error));
  g_assert_true (pdm_validate_nik ("3171011708750001", NULL, PDM_SEX_MALE, known, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (warnings->len, ==, 1);
}

static void
test_kk (void)
{
  g_autoptr(GHashTable) known = new_bukittinggi_prefixes ();
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  g_assert_true (pdm_validate_kk ("1375031203150007", known, warnings, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (warnings->len, ==, 0);

  /* Issued in Kabupaten Agam: accepted, with a warning */
  g_assert_true (pdm_validate_kk ("1306052201180003", known, warnings, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (warnings, 0), "KK"));
  g_assert_nonnull (strstr (g_ptr_array_index (warnings, 0), "13.06.05"));

  g_assert_false (pdm_validate_kk ("137503120315000", known, warnings, &error));
  assert_field_error (error, "KK");
  assert_message_has (error, "15 digits");
  g_clear_error (&error);

  g_assert_false (pdm_validate_kk ("1375-0312-0315-0007", known, warnings, &error));
  assert_field_error (error, "KK");
  assert_message_has (error, "position 5");
  g_clear_error (&error);

  g_assert_false (pdm_validate_kk ("", known, warnings, &error));
  assert_field_error (error, "KK");
  g_assert_cmpuint (warnings->len, ==, 1);
}

static void
test_rt_rw_padding (void)
{
  const struct
  {
    const char *typed;
    const char *stored;
  } cases[] = {
    { "3", "003" },
    { "012", "012" },
    { "12", "012" },
    { " 7 ", "007" },
    { "999", "999" },
    { "01", "001" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *stored = pdm_normalize_rt_rw (cases[i].typed, "RT", &error);

      g_assert_no_error (error);
      g_assert_cmpstr (stored, ==, cases[i].stored);
    }
}

static void
test_rt_rw_invalid (void)
{
  const char *refused[] = { "0", "000", "1234", "A1", "1 2", "-1", "", "   " };

  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *stored = pdm_normalize_rt_rw (refused[i], "RW", &error);

      g_assert_null (stored);
      assert_field_error (error, "RW");
    }
}

static void
test_phone_accepted (void)
{
  const struct
  {
    const char *written;
    const char *stored;
  } cases[] = {
    { "081234567890", "081234567890" },
    { "0812-3456-7890", "081234567890" },
    { "0812.3456.789", "08123456789" },
    { "+62 812 3456 7890", "081234567890" },
    { "+6281234567890", "081234567890" },
    { "62 812-3456-7890", "081234567890" },
    { "+62 (0)812 3456 7890", "081234567890" },
    /* Excel dropped the 0 of a number cell */
    { "81234567890", "081234567890" },
    { "0812345678", "0812345678" },
    { "0812345678901", "0812345678901" },
    /* Landlines of Bukittinggi and Jakarta */
    { "(0752) 21234", "075221234" },
    { "0752-625123", "0752625123" },
    { "(021) 1234 5678", "02112345678" },
    { "+62 752 21234", "075221234" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *stored = pdm_normalize_phone (cases[i].written, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (stored, ==, cases[i].stored);
    }
}

static void
test_phone_empty (void)
{
  const char *blank[] = { "", "   ", "\t", " - " };
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (blank); i++)
    {
      g_assert_null (pdm_normalize_phone (blank[i], &error));
      g_assert_no_error (error);
    }

  g_assert_null (pdm_normalize_phone (NULL, &error));
  g_assert_no_error (error);
}

static void
test_phone_refused (void)
{
  const struct
  {
    const char *written;
    const char *reason;
  } cases[] = {
    { "0812", "10 to 13" },
    { "08123456789012", "10 to 13" },
    { "+1 555 123 4567", "Indonesian" },
    { "0062812345678", "Indonesian" },
    { "21234", "Indonesian" },
    { "+", "Indonesian" },
    { "0752 123", "8 to 12" },
    { "0812 3456 789O", "only digits" },
    { "0812/3456/7890", "only digits" },
    { "0812+34567890", "only digits" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *stored = pdm_normalize_phone (cases[i].written, &error);

      g_assert_null (stored);
      assert_field_error (error, "Nomor HP");
      assert_message_has (error, cases[i].reason);
    }
}

static void
test_name_collapsed (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *composed = NULL;

  name = pdm_normalize_name ("  Siti \t Rahmah\n binti\r\n  Ahmad\xc2\xa0 ", "Nama", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "Siti Rahmah binti Ahmad");

  /* e and a combining accent become é, so the same name matches */
  composed = pdm_normalize_name ("Andre\xcc\x81", "Nama", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (composed, ==, "Andr\xc3\xa9");
}

static void
test_name_empty (void)
{
  const char *blank[] = { "", "   ", "\t\n " };

  for (gsize i = 0; i < G_N_ELEMENTS (blank); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *name = pdm_normalize_name (blank[i], "Nama", &error);

      g_assert_null (name);
      assert_field_error (error, "Nama");
      assert_message_has (error, "required");
    }
}

static void
test_name_too_long (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) longest = g_string_new (NULL);
  g_autofree char *accepted = NULL;
  g_autofree char *refused = NULL;

  /* 100 characters of two bytes each: characters count, not bytes */
  for (guint i = 0; i < 100; i++)
    g_string_append (longest, "\xc3\xa9");
  accepted = pdm_normalize_name (longest->str, "Nama", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (accepted, ==, longest->str);

  g_string_append_c (longest, 'a');
  refused = pdm_normalize_name (longest->str, "Nama", &error);
  g_assert_null (refused);
  assert_field_error (error, "Nama");
  assert_message_has (error, "101");
}

static void
test_name_invalid_utf8 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  /* "Nur Aini" with an é saved as Windows-1252 */
  name = pdm_normalize_name ("Nur\xe9 Aini", "Nama", &error);
  g_assert_null (name);
  assert_field_error (error, "Nama");
  assert_message_has (error, "UTF-8");
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

static void
test_prefix_set (void)
{
  g_autoptr(GHashTable) known = new_bukittinggi_prefixes ();
  g_autoptr(GHashTable) empty = pdm_validate_new_prefix_set (NULL);

  g_assert_cmpuint (g_hash_table_size (known), ==, 3);
  g_assert_true (g_hash_table_contains (known, "137501"));
  g_assert_true (g_hash_table_contains (known, MKS));
  g_assert_false (g_hash_table_contains (known, "13.75.01"));
  g_assert_cmpuint (g_hash_table_size (empty), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/validate/sex/from-string", test_sex_from_string);
  g_test_add_func ("/validate/nik/parse", test_nik_parse);
  g_test_add_func ("/validate/nik/female-day-offset", test_nik_female_day_offset);
  g_test_add_func ("/validate/nik/leap-day", test_nik_leap_day);
  g_test_add_func ("/validate/nik/impossible-date", test_nik_impossible_date);
  g_test_add_func ("/validate/nik/before-2000", test_nik_before_2000);
  g_test_add_func ("/validate/nik/century", test_nik_century);
  g_test_add_func ("/validate/nik/centenarian", test_nik_centenarian);
  g_test_add_func ("/validate/nik/wrong-sex", test_nik_wrong_sex);
  g_test_add_func ("/validate/nik/wrong-birth-date", test_nik_wrong_birth_date);
  g_test_add_func ("/validate/nik/fifteen-digits", test_nik_fifteen_digits);
  g_test_add_func ("/validate/nik/letters", test_nik_letters);
  g_test_add_func ("/validate/nik/serial-zero", test_nik_serial_zero);
  g_test_add_func ("/validate/nik/unknown-region", test_nik_unknown_region);
  g_test_add_func ("/validate/kk", test_kk);
  g_test_add_func ("/validate/rt-rw/padding", test_rt_rw_padding);
  g_test_add_func ("/validate/rt-rw/invalid", test_rt_rw_invalid);
  g_test_add_func ("/validate/phone/accepted", test_phone_accepted);
  g_test_add_func ("/validate/phone/empty", test_phone_empty);
  g_test_add_func ("/validate/phone/refused", test_phone_refused);
  g_test_add_func ("/validate/name/collapsed", test_name_collapsed);
  g_test_add_func ("/validate/name/empty", test_name_empty);
  g_test_add_func ("/validate/name/too-long", test_name_too_long);
  g_test_add_func ("/validate/name/invalid-utf8", test_name_invalid_utf8);
  g_test_add_func ("/validate/prefix-set", test_prefix_set);

  return g_test_run ();
}
