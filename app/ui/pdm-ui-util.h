/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdm-util.h"

G_BEGIN_DECLS

/* How the widgets show stored values to a person, in the user's locale. */
char *pdm_format_address (const char *address,
                          const char *rt,
                          const char *rw);
char *pdm_format_time    (gint64      unix_time);
char *pdm_format_clock   (const char *hh_mm);
char *pdm_format_date_range (const char *start_date,
                             const char *end_date);
char *pdm_format_when    (const char         *date,
                          const char         *start,
                          const char         *end);
char *pdm_join_present   (const char         *separator,
                          const char * const *parts,
                          guint               n_parts);

/* A toast that shows @text as it is: toast titles are Pango markup in
 * libadwaita 1.2, and a file name or an error may hold an "&". */
AdwToast *pdm_toast_new (const char *text);

G_END_DECLS
