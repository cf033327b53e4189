/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-util"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "pdm-util.h"

/* Replaces *@str_pointer with a copy of @new_str; TRUE when it changed, so a
 * caller notifies only real changes. (g_set_str needs GLib 2.76.) */
gboolean
pdm_set_string (char       **str_pointer,
                const char  *new_str)
{
  g_return_val_if_fail (str_pointer != NULL, FALSE);

  if (g_strcmp0 (*str_pointer, new_str) == 0)
    return FALSE;

  g_free (*str_pointer);
  *str_pointer = g_strdup (new_str);

  return TRUE;
}

/* For g_ptr_array_sort() of strings, which passes pointers to elements. */
int
pdm_compare_strings_indirect (gconstpointer a,
                              gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Runs @function on @context's thread, always from its loop. Unlike
 * g_main_context_invoke(), which calls it at once on the calling thread
 * when it can take the context, so a worker's progress could reach the
 * UI from the worker. */
void
pdm_main_context_post (GMainContext   *context,
                       GSourceFunc     function,
                       gpointer        data,
                       GDestroyNotify  notify)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, function, data, notify);
  g_source_attach (source, context);
  g_source_unref (source);
}

/* "25 November 2025": the day, the month's name and the year in the
 * locale's words, as Indonesian readers write a date. */
char *
pdm_format_day (GDateTime *date)
{
  g_return_val_if_fail (date != NULL, NULL);

  /* %-e: no figure space before a single-digit day. */
  return g_date_time_format (date, "%-e %B %Y");
}

/* "2025-11-25" → "25 November 2025"; a value that is not an ISO date is
 * shown as it is. */
char *
pdm_format_date (const char *iso_date)
{
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *text = NULL;
  int year, month, day;

  if (iso_date == NULL)
    return NULL;

  if (sscanf (iso_date, "%4d-%2d-%2d", &year, &month, &day) != 3 ||
      (date = g_date_time_new_local (year, month, day, 0, 0, 0)) == NULL)
    return g_strdup (iso_date);

  text = pdm_format_day (date);

  return text != NULL ? g_steal_pointer (&text) : g_strdup (iso_date);
}

/* With the locale's digit grouping: "1.234" under id_ID. */
char *
pdm_format_number (gint64 number)
{
  return g_strdup_printf ("%'" G_GINT64_FORMAT, number);
}

/* With the locale's grouping and decimal mark: 1234.5 with one decimal is
 * "1.234,5" under id_ID. A value that rounds to zero loses its sign, so a
 * report never shows "-0,0". */
char *
pdm_format_decimal (double value,
                    guint  decimals)
{
  char *text;

  g_return_val_if_fail (decimals <= 6, NULL);

  text = g_strdup_printf ("%'.*f", (int) decimals, value);
  if (text[0] == '-' && strpbrk (text, "123456789") == NULL)
    memmove (text, text + 1, strlen (text));

  return text;
}
