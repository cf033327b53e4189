/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-ui-util"

#include "config.h"

#include <glib/gi18n.h>

#include "pdm-ui-util.h"

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

  date = pdm_format_day (time);
  /* Translators: a date and a time of day, as in "25 November 2025 10.42" */
  return g_strdup_printf (C_("date and time", "%s %s"), date, clock);
}
