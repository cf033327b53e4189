/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-list-reader"

#include "config.h"

#include "pdm-list-reader.h"

/*
 * Every list of the UI reads through one reader: one connection, opened by
 * the first read, and used by one GTask thread at a time under `lock`.
 * Keeping the connection, rather than opening one a read, keeps what its
 * PdmSearch learns about a query (count, landmarks, matches, rank maps)
 * for the pages read after the count, until the next write.
 *
 * A read that waits for the lock while a newer one makes it useless is
 * cancelled and ends as soon as it gets the lock; one that runs is stopped
 * by SQLite's progress handler, through the GCancellable.
 */

struct _PdmListReader
{
  GObject      parent_instance;

  char        *path;
  GMutex       lock;
  /* Under the lock, from the first read on. */
  PdmDatabase *database;
  PdmSearch   *search;
  /* Counts the members of each household listed. A search keeps what it
   * learns about its last few dozen queries: a hundred one-row counts a
   * page would push the list's own query out of `search`. */
  PdmSearch   *member_search;
};

G_DEFINE_FINAL_TYPE (PdmListReader, pdm_list_reader, G_TYPE_OBJECT)

/* Queries */

void
pdm_list_query_copy (PdmQuery       *dest,
                const PdmQuery *src)
{
  *dest = *src;
  dest->text = g_strdup (src->text);
  dest->kelurahan_code = g_strdup (src->kelurahan_code);
  dest->program = g_strdup (src->program);
  dest->volunteer_id = g_strdup (src->volunteer_id);
  dest->household_id = g_strdup (src->household_id);
  dest->visit_kind = g_strdup (src->visit_kind);
}

/* Frees the strings of a query made by pdm_list_query_copy(). */
void
pdm_list_query_clear (PdmQuery *query)
{
  g_clear_pointer ((char **) &query->text, g_free);
  g_clear_pointer ((char **) &query->kelurahan_code, g_free);
  g_clear_pointer ((char **) &query->program, g_free);
  g_clear_pointer ((char **) &query->volunteer_id, g_free);
  g_clear_pointer ((char **) &query->household_id, g_free);
  g_clear_pointer ((char **) &query->visit_kind, g_free);
}

gboolean
pdm_list_query_equal (const PdmQuery *a,
                 const PdmQuery *b)
{
  return a->table == b->table &&
         g_strcmp0 (a->text, b->text) == 0 &&
         g_strcmp0 (a->kelurahan_code, b->kelurahan_code) == 0 &&
         a->desil == b->desil &&
         g_strcmp0 (a->program, b->program) == 0 &&
         g_strcmp0 (a->volunteer_id, b->volunteer_id) == 0 &&
         a->include_deleted == b->include_deleted &&
         a->sort == b->sort &&
         g_strcmp0 (a->household_id, b->household_id) == 0 &&
         g_strcmp0 (a->visit_kind, b->visit_kind) == 0;
}

/* Requests and results */

/* Asks for nothing yet: add the indexes of the pages wanted to @pages. */
PdmListRequest *
pdm_list_request_new (const PdmQuery *query,
                      gboolean        count,
                      guint           page_size)
{
  PdmListRequest *request;

  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (page_size > 0, NULL);

  request = g_new0 (PdmListRequest, 1);
  pdm_list_query_copy (&request->query, query);
  request->count = count;
  request->page_size = page_size;
  request->pages = g_array_new (FALSE, FALSE, sizeof (guint));

  return request;
}

void
pdm_list_request_free (PdmListRequest *request)
{
  pdm_list_query_clear (&request->query);
  g_array_unref (request->pages);
  pdm_page_cursor_clear (&request->after);
  g_free (request);
}

static void
list_page_free (PdmListPage *page)
{
  g_ptr_array_unref (page->records);
  g_clear_pointer (&page->n_members, g_array_unref);
  pdm_page_cursor_clear (&page->last);
  g_free (page);
}

void
pdm_list_result_free (PdmListResult *result)
{
  g_ptr_array_unref (result->pages);
  g_free (result);
}

/* The worker */

static gboolean
open_connection (PdmListReader  *self,
                 GError        **error)
{
  if (self->database != NULL)
    return TRUE;

  self->database = pdm_database_open (self->path, error);
  if (self->database != NULL)
    self->search = pdm_search_new (self->database, error);
  if (self->search != NULL)
    self->member_search = pdm_search_new (self->database, error);
  if (self->member_search == NULL)
    {
      g_clear_object (&self->search);
      g_clear_object (&self->database);
      return FALSE;
    }

  return TRUE;
}

static GArray *
count_members (PdmListReader  *self,
               GPtrArray      *households,
               GCancellable   *cancellable,
               GError        **error)
{
  g_autoptr(GArray) counts = g_array_sized_new (FALSE, FALSE, sizeof (int), households->len);

  for (guint i = 0; i < households->len; i++)
    {
      const PdmRecord *household = g_ptr_array_index (households, i);
      PdmQuery query = { .table = PDM_TABLE_PERSON, .household_id = household->id };
      guint count;
      int n;

      if (!pdm_search_count (self->member_search, &query, &count, cancellable, error))
        return NULL;
      n = (int) MIN (count, G_MAXINT);
      g_array_append_val (counts, n);
    }

  return g_steal_pointer (&counts);
}

/* Reads one page: from @after when the page before was just read (a seek
 * in the list's order, the cheapest way), else from its position. */
static PdmListPage *
read_page (PdmListReader        *self,
           const PdmListRequest *request,
           guint                 index,
           const PdmPageCursor  *after,
           GCancellable         *cancellable,
           GError              **error)
{
  g_autoptr(GPtrArray) records = NULL;
  PdmListPage *page;
  PdmPageCursor last = { NULL, NULL };

  if (after != NULL && after->id != NULL)
    records = pdm_search_page (self->search, &request->query, after, request->page_size, &last,
                               cancellable, error);
  else
    records = pdm_search_page_at (self->search, &request->query, index * request->page_size,
                                  request->page_size, &last, cancellable, error);
  if (records == NULL)
    return NULL;

  page = g_new0 (PdmListPage, 1);
  page->index = index;
  page->last = last;
  page->records = g_steal_pointer (&records);
  if (request->query.table == PDM_TABLE_HOUSEHOLD)
    {
      page->n_members = count_members (self, page->records, cancellable, error);
      if (page->n_members == NULL)
        {
          list_page_free (page);
          return NULL;
        }
    }

  return page;
}

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PdmListReader *self = source_object;
  PdmListRequest *request = task_data;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(PdmListResult) result = g_new0 (PdmListResult, 1);
  const PdmPageCursor *after = &request->after;
  GError *error = NULL;

  result->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) list_page_free);

  /* A newer read made this one useless while it waited. */
  if (g_task_return_error_if_cancelled (task))
    return;

  if (!open_connection (self, &error) ||
      (request->count &&
       !pdm_search_count (self->search, &request->query, &result->count, cancellable, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < request->pages->len; i++)
    {
      guint index = g_array_index (request->pages, guint, i);
      PdmListPage *page;

      if (request->count && index * request->page_size >= result->count)
        break;

      page = read_page (self, request, index, after, cancellable, &error);
      if (page == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      g_ptr_array_add (result->pages, page);

      /* The next page seeks from this one when it follows it. */
      after = i + 1 < request->pages->len &&
              g_array_index (request->pages, guint, i + 1) == index + 1 ? &page->last : NULL;
    }

  g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify) pdm_list_result_free);
}

/* Public API */

/* Reads the database at @database_path; nothing is opened before a read. */
PdmListReader *
pdm_list_reader_new (const char *database_path)
{
  PdmListReader *self;

  g_return_val_if_fail (database_path != NULL, NULL);

  self = g_object_new (PDM_TYPE_LIST_READER, NULL);
  self->path = g_strdup (database_path);

  return self;
}

/**
 * pdm_list_reader_read_async:
 * @request: (transfer full): what to read
 * @cancellable: (nullable): a #GCancellable
 *
 * Reads, in a worker thread, what @request asks for. Reads run one at a
 * time, on one connection.
 */
void
pdm_list_reader_read_async (PdmListReader       *self,
                            PdmListRequest      *request,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PDM_IS_LIST_READER (self));
  g_return_if_fail (request != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pdm_list_reader_read_async);
  g_task_set_task_data (task, request, (GDestroyNotify) pdm_list_request_free);
  g_task_run_in_thread (task, read_thread);
}

/* Returns: (transfer full): the count and pages asked for, or NULL */
PdmListResult *
pdm_list_reader_read_finish (PdmListReader  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pdm_list_reader_read_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
pdm_list_reader_finalize (GObject *object)
{
  PdmListReader *self = (PdmListReader *)object;

  g_clear_object (&self->member_search);
  g_clear_object (&self->search);
  g_clear_object (&self->database);
  g_clear_pointer (&self->path, g_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (pdm_list_reader_parent_class)->finalize (object);
}

static void
pdm_list_reader_class_init (PdmListReaderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pdm_list_reader_finalize;
}

static void
pdm_list_reader_init (PdmListReader *self)
{
  g_mutex_init (&self->lock);
}
