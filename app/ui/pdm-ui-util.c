/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-ui-util"

#include "config.h"

#include <stdio.h>
#include <string.h>
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

/* Translators: a time of day, see g_date_time_format(); Indonesian writes "%H.%M" */
#define CLOCK_FORMAT N_("%H:%M")

/* The time of day alone for today ("10.42" under id_ID), else with the
 * date: when a sync ran or a value was written. */
char *
pdm_format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_time);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  const char *clock_format = _(CLOCK_FORMAT);
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

/* A stored time of day, "08:30", as the locale writes it ("08.30" under
 * id_ID); text that is not HH:MM is shown as it is, NULL stays NULL. */
char *
pdm_format_clock (const char *hh_mm)
{
  g_autoptr(GDateTime) time = NULL;
  int hour, minute;

  if (hh_mm == NULL)
    return NULL;

  if (sscanf (hh_mm, "%2d:%2d", &hour, &minute) != 2 ||
      (time = g_date_time_new_local (2000, 1, 1, hour, minute, 0)) == NULL)
    return g_strdup (hh_mm);

  return g_date_time_format (time, _(CLOCK_FORMAT));
}

/* "25–27 November 2025", "28 November – 2 Desember 2025", or one date
 * when the range is one day or has no end; NULL without a start. */
char *
pdm_format_date_range (const char *start_date,
                       const char *end_date)
{
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  int y1, m1, d1, y2, m2, d2;

  if (start_date == NULL)
    return NULL;

  if (end_date == NULL || g_str_equal (start_date, end_date) ||
      sscanf (start_date, "%4d-%2d-%2d", &y1, &m1, &d1) != 3 ||
      sscanf (end_date, "%4d-%2d-%2d", &y2, &m2, &d2) != 3 ||
      (start = g_date_time_new_local (y1, m1, d1, 0, 0, 0)) == NULL ||
      (end = g_date_time_new_local (y2, m2, d2, 0, 0, 0)) == NULL)
    return pdm_format_date (start_date);

  /* The parts the two dates share are written once, at the end. */
  if (y1 != y2)
    from = pdm_format_day (start);
  else if (m1 != m2)
    from = g_date_time_format (start, "%-e %B");
  else
    from = g_date_time_format (start, "%-e");
  to = pdm_format_day (end);

  /* Translators: a range of dates, as in "25–27 November 2025" */
  return g_strdup_printf (from[strcspn (from, " ")] != '\0' ? C_("date range", "%s – %s")
                                                               : C_("date range", "%s–%s"),
                          from, to);
}

static gboolean
is_empty (const char *text)
{
  return text == NULL || *text == '\0';
}

/* "25 November 2025, 08.30–10.00" of a session, from its date and times
 * as they are shown; the parts that are NULL or empty are left out. */
char *
pdm_format_when (const char *date,
                 const char *start,
                 const char *end)
{
  g_autofree char *times = NULL;

  if (!is_empty (start) && !is_empty (end))
    /* Translators: a session's start and end time, as in "08.30–10.00" */
    times = g_strdup_printf (C_("time range", "%s–%s"), start, end);
  else
    times = g_strdup (!is_empty (start) ? start : "");

  if (!is_empty (date) && *times != '\0')
    /* Translators: a session's date and times */
    return g_strdup_printf (C_("session time", "%s, %s"), date, times);

  return g_strdup (!is_empty (date) ? date : times);
}

/* Those of the @n_parts @parts that are not NULL or empty, joined by
 * @separator: "1375024512800001 · Campago Ipuh", or "Campago Ipuh" alone
 * for a PSM without a NIK. */
char *
pdm_join_present (const char         *separator,
                  const char * const *parts,
                  guint               n_parts)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < n_parts; i++)
    {
      if (is_empty (parts[i]))
        continue;
      if (text->len > 0)
        g_string_append (text, separator);
      g_string_append (text, parts[i]);
    }

  return g_string_free (text, FALSE);
}

AdwToast *
pdm_toast_new (const char *text)
{
  g_autofree char *escaped = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  escaped = g_markup_escape_text (text, -1);

  return adw_toast_new (escaped);
}
