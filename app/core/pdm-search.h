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
  PDM_SORT_FOLLOW_UP, /* visits: follow-ups due by today first, oldest due first */
} PdmSortOrder;

/* What a list shows. @text is what the user typed: every word must start a
 * word of the name (of a household or volunteer: or of the address), case
 * and accents ignored, so "sit am" finds "Siti Aminah"; quotes, `*`, `-`,
 * OR or NEAR are only text. Text with nothing to search for lists all.
 * Four or more digits look up a NIK (person, volunteer) or KK (household)
 * instead, by prefix, and the list is in that number's order (rows with
 * one number in the order they were stored); 16 digits also find a
 * household by a member's NIK and the members by their KK.
 * The household filters apply to a person through their household; a
 * volunteer can only be filtered by kelurahan. NULL, 0 and FALSE mean "any".
 * Deleted (tombstoned) rows are left out unless @include_deleted.
 *
 * Visits have no name and no text search (@text is ignored), and only the
 * @household_id and @visit_kind filters: PDM_SORT_NAME and PDM_SORT_NEWEST
 * both list them by visit date, newest first; PDM_SORT_FOLLOW_UP puts the
 * visits whose follow-up date is today or past first, the most overdue
 * first, then the others by visit date, newest first. @household_id also
 * lists the members of one household. */
typedef struct
{
  PdmTable      table;            /* PDM_TABLE_PERSON, _HOUSEHOLD, _VOLUNTEER or _VISIT */
  const char   *text;
  const char   *kelurahan_code;   /* "13.75.02.1002" */
  int           desil;            /* 1 to 10 */
  const char   *program;          /* one code of `programs`: "PKH" */
  const char   *volunteer_id;     /* the PSM assigned to the household */
  gboolean      include_deleted;
  PdmSortOrder  sort;
  const char   *household_id;     /* persons and visits of one household */
  const char   *visit_kind;       /* one of pdm_rules_get_visit_kinds() */
} PdmQuery;

/* Where a page ends: the sort key and id of its last row. @key is NULL for
 * PDM_SORT_NEWEST (but of visits) and for a row without a name or date. */
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
 * its own PdmDatabase and PdmSearch. It keeps prepared statements and what
 * it learnt: the orders of a table's rows that text, number and filter
 * searches pick rows from (12 bytes a row each; a million persons are read
 * in about 0.2 s) and a word index of its names, until a write changes a
 * name, address or deletion in that table (the order by number: until any
 * write); each recent query's count, positions and one bit a row, until
 * any write. Each call reads one snapshot. A GCancellable stops a call
 * while SQLite works, with G_IO_ERROR_CANCELLED, through the connection's
 * progress handler. */
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
GPtrArray *pdm_search_list_proposals (PdmSearch        *self,
                                      const char       *target_id,
                                      const char       *status,
                                      GError          **error);

G_END_DECLS
