/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One answer of `GET /api/v1/pull` (docs/sync-protocol.md), read. */
typedef struct
{
  gboolean   reset;
  gboolean   more;
  gboolean   has_cursor;  /* "cursor" was a whole number */
  gint64     cursor;
  gboolean   has_rows;    /* "rows" was an array */

  /* (element-type PdmChange): the well-formed writes in the server's
   * order. Their strings belong to the page: never free a change alone. */
  GPtrArray *changes;
  guint      n_bad;       /* malformed writes left out */

  /* Pairs of strings, table then row, one pair per member of "removed";
   * a string is NULL where that member was malformed. */
  GPtrArray *removed;

  /*< private >*/
  char      *text;
  GPtrArray *blocks;
} PdmSyncPage;

PdmSyncPage *pdm_sync_page_parse (GBytes       *body,
                                  gsize        *out_error_offset);
void         pdm_sync_page_free  (PdmSyncPage  *page);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdmSyncPage, pdm_sync_page_free)

G_END_DECLS
