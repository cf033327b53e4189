/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-parse"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "pdm-error.h"
#include "pdm-parse.h"

/* Splits "25/11/1975" into three runs of at most four digits joined by one
 * separator used twice: `/`, `-` or `.`. */
static gboolean
split_date (const char *text,
            guint       values[3],
            guint       n_digits[3],
            char       *out_separator)
{
  const char *p = text;
  char separator = '\0';

  for (guint i = 0; i < 3; i++)
    {
      values[i] = 0;
      n_digits[i] = 0;
      for (; g_ascii_isdigit (*p); p++)
        {
          if (++n_digits[i] > 4)
            return FALSE;
          values[i] = values[i] * 10 + (guint) (*p - '0');
        }
      if (n_digits[i] == 0)
        return FALSE;

      if (i == 2)
        break;
      if ((*p != '/' && *p != '-' && *p != '.') || (separator != '\0' && *p != separator))
        return FALSE;
      separator = *p++;
    }

  *out_separator = separator;
  return *p == '\0';
}

static gboolean
is_all_digits (const char *text)
{
  if (*text == '\0')
    return FALSE;

  for (; *text != '\0'; text++)
    {
      if (!g_ascii_isdigit (*text))
        return FALSE;
    }

  return TRUE;
}

static gboolean
set_date_form_error (GError     **error,
                     const char  *text)
{
  g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
               _("“%s” is not a date; write it as DD/MM/YYYY "
                 "(D/M/YYYY, DD-MM-YYYY, DD.MM.YYYY and YYYY-MM-DD also work)"),
               text);
  return FALSE;
}

/**
 * pdm_parse_date:
 * @text: a cell: DD/MM/YYYY, D/M/YYYY, DD-MM-YYYY, DD.MM.YYYY or YYYY-MM-DD
 * @out: (out caller-allocates): the date, set only on success
 * @error: a #GError, or %NULL
 *
 * Two-digit years are refused: a birth year 75 could be 1975 or 2075.
 *
 * Returns: %TRUE if @text is a real date in one of the accepted forms
 */
gboolean
pdm_parse_date (const char  *text,
                GDate       *out,
                GError     **error)
{
  g_autofree char *trimmed = NULL;
  guint values[3];
  guint n_digits[3];
  char separator;
  guint day, month, year;
  gboolean iso;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  trimmed = g_strstrip (g_strdup (text));

  if (*trimmed == '\0')
    {
      g_set_error_literal (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                           _("the date is empty; write it as DD/MM/YYYY"));
      return FALSE;
    }

  /* A date column formatted as General comes out as Excel's day count. */
  if (is_all_digits (trimmed) && strlen (trimmed) == 5)
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                   _("“%s” is a date as Excel counts days; format the column as a date "
                     "(DD/MM/YYYY) and export again"),
                   trimmed);
      return FALSE;
    }

  if (!split_date (trimmed, values, n_digits, &separator))
    return set_date_form_error (error, trimmed);

  iso = n_digits[0] == 4;
  if (iso && (separator != '-' || n_digits[1] > 2 || n_digits[2] > 2))
    return set_date_form_error (error, trimmed);
  if (!iso && (n_digits[0] > 2 || n_digits[1] > 2))
    return set_date_form_error (error, trimmed);

  if (!iso && n_digits[2] == 2)
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                   /* Translators: the %u are the two centuries the year may be in, e.g. 1975 or 2075 */
                   _("“%s” has a two-digit year, which could be %u or %u; write the year in "
                     "full, as in DD/MM/YYYY"),
                   trimmed, 1900 + values[2], 2000 + values[2]);
      return FALSE;
    }
  if (!iso && n_digits[2] != 4)
    return set_date_form_error (error, trimmed);

  year = iso ? values[0] : values[2];
  month = values[1];
  day = iso ? values[2] : values[0];

  if (month < 1 || month > 12)
    {
      /* "11/25/1975" is most likely a date in the American order. */
      if (!iso && month > 12 && day >= 1 && day <= 12)
        g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                     _("“%s” has no month %u; write the day first, as in DD/MM/YYYY"),
                     trimmed, month);
      else
        g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                     _("“%s” is not a real date: there is no month %u"),
                     trimmed, month);
      return FALSE;
    }

  if (!g_date_valid_year (year))
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                   _("“%s” is not a real date: there is no year %u"),
                   trimmed, year);
      return FALSE;
    }

  if (day < 1 || day > g_date_get_days_in_month (month, year))
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                   _("“%s” is not a real date: that month has %u days"),
                   trimmed, (guint) g_date_get_days_in_month (month, year));
      return FALSE;
    }

  g_date_clear (out, 1);
  g_date_set_dmy (out, day, month, year);
  return TRUE;
}

/* Trims @text and drops the apostrophe that marks a cell as text in Excel. */
static char *
strip_text_marker (const char *text)
{
  char *trimmed = g_strstrip (g_strdup (text));

  if (*trimmed == '\'')
    {
      memmove (trimmed, trimmed + 1, strlen (trimmed));
      g_strstrip (trimmed);
    }

  return trimmed;
}

static const char *
skip_digits (const char *p)
{
  while (g_ascii_isdigit (*p))
    p++;

  return p;
}

/**
 * pdm_parse_is_excel_scientific:
 * @text: a cell
 *
 * Returns: %TRUE if @text is a number in the scientific notation Excel shows
 *   for long numbers, such as "1,37501E+15" or "1.375012345678E+15"
 */
gboolean
pdm_parse_is_excel_scientific (const char *text)
{
  g_autofree char *trimmed = NULL;
  const char *p;
  const char *after;

  g_return_val_if_fail (text != NULL, FALSE);

  trimmed = strip_text_marker (text);
  p = trimmed;

  after = skip_digits (p);
  if (after == p)
    return FALSE;
  p = after;

  if (*p == ',' || *p == '.')
    {
      after = skip_digits (p + 1);
      if (after == p + 1)
        return FALSE;
      p = after;
    }

  if (*p != 'E' && *p != 'e')
    return FALSE;
  p++;
  if (*p == '+' || *p == '-')
    p++;

  after = skip_digits (p);
  return after != p && *after == '\0';
}

/* Lists the characters of @text that have no place in a number, each once;
 * invisible ones as U+XXXX so the message shows something. */
static char *
list_foreign_characters (const char *text)
{
  GString *list = g_string_new (NULL);
  GString *seen = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      char utf8[7] = { 0, };

      if (g_ascii_isdigit (c) || c == '.' || c == ',' || g_unichar_isspace (c))
        continue;

      g_unichar_to_utf8 (c, utf8);
      if (strstr (seen->str, utf8) != NULL)
        continue;
      g_string_append (seen, utf8);

      if (list->len > 0)
        g_string_append (list, ", ");
      if (g_unichar_isprint (c))
        g_string_append_printf (list, "“%s”", utf8);
      else
        g_string_append_printf (list, "U+%04X", c);
    }

  g_string_free (seen, TRUE);
  return g_string_free (list, FALSE);
}

/**
 * pdm_parse_id_number:
 * @text: a cell holding a NIK or KK number
 * @expected_digits: how many digits the number has (16 for NIK and KK)
 * @out_digits: (out) (transfer full): the digits alone, set only on success
 * @error: a #GError, or %NULL
 *
 * Spaces and the leading apostrophe of an Excel text cell are dropped. What
 * Excel does to a long number stored as a number is refused with a reason:
 * scientific notation, a decimal part or thousands separators; the digits
 * in those can no longer be trusted.
 *
 * Returns: %TRUE if @text holds exactly @expected_digits digits
 */
gboolean
pdm_parse_id_number (const char  *text,
                     guint        expected_digits,
                     char       **out_digits,
                     GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *foreign = NULL;
  g_autoptr(GString) digits = NULL;
  gboolean has_number_marks = FALSE;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (expected_digits > 0, FALSE);
  g_return_val_if_fail (out_digits != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  trimmed = strip_text_marker (text);

  if (*trimmed == '\0')
    {
      g_set_error_literal (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                           _("the number is empty"));
      return FALSE;
    }

  if (pdm_parse_is_excel_scientific (trimmed))
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                   _("Excel turned this number into %s and its last digits are lost; "
                     "format the column as Text and export again"),
                   trimmed);
      return FALSE;
    }

  foreign = list_foreign_characters (trimmed);
  if (*foreign != '\0')
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                   /* Translators: the second %s lists characters, e.g. “O”, “-” */
                   _("“%s” has characters that are not digits: %s"),
                   trimmed, foreign);
      return FALSE;
    }

  digits = g_string_new (NULL);
  for (const char *p = trimmed; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else if (*p == '.' || *p == ',')
        has_number_marks = TRUE;
    }

  /* "1375012345678901.0" or "1.375.012.345.678.901": Excel held it as a
   * number, which keeps only 15 significant digits. */
  if (has_number_marks)
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                   _("“%s” is written as a number with a decimal or thousands separator, so "
                     "Excel may have changed its last digits; format the column as Text and "
                     "export again"),
                   trimmed);
      return FALSE;
    }

  if (digits->len != expected_digits)
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                   /* Translators: the first %u is how many digits there are, the second
                    * how many there should be (16) */
                   ngettext ("“%s” has %u digit instead of %u",
                             "“%s” has %u digits instead of %u",
                             (unsigned long) digits->len),
                   trimmed, (guint) digits->len, expected_digits);
      return FALSE;
    }

  *out_digits = g_string_free (g_steal_pointer (&digits), FALSE);
  return TRUE;
}

/**
 * pdm_parse_int_in_range:
 * @text: a cell holding a whole number, such as a desil
 * @min: the smallest value allowed
 * @max: the largest value allowed
 * @out: (out): the value, set only on success
 * @error: a #GError, or %NULL
 *
 * Returns: %TRUE if @text is a whole number from @min to @max
 */
gboolean
pdm_parse_int_in_range (const char  *text,
                        int          min,
                        int          max,
                        int         *out,
                        GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 value = 0;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (min <= max, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  trimmed = g_strstrip (g_strdup (text));

  if (*trimmed == '\0')
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                   _("the number is empty; it must be from %d to %d"),
                   min, max);
      return FALSE;
    }

  if (!g_ascii_string_to_signed (trimmed, 10, min, max, &value, &local_error))
    {
      if (g_error_matches (local_error, G_NUMBER_PARSER_ERROR,
                           G_NUMBER_PARSER_ERROR_OUT_OF_BOUNDS))
        g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                     _("%s is outside the range from %d to %d"),
                     trimmed, min, max);
      else
        g_set_error (error, PDM_ERROR, PDM_ERROR_INVALID_FIELD,
                     _("“%s” is not a whole number from %d to %d"),
                     trimmed, min, max);
      return FALSE;
    }

  *out = (int) value;
  return TRUE;
}
