/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-util"

#include "config.h"

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
