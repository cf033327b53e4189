/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean pdm_set_string (char       **str_pointer,
                         const char  *new_str);

int      pdm_compare_strings_indirect (gconstpointer a,
                                       gconstpointer b);

void     pdm_main_context_post        (GMainContext   *context,
                                       GSourceFunc     function,
                                       gpointer        data,
                                       GDestroyNotify  notify);

/* How stored values read for a person, in the user's locale. */
char    *pdm_format_day               (GDateTime      *date);
char    *pdm_format_date              (const char     *iso_date);
char    *pdm_format_number            (gint64          number);
char    *pdm_format_decimal           (double          value,
                                       guint           decimals);

G_END_DECLS
