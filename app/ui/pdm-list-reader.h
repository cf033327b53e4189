/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pdm-search.h"

G_BEGIN_DECLS

#define PDM_TYPE_LIST_READER (pdm_list_reader_get_type ())

G_DECLARE_FINAL_TYPE (PdmListReader, pdm_list_reader, PDM, LIST_READER, GObject)

/* What a list asks for: the count of @query, some of its pages, or both. */
typedef struct
{
  PdmQuery       query;       /* a copy: pdm_list_request_free() frees its strings */
  gboolean       count;
  guint          page_size;
  GArray        *pages;       /* of guint: the indexes of the pages wanted, ascending */
  PdmPageCursor  after;       /* where the page before pages[0] ends, when known */
} PdmListRequest;

/* The rows from position index × page_size on. */
typedef struct
{
  guint          index;
  GPtrArray     *records;     /* of PdmRecord */
  GArray        *n_members;   /* of int, one a record, of a household list: its members; else NULL */
  PdmPageCursor  last;        /* where the page ends */
} PdmListPage;

typedef struct
{
  guint          count;       /* when asked for */
  GPtrArray     *pages;       /* of PdmListPage, in the order asked for */
} PdmListResult;

PdmListRequest *pdm_list_request_new        (const PdmQuery      *query,
                                             gboolean             count,
                                             guint                page_size);
void            pdm_list_request_free       (PdmListRequest      *request);
void            pdm_list_result_free        (PdmListResult       *result);

/* PdmQuery copies, with strings of their own. */
void            pdm_list_query_copy         (PdmQuery            *dest,
                                             const PdmQuery      *src);
void            pdm_list_query_clear        (PdmQuery            *query);
gboolean        pdm_list_query_equal        (const PdmQuery      *a,
                                             const PdmQuery      *b);

/* Reads the lists of the UI in GTask worker threads, on a connection of its
 * own, so the main thread never waits for a count, a search or a page. */
PdmListReader  *pdm_list_reader_new         (const char          *database_path);
void            pdm_list_reader_read_async  (PdmListReader       *self,
                                             PdmListRequest      *request,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
PdmListResult  *pdm_list_reader_read_finish (PdmListReader       *self,
                                             GAsyncResult        *result,
                                             GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdmListRequest, pdm_list_request_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdmListResult, pdm_list_result_free)

G_END_DECLS
