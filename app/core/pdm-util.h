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

G_END_DECLS
