/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean pdm_set_string (char       **str_pointer,
                         const char  *new_str);

G_END_DECLS
