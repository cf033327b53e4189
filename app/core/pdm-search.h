/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pdm-database.h"
#include "pdm-record.h"

G_BEGIN_DECLS

typedef enum
{
  PDM_SORT_NAME,    /* by name (a number search: by the number), then id */
  PDM_SORT_NEWEST,  /* newest first: ids are time-ordered UUIDv7 */
} PdmSortOrder;

/* What a list shows. @text is what the user typed: words match the start of
 * any word of the name or address, ignoring case and accents ("sit am" finds
 * "Siti Aminah"); four or more digits look up a NIK or KK instead, exactly
 * with 16 digits, else by prefix, and the list is ordered by that number.
 * The household filters apply to a person through their household; a
 * volunteer can only be filtered by kelurahan. NULL, 0 and FALSE mean "any". */
typedef struct
{
  PdmTable      table;            /* PDM_TABLE_PERSON, _HOUSEHOLD or _VOLUNTEER */
  const char   *text;
  const char   *kelurahan_code;   /* "13.75.02.1002" */
  int           desil;            /* 1 to 10 */
  const char   *program;          /* one code of `programs`: "PKH" */
  const char   *volunteer_id;     /* the PSM assigned to the household */
  gboolean      include_deleted;
  PdmSortOrder  sort;
} PdmQuery;

/* Where a page ends: the sort key and id of its last row. @key is NULL for
 * PDM_SORT_NEWEST and for a row without a name. */
typedef struct
{
  char *key;
  char *id;
} PdmPageCursor;

void pdm_page_cursor_clear (PdmPageCursor *cursor);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PdmPageCursor, pdm_page_cursor_clear)

#define PDM_TYPE_SEARCH (pdm_search_get_type ())

G_DECLARE_FINAL_TYPE (PdmSearch, pdm_search, PDM, SEARCH, GObject)

/* Reads the lists of one connection, from one thread: a worker thread makes
 * its own PdmDatabase and PdmSearch. It keeps prepared statements and, until
 * the next write, what it learnt about recent queries (counts, positions). */
PdmSearch *pdm_search_new        (PdmDatabase          *database,
                                  GError              **error);

gboolean   pdm_search_count      (PdmSearch            *self,
                                  const PdmQuery       *query,
                                  guint                *out_count,
                                  GCancellable         *cancellable,
                                  GError              **error);
GPtrArray *pdm_search_page       (PdmSearch            *self,
                                  const PdmQuery       *query,
                                  const PdmPageCursor  *after,
                                  guint                 limit,
                                  PdmPageCursor        *out_last,
                                  GCancellable         *cancellable,
                                  GError              **error);
GPtrArray *pdm_search_page_at    (PdmSearch            *self,
                                  const PdmQuery       *query,
                                  guint                 position,
                                  guint                 limit,
                                  PdmPageCursor        *out_last,
                                  GCancellable         *cancellable,
                                  GError              **error);
PdmRecord *pdm_search_lookup_nik (PdmSearch            *self,
                                  const char           *nik,
                                  GError              **error);
PdmRecord *pdm_search_lookup_kk  (PdmSearch            *self,
                                  const char           *kk_number,
                                  GError              **error);

G_END_DECLS
