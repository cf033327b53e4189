/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PDM_UUID_LEN 36

/* The namespace of the keys Pendamping derives from names (UUIDv5):
 * docs/sync-protocol.md gives it, so another client derives the same. */
#define PDM_UUID_NAMESPACE "d63babcd-a5e1-4eb9-87ce-e9ee52fb00a7"

void     pdm_uuid_v7_generate (char        out[PDM_UUID_LEN + 1]);
char    *pdm_uuid_v7_new      (void);
gboolean pdm_uuid_is_valid    (const char *text);

void     pdm_uuid_v5_generate (const char *namespace_uuid,
                               const char *name,
                               char        out[PDM_UUID_LEN + 1]);
char    *pdm_uuid_derive      (const char *kind,
                               const char *first,
                               const char *second);

G_END_DECLS
