/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PDM_UUID_LEN 36

void  pdm_uuid_v7_generate (char out[PDM_UUID_LEN + 1]);
char *pdm_uuid_v7_new      (void);
gboolean pdm_uuid_is_valid (const char *text);

G_END_DECLS
