/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pdm-util.h"

G_BEGIN_DECLS

/* How the widgets show stored values to a person, in the user's locale. */
char *pdm_format_address (const char *address,
                          const char *rt,
                          const char *rw);
char *pdm_format_time    (gint64      unix_time);

G_END_DECLS
