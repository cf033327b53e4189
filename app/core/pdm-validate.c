/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-validate"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "pdm-error.h"
#include "pdm-parse.h"
#include "pdm-validate.h"

#define ID_NUMBER_DIGITS      16
#define REGION_CODE_DIGITS    6
#define NIK_FEMALE_DAY_OFFSET 40
#define RT_RW_MAX_DIGITS      3
#define NAME_MAX_CHARS        100
/* "DD/MM/YYYY" and its NUL */
#define DATE_TEXT_SIZE        11

static gboolean
is_ascii_digits (const char *text,
                 gsize       len)
{
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
    }

  return TRUE;
}

static guint
digits_value (const char *digits,
              gsize       len)
{
  guint value = 0;

  for (gsize i = 0; i < len; i++)
    value = value * 10 + (guint) (digits[i] - '0');

  return value;
}

/* Values are quoted back in messages as they came; an unconverted
 * Windows-1252 cell must not make the message itself invalid UTF-8. */
static char *
to_display (const char *value)
{
  return g_utf8_make_valid (value, -1);
}

static void
format_date (const GDate *date,
             char         buffer[DATE_TEXT_SIZE])
{
  g_snprintf (buffer, DATE_TEXT_SIZE, "%02u/%02u/%04u",
              (guint) g_date_get_day (date),
              (guint) g_date_get_month (date),
              (guint) g_date_get_year (date));
}

/**
 * pdm_sex_from_string:
 * @text: (nullable): a spreadsheet cell or a typed value
 *
 * Reads L/P, Laki-laki/Perempuan, male/female or M/F in any case, with
 * surrounding spaces.
 *
 * Returns: the sex, or %PDM_SEX_UNKNOWN for anything else, blank or %NULL
 */
PdmSex
pdm_sex_from_string (const char *text)
{
  static const struct
  {
    const char *word;
    PdmSex      sex;
  } words[] = {
    { "L", PDM_SEX_MALE },
    { "Laki-laki", PDM_SEX_MALE },
    { "male", PDM_SEX_MALE },
    { "M", PDM_SEX_MALE },
    { "P", PDM_SEX_FEMALE },
    { "Perempuan", PDM_SEX_FEMALE },
    { "female", PDM_SEX_FEMALE },
    { "F", PDM_SEX_FEMALE },
  };
  g_autofree char *trimmed = NULL;

  if (text == NULL)
    return PDM_SEX_UNKNOWN;

  trimmed = g_strstrip (g_strdup (text));
  for (gsize i = 0; i < G_N_ELEMENTS (words); i++)
    {
      if (g_ascii_strcasecmp (trimmed, words[i].word) == 0)
        return words[i].sex;
    }

  return PDM_SEX_UNKNOWN;
}

/**
 * pdm_sex_to_code:
 * @sex: a #PdmSex
 *
 * Returns: (nullable): "L" or "P" as Indonesian records write it, or %NULL
 *   for %PDM_SEX_UNKNOWN
 */
const char *
pdm_sex_to_code (PdmSex sex)
{
  switch (sex)
    {
    case PDM_SEX_MALE:
      return "L";
    case PDM_SEX_FEMALE:
      return "P";
    case PDM_SEX_UNKNOWN:
    default:
      return NULL;
    }
}

/**
 * pdm_validate_new_prefix_set:
 * @prefixes: (nullable) (array zero-terminated=1): kecamatan codes
 *
 * Builds the set of region prefixes that pdm_validate_nik() and
 * pdm_validate_kk() know. A code may be written "137502" or, as the region
 * table has it, "13.75.02".
 *
 * Returns: (transfer full): a set of 6-digit strings
 */
GHashTable *
pdm_validate_new_prefix_set (const char * const *prefixes)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (gsize i = 0; prefixes != NULL && prefixes[i] != NULL; i++)
    {
      GString *code = g_string_new (NULL);

      for (const char *p = prefixes[i]; *p != '\0'; p++)
        {
          if (*p != '.')
            g_string_append_c (code, *p);
        }

      if (code->len != REGION_CODE_DIGITS || !is_ascii_digits (code->str, code->len))
        {
          g_critical ("%s: “%s” is not a 6-digit kecamatan code", G_STRFUNC, prefixes[i]);
          g_string_free (code, TRUE);
          continue;
        }

      g_hash_table_add (set, g_string_free (code, FALSE));
    }

  return set;
}

/* NIK and KK share their shape: exactly 16 ASCII digits. @field is the
 * Indonesian word the operators know; it stays as it is in every language. */
static gboolean
check_id_number (const char  *value,
                 const char  *field,
                 GError     **error)
{
  g_autofree char *shown = NULL;
  gsize len = strlen (value);
  guint position = 1;

  if (len == 0)
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                   /* Translators: %s is NIK or KK, which stay untranslated */
                   _("%s is empty; it must have 16 digits"),
                   field);
      return FALSE;
    }

  if (is_ascii_digits (value, len))
    {
      if (len == ID_NUMBER_DIGITS)
        return TRUE;

      g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                   /* Translators: the first %s is NIK or KK, the second the number */
                   ngettext ("%s “%s” has %u digit; it must have 16",
                             "%s “%s” has %u digits; it must have 16",
                             len),
                   field, value, (guint) len);
      return FALSE;
    }

  shown = to_display (value);

  /* Excel keeps only the first digits of a number it shows as 1,37501E+15:
   * the number cannot be recovered, it must be exported again. */
  if (pdm_parse_is_excel_scientific (shown))
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                   /* Translators: the first %s is NIK or KK, the second the value */
                   _("%s “%s” was turned into a number by Excel and lost digits; "
                     "format the column as Text and enter the number again"),
                   field, shown);
      return FALSE;
    }

  /* Everything before the culprit is an ASCII digit, so bytes count characters. */
  for (const char *p = shown; g_ascii_isdigit (*p); p++)
    position++;

  g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
               /* Translators: the first %s is NIK or KK, the second the value;
                * %u counts characters from 1, so a space or a letter O is found */
               _("%s “%s” has something other than a digit at position %u; "
                 "only digits are allowed"),
               field, shown, position);
  return FALSE;
}

/* A region missing from the set is worth a look but not a refusal: people
 * keep the NIK of the place where they were first registered. */
static void
warn_unknown_region (const char *value,
                     const char *field,
                     GHashTable *known_region_prefixes,
                     GPtrArray  *warnings)
{
  char region[REGION_CODE_DIGITS + 1];
  g_autofree char *dotted = NULL;

  if (known_region_prefixes == NULL || warnings == NULL)
    return;

  memcpy (region, value, REGION_CODE_DIGITS);
  region[REGION_CODE_DIGITS] = '\0';
  if (g_hash_table_contains (known_region_prefixes, region))
    return;

  /* The region table and the operators write codes as 13.75.02. */
  dotted = g_strdup_printf ("%.2s.%.2s.%.2s", region, region + 2, region + 4);
  g_ptr_array_add (warnings,
                   g_strdup_printf (/* Translators: the first %s is NIK or KK, the
                                     * second the number, the third a region code
                                     * such as 13.75.02 */
                                    _("%s “%s” starts with the region code %s, which "
                                      "Pendamping does not know; check its first six digits"),
                                    field, value, dotted));
}

/**
 * pdm_nik_parse:
 * @nik: the NIK, 16 digits and nothing else
 * @out: (out caller-allocates) (optional): what the NIK says
 * @error: return location for a %PDM_ERROR_INVALID_FIELD
 *
 * Reads a NIK, PPKKCC DDMMYY SSSS: the kecamatan of first registration, the
 * birth date with 40 added to the day for women, and a serial from 0001.
 *
 * The NIK keeps only two digits of the year. A two-digit year greater than
 * this year's is read as 19YY (nobody is born in the future), any other as
 * 20YY. So a person over 100 comes out a century late; pdm_validate_nik()
 * compares only those two digits for that reason.
 *
 * Returns: %TRUE if @nik is well formed
 */
gboolean
pdm_nik_parse (const char  *nik,
               PdmNikInfo  *out,
               GError     **error)
{
  g_autoptr(GDateTime) now = NULL;
  PdmSex sex = PDM_SEX_MALE;
  guint day;
  guint month;
  guint year;
  guint serial;

  g_return_val_if_fail (nik != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_id_number (nik, "NIK", error))
    return FALSE;

  day = digits_value (nik + 6, 2);
  month = digits_value (nik + 8, 2);
  year = digits_value (nik + 10, 2);
  serial = digits_value (nik + 12, 4);

  if (day > NIK_FEMALE_DAY_OFFSET)
    {
      day -= NIK_FEMALE_DAY_OFFSET;
      sex = PDM_SEX_FEMALE;
    }

  now = g_date_time_new_now_local ();
  year += year > (guint) g_date_time_get_year (now) % 100 ? 1900 : 2000;

  if (!g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    {
      g_autofree char *digits = g_strdup_printf ("%.2s/%.2s/%.2s", nik + 6, nik + 8, nik + 10);

      g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                   /* Translators: the first %s is the NIK, the second its digits 7 to
                    * 12 written as DD/MM/YY */
                   _("NIK “%s” holds no real birth date (%s); for women 40 is added to "
                     "the day"),
                   nik, digits);
      return FALSE;
    }

  if (serial == 0)
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                   _("NIK “%s” ends in 0000, a serial number that is never issued"),
                   nik);
      return FALSE;
    }

  if (out != NULL)
    {
      memcpy (out->region_code, nik, REGION_CODE_DIGITS);
      out->region_code[REGION_CODE_DIGITS] = '\0';
      g_date_clear (&out->birth_date, 1);
      g_date_set_dmy (&out->birth_date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
      out->sex = sex;
      out->serial = serial;
    }

  return TRUE;
}

/* The NIK cannot tell 1925 from 2025, so a stated birth year of another
 * century still matches. */
static gboolean
nik_date_matches (const GDate *from_nik,
                  const GDate *stated)
{
  return g_date_get_day (from_nik) == g_date_get_day (stated) &&
         g_date_get_month (from_nik) == g_date_get_month (stated) &&
         g_date_get_year (from_nik) % 100 == g_date_get_year (stated) % 100;
}

/**
 * pdm_validate_nik:
 * @nik: the NIK
 * @birth_date: (nullable): the stated birth date, or %NULL to not compare
 * @sex: the stated sex, or %PDM_SEX_UNKNOWN to not compare
 * @known_region_prefixes: (nullable): a set from pdm_validate_new_prefix_set()
 * @warnings: (nullable) (element-type utf8): receives translated warnings
 * @error: return location for a %PDM_ERROR_INVALID_FIELD
 *
 * Checks @nik as pdm_nik_parse() does, and that it agrees with the stated
 * birth date and sex. A region prefix outside @known_region_prefixes is only
 * a warning.
 *
 * Returns: %TRUE if @nik may be saved
 */
gboolean
pdm_validate_nik (const char   *nik,
                  const GDate  *birth_date,
                  PdmSex        sex,
                  GHashTable   *known_region_prefixes,
                  GPtrArray    *warnings,
                  GError      **error)
{
  PdmNikInfo info;

  g_return_val_if_fail (nik != NULL, FALSE);
  g_return_val_if_fail (birth_date == NULL || g_date_valid (birth_date), FALSE);
  g_return_val_if_fail (sex == PDM_SEX_UNKNOWN || sex == PDM_SEX_MALE || sex == PDM_SEX_FEMALE,
                        FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!pdm_nik_parse (nik, &info, error))
    return FALSE;

  if (birth_date != NULL && !nik_date_matches (&info.birth_date, birth_date))
    {
      char from_nik[DATE_TEXT_SIZE];
      char stated[DATE_TEXT_SIZE];

      format_date (&info.birth_date, from_nik);
      format_date (birth_date, stated);
      g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                   /* Translators: the first %s is the NIK, the others dates as DD/MM/YYYY */
                   _("NIK “%s” holds the birth date %s, but the stated birth date is %s"),
                   nik, from_nik, stated);
      return FALSE;
    }

  if (sex != PDM_SEX_UNKNOWN && sex != info.sex)
    {
      if (info.sex == PDM_SEX_FEMALE)
        g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                     /* Translators: keep “Laki-laki” (male) as the form shows it */
                     _("NIK “%s” is a woman’s (day of birth + 40), but the sex is Laki-laki"),
                     nik);
      else
        g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                     /* Translators: keep “Perempuan” (female) as the form shows it */
                     _("NIK “%s” is a man’s (day of birth without + 40), but the sex is "
                       "Perempuan"),
                     nik);
      return FALSE;
    }

  warn_unknown_region (nik, "NIK", known_region_prefixes, warnings);

  return TRUE;
}

/**
 * pdm_validate_kk:
 * @kk: the number of the Kartu Keluarga
 * @known_region_prefixes: (nullable): a set from pdm_validate_new_prefix_set()
 * @warnings: (nullable) (element-type utf8): receives translated warnings
 * @error: return location for a %PDM_ERROR_INVALID_FIELD
 *
 * A KK number is 16 digits, the first 6 the issuing kecamatan; an issuing
 * region outside @known_region_prefixes is only a warning.
 *
 * Returns: %TRUE if @kk may be saved
 */
gboolean
pdm_validate_kk (const char  *kk,
                 GHashTable  *known_region_prefixes,
                 GPtrArray   *warnings,
                 GError     **error)
{
  g_return_val_if_fail (kk != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_id_number (kk, "KK", error))
    return FALSE;

  warn_unknown_region (kk, "KK", known_region_prefixes, warnings);

  return TRUE;
}

/**
 * pdm_normalize_rt_rw:
 * @value: an RT or RW number as typed: 1 to 3 digits, spaces around allowed
 * @field_label: "RT" or "RW", for the message
 * @error: return location for a %PDM_ERROR_INVALID_FIELD
 *
 * Returns: (transfer full) (nullable): the number as 3 digits ("3" gives
 *   "003"), or %NULL with @error set
 */
char *
pdm_normalize_rt_rw (const char  *value,
                     const char  *field_label,
                     GError     **error)
{
  g_autofree char *trimmed = NULL;
  gsize len;

  g_return_val_if_fail (value != NULL, NULL);
  g_return_val_if_fail (field_label != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  trimmed = g_strstrip (g_strdup (value));
  len = strlen (trimmed);

  if (len == 0)
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                   /* Translators: %s is RT or RW, which stay untranslated */
                   _("%s is empty; it must be a number from 1 to 999"),
                   field_label);
      return NULL;
    }

  if (len > RT_RW_MAX_DIGITS || !is_ascii_digits (trimmed, len) ||
      digits_value (trimmed, len) == 0)
    {
      g_autofree char *shown = to_display (trimmed);

      g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                   /* Translators: the first %s is RT or RW, the second the value */
                   _("%s “%s” must be a number from 1 to 999, such as 3 or 003"),
                   field_label, shown);
      return NULL;
    }

  return g_strdup_printf ("%03u", digits_value (trimmed, len));
}

/**
 * pdm_normalize_phone:
 * @phone: (nullable): an Indonesian phone number as written
 * @error: return location for a %PDM_ERROR_INVALID_FIELD
 *
 * Accepts mobile numbers as 08…, +62 8… or 62 8…, and landlines with their
 * area code such as (0752) 21234, written with spaces, dashes, dots or
 * parentheses. A mobile number without its leading 0 (8…) is accepted too,
 * because Excel drops it from a number cell.
 *
 * The phone number is optional: %NULL, a blank value or one of separators
 * only gives %NULL and leaves @error unset.
 *
 * Returns: (transfer full) (nullable): the digits of the national form,
 *   starting with 0, or %NULL
 */
char *
pdm_normalize_phone (const char  *phone,
                     GError     **error)
{
  g_autoptr(GString) digits = NULL;
  g_autofree char *national = NULL;
  g_autofree char *shown = NULL;
  gboolean plus = FALSE;
  gsize len;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (phone == NULL)
    return NULL;

  digits = g_string_new (NULL);
  for (const char *p = phone; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else if (*p == '+' && digits->len == 0 && !plus)
        plus = TRUE;
      else if (!g_ascii_isspace (*p) && strchr ("-.()", *p) == NULL)
        {
          shown = to_display (phone);
          g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                       /* Translators: keep “Nomor HP” (phone number) as the form shows it */
                       _("Nomor HP “%s” may contain only digits, spaces, dashes, dots, "
                         "parentheses and a leading +"),
                       shown);
          return NULL;
        }
    }

  if (digits->len == 0 && !plus)
    return NULL;

  if (g_str_has_prefix (digits->str, "62"))
    {
      const char *rest = digits->str + 2;

      /* "+62 (0)812…" keeps the trunk 0 that the country code replaces. */
      if (*rest == '0')
        rest++;
      national = g_strconcat ("0", rest, NULL);
    }
  else if (!plus && digits->str[0] == '8')
    national = g_strconcat ("0", digits->str, NULL);
  else if (!plus)
    national = g_strdup (digits->str);

  shown = to_display (phone);

  if (national == NULL || national[0] != '0' || national[1] == '0' || national[1] == '\0')
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                   /* Translators: keep “Nomor HP” (phone number) as the form shows it */
                   _("Nomor HP “%s” is not an Indonesian number; write it as 08…, +62 8… or "
                     "with its area code, such as (0752) 21234"),
                   shown);
      return NULL;
    }

  len = strlen (national);
  if (national[1] == '8' && (len < 10 || len > 13))
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                   /* Translators: keep “Nomor HP” (phone number) as the form shows it */
                   _("Nomor HP “%s” is too short or too long: a mobile number starting with "
                     "08 has 10 to 13 digits"),
                   shown);
      return NULL;
    }

  /* 0 and an area code of 2 or 3 digits, then 5 to 8 digits. */
  if (national[1] != '8' && (len < 8 || len > 12))
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                   /* Translators: keep “Nomor HP” (phone number) as the form shows it */
                   _("Nomor HP “%s” is too short or too long: a landline number with its "
                     "area code, such as (0752) 21234, has 8 to 12 digits"),
                   shown);
      return NULL;
    }

  return g_steal_pointer (&national);
}

/* A tab, a line break from Alt+Enter in Excel or a stray control
 * character separates words like a space; none belongs in a name. */
static gboolean
is_name_separator (gunichar c)
{
  return g_unichar_isspace (c) || g_unichar_iscntrl (c);
}

/**
 * pdm_normalize_name:
 * @name: a person's or a place's name as typed or imported
 * @field_label: the field's label, for the message
 * @error: return location for a %PDM_ERROR_INVALID_FIELD
 *
 * Trims @name, turns each run of white space into one space and composes
 * accents (NFC), so the same name typed on two keyboards is the same text.
 * A name is required and has at most 100 characters.
 *
 * Returns: (transfer full) (nullable): the tidy name, or %NULL with @error set
 */
char *
pdm_normalize_name (const char  *name,
                    const char  *field_label,
                    GError     **error)
{
  g_autoptr(GString) collapsed = NULL;
  g_autofree char *composed = NULL;
  gboolean pending_space = FALSE;
  glong n_chars;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (field_label != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_utf8_validate (name, -1, NULL))
    {
      g_autofree char *shown = to_display (name);

      g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                   /* Translators: the first %s is the field's label, the second the
                    * value with the broken characters replaced */
                   _("%s “%s” is not valid text; save the file as UTF-8 and try again"),
                   field_label, shown);
      return NULL;
    }

  collapsed = g_string_new (NULL);
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_name_separator (c))
        {
          pending_space = collapsed->len > 0;
          continue;
        }

      if (pending_space)
        g_string_append_c (collapsed, ' ');
      pending_space = FALSE;
      g_string_append_unichar (collapsed, c);
    }

  if (collapsed->len == 0)
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                   /* Translators: %s is the field's label */
                   _("%s is required"),
                   field_label);
      return NULL;
    }

  composed = g_utf8_normalize (collapsed->str, -1, G_NORMALIZE_NFC);
  n_chars = g_utf8_strlen (composed, -1);
  if (n_chars > NAME_MAX_CHARS)
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                   /* Translators: %s is the field's label; %ld is always over 100 */
                   ngettext ("%s has %ld character; at most 100 are allowed",
                             "%s has %ld characters; at most 100 are allowed",
                             (unsigned long) n_chars),
                   field_label, n_chars);
      return NULL;
    }

  return g_steal_pointer (&composed);
}
