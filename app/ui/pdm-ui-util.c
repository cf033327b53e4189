/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-ui-util"

#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>

#include "pdm-ui-util.h"

/* "2025-11-25" → "25 November 2025" in English, the same words Indonesian
 * readers expect under id_ID; a value that is not an ISO date is shown as
 * it is. */
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

  /* %-e: no figure space before a single-digit day. */
  text = g_date_time_format (date, "%-e %B %Y");

  return text != NULL ? g_steal_pointer (&text) : g_strdup (iso_date);
}

/* With the locale's digit grouping: "1.234" under id_ID. */
char *
pdm_format_number (gint64 number)
{
  return g_strdup_printf ("%'" G_GINT64_FORMAT, number);
}

/* "Jl. Sudirman 5, RT 001/RW 002"; parts that are missing are left out. */
char *
pdm_format_address (const char *address,
                    const char *rt,
                    const char *rw)
{
  GString *text = g_string_new (address);

  if (rt != NULL || rw != NULL)
    {
      if (text->len > 0)
        g_string_append (text, ", ");
      if (rt != NULL && rw != NULL)
        /* Translators: the neighbourhood (RT) and hamlet (RW) numbers of an address */
        g_string_append_printf (text, _("RT %s/RW %s"), rt, rw);
      else if (rt != NULL)
        g_string_append_printf (text, _("RT %s"), rt);
      else
        g_string_append_printf (text, _("RW %s"), rw);
    }

  return g_string_free (text, FALSE);
}

/* The time of day alone for today ("10.42" under id_ID), else with the
 * date: when a sync ran or a value was written. */
char *
pdm_format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_time);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  /* Translators: a time of day, see g_date_time_format(); Indonesian writes "%H.%M" */
  const char *clock_format = _("%H:%M");
  g_autofree char *clock = NULL;
  g_autofree char *date = NULL;
  int year, month, day, this_year, this_month, this_day;

  if (time == NULL)
    return g_strdup ("?");

  clock = g_date_time_format (time, clock_format);
  g_date_time_get_ymd (time, &year, &month, &day);
  g_date_time_get_ymd (now, &this_year, &this_month, &this_day);
  if (year == this_year && month == this_month && day == this_day)
    return g_steal_pointer (&clock);

  date = g_date_time_format (time, "%-e %B %Y");
  /* Translators: a date and a time of day, as in "25 November 2025 10.42" */
  return g_strdup_printf (C_("date and time", "%s %s"), date, clock);
}
