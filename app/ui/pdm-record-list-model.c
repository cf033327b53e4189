/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-record-list-model"

#include "config.h"

#include "pdm-list-reader.h"
#include "pdm-record-item.h"
#include "pdm-record-list-model.h"

/*
 * The list is read in the application's PdmListReader, in worker threads:
 * a new query or a write asks for the count and the first pages, and the
 * list changes when they arrive, keeping the old rows until then. A page a
 * view asks for later is handed out as pending items at once and filled in
 * place when it arrives.
 *
 * How the list tells its views that it changed matters as much. GTK 4.8
 * looks for the rows it tracks (focus, selection, the top row shown)
 * among all the added items of an items-changed whose removed items held
 * them: one "replace all 250,000 rows" signal reads all 250,000 rows. So
 * a new query empties the list and then fills it, two signals, and a
 * refresh after a write announces only the pages held, one by one.
 */

/* A page is a few screens. */
#define PAGE_SIZE 100
/* GTK 4.8's list views build 200 rows (and 2 more each side) around the
 * top row shown, however few fit on screen: a new list reads as many at
 * once, so it shows whole. */
#define FIRST_PAGES 3
/* What such a view holds, and some to scroll back to. */
#define MAX_PAGES 16

typedef struct
{
  guint          index;
  /* Of PdmRecordItem: one per row of the page in the list as counted,
   * pending until the page is read. */
  GPtrArray     *items;
  /* Where the page ends, so the next one can seek from it. */
  PdmPageCursor  last;
  gboolean       reading;
} Page;

struct _PdmRecordListModel
{
  GObject        parent_instance;

  PdmListReader *reader;
  PdmQuery       query;
  gboolean       queried;
  guint          n_items;
  /* Most recently used first. */
  GQueue         pages;
  gboolean       loading;
  guint          loading_idle_id;

  /* The count in flight; a newer one cancels it. */
  GCancellable  *reload_cancellable;
  gboolean       reload_is_new_query;
  /* The page reads in flight, cancelled when the rows change under them. */
  GCancellable  *pages_cancellable;
};

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  READ_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PdmRecordListModel, pdm_record_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

/* What a read in flight needs to find its list again, if it still exists. */
typedef struct
{
  GWeakRef      model;
  GCancellable *cancellable;
  guint         index;
} ReadData;

static ReadData *
read_data_new (PdmRecordListModel *self,
               GCancellable       *cancellable,
               guint               index)
{
  ReadData *data = g_new0 (ReadData, 1);

  g_weak_ref_init (&data->model, self);
  data->cancellable = g_object_ref (cancellable);
  data->index = index;

  return data;
}

static void
read_data_free (ReadData *data)
{
  g_weak_ref_clear (&data->model);
  g_object_unref (data->cancellable);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReadData, read_data_free)

/* Pages */

static void
page_free (Page *page)
{
  g_ptr_array_unref (page->items);
  pdm_page_cursor_clear (&page->last);
  g_free (page);
}

static void
clear_pages (PdmRecordListModel *self)
{
  g_queue_clear_full (&self->pages, (GDestroyNotify) page_free);
}

/* How many rows page @index holds in a list of @n_items. */
static guint
page_length (guint index,
             guint n_items)
{
  guint start = index * PAGE_SIZE;

  return start < n_items ? MIN (PAGE_SIZE, n_items - start) : 0;
}

static Page *
page_new (guint index,
          guint n_items)
{
  Page *page = g_new0 (Page, 1);
  guint length = page_length (index, n_items);

  page->index = index;
  page->items = g_ptr_array_new_full (length, g_object_unref);
  for (guint i = 0; i < length; i++)
    g_ptr_array_add (page->items, pdm_record_item_new_pending ());

  return page;
}

static Page *
find_page (PdmRecordListModel *self,
           guint               index)
{
  for (GList *l = self->pages.head; l != NULL; l = l->next)
    if (((Page *) l->data)->index == index)
      return l->data;

  return NULL;
}

/* Most recently used first; the least recently used pages go past
 * MAX_PAGES, but never one being read: its items are on screen. */
static void
touch_page (PdmRecordListModel *self,
            Page               *page)
{
  GList *link = g_queue_find (&self->pages, page);

  if (link != NULL)
    g_queue_unlink (&self->pages, link);
  g_queue_push_head (&self->pages, page);

  for (GList *l = self->pages.tail; l != NULL && g_queue_get_length (&self->pages) > MAX_PAGES;)
    {
      GList *previous = l->prev;

      if (!((Page *) l->data)->reading)
        {
          page_free (l->data);
          g_queue_delete_link (&self->pages, l);
        }
      l = previous;
    }
}

static gboolean
is_loading (PdmRecordListModel *self)
{
  if (self->reload_cancellable != NULL)
    return TRUE;

  for (GList *l = self->pages.head; l != NULL; l = l->next)
    if (((Page *) l->data)->reading)
      return TRUE;

  return FALSE;
}

static void
update_loading (PdmRecordListModel *self)
{
  gboolean loading = is_loading (self);

  g_clear_handle_id (&self->loading_idle_id, g_source_remove);
  if (self->loading != loading)
    {
      self->loading = loading;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
    }
}

static gboolean
update_loading_idle_cb (gpointer data)
{
  PdmRecordListModel *self = data;

  self->loading_idle_id = 0;
  update_loading (self);

  return G_SOURCE_REMOVE;
}

/* A view asking for a row must not see the list change while it asks. */
static void
queue_update_loading (PdmRecordListModel *self)
{
  if (self->loading_idle_id == 0)
    self->loading_idle_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, update_loading_idle_cb,
                                             self, NULL);
}

/* Takes @error. */
static void
report_error (PdmRecordListModel *self,
              GError             *error)
{
  g_signal_emit (self, signals[READ_FAILED], 0, error);
  g_error_free (error);
}

/* Gives @page the rows read for it. Rows that are still the same records
 * (or were pending) are updated in place; otherwise the page gets new
 * items, since rows moved. Returns whether a view may have shown other
 * rows there: the page held rows read before. */
static gboolean
merge_page (Page        *page,
            PdmListPage *read,
            guint        length)
{
  g_autoptr(GPtrArray) items = NULL;
  gboolean in_place = TRUE;
  gboolean held_rows = FALSE;

  for (guint i = 0; i < MIN (page->items->len, length); i++)
    {
      const char *id = pdm_record_item_get_id (g_ptr_array_index (page->items, i));

      held_rows |= id != NULL;
      in_place &= id == NULL || (i < read->records->len &&
                                 g_str_equal (id, ((PdmRecord *) read->records->pdata[i])->id));
    }

  items = g_ptr_array_new_full (length, g_object_unref);
  for (guint i = 0; i < length; i++)
    {
      PdmRecordItem *item = in_place && i < page->items->len
                            ? g_object_ref (g_ptr_array_index (page->items, i))
                            : pdm_record_item_new_pending ();

      /* Fewer rows than counted: a write came between, and its refresh
       * is on its way. */
      if (i < read->records->len)
        pdm_record_item_set_record (item, g_steal_pointer (&read->records->pdata[i]),
                                    read->n_members != NULL
                                    ? g_array_index (read->n_members, int, i) : -1);
      g_ptr_array_add (items, item);
    }

  g_ptr_array_unref (page->items);
  page->items = g_steal_pointer (&items);
  pdm_page_cursor_clear (&page->last);
  page->last = read->last;
  read->last = (PdmPageCursor) { NULL, NULL };
  page->reading = FALSE;

  return held_rows;
}

static void
emit_items_changed (PdmRecordListModel *self,
                    guint               position,
                    guint               removed,
                    guint               added)
{
  if (removed > 0 || added > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

/* Reading pages */

static void read_page (PdmRecordListModel *self,
                       Page               *page);

static void
on_page_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ReadData) data = user_data;
  g_autoptr(PdmRecordListModel) self = g_weak_ref_get (&data->model);
  g_autoptr(PdmListResult) read = NULL;
  g_autoptr(GError) error = NULL;
  Page *page;

  read = pdm_list_reader_read_finish (PDM_LIST_READER (object), result, &error);
  /* Cancelled: the list changed under the read, which was asked again. */
  if (self == NULL || g_cancellable_is_cancelled (data->cancellable))
    return;

  page = find_page (self, data->index);
  g_assert (page != NULL && page->reading);

  if (read == NULL || read->pages->len == 0)
    {
      /* Nothing is where the count said: a write, whose refresh will
       * come. The rows stay empty until then. */
      page->reading = FALSE;
      if (read == NULL)
        report_error (self, g_steal_pointer (&error));
    }
  else if (merge_page (page, g_ptr_array_index (read->pages, 0), page->items->len))
    {
      /* Rows a view showed changed: a pending row only gets its record. */
      emit_items_changed (self, page->index * PAGE_SIZE, page->items->len, page->items->len);
    }

  update_loading (self);
}

static void
read_page (PdmRecordListModel *self,
           Page               *page)
{
  g_autoptr(PdmListRequest) request = pdm_list_request_new (&self->query, FALSE, PAGE_SIZE);
  Page *previous = page->index > 0 ? find_page (self, page->index - 1) : NULL;

  g_array_append_val (request->pages, page->index);
  /* Scrolling down seeks from the end of the page above, the cheapest way. */
  if (previous != NULL && !previous->reading && previous->last.id != NULL)
    {
      request->after.key = g_strdup (previous->last.key);
      request->after.id = g_strdup (previous->last.id);
    }

  page->reading = TRUE;
  pdm_list_reader_read_async (self->reader, g_steal_pointer (&request), self->pages_cancellable,
                              on_page_read_cb,
                              read_data_new (self, self->pages_cancellable, page->index));
}

/* The page reads in flight end, and take nothing back. */
static void
cancel_page_reads (PdmRecordListModel *self)
{
  g_cancellable_cancel (self->pages_cancellable);
  g_clear_object (&self->pages_cancellable);
  self->pages_cancellable = g_cancellable_new ();
}

/* Page reads in flight read what the list was: they end, and the pages
 * they were for are read again. */
static void
restart_page_reads (PdmRecordListModel *self)
{
  cancel_page_reads (self);
  for (GList *l = self->pages.head; l != NULL; l = l->next)
    if (((Page *) l->data)->reading)
      read_page (self, l->data);
}

/* Counting */

/* A new query: the list empties, then fills, as two signals (see the top
 * of the file); the views go back to the top. */
static void
show_new_list (PdmRecordListModel *self,
               PdmListResult      *read)
{
  guint old_n_items = self->n_items;

  cancel_page_reads (self);
  clear_pages (self);

  for (guint i = 0; read != NULL && i < read->pages->len; i++)
    {
      PdmListPage *fresh = g_ptr_array_index (read->pages, i);
      Page *page = page_new (fresh->index, read->count);

      merge_page (page, fresh, page->items->len);
      g_queue_push_tail (&self->pages, page);
    }

  self->n_items = 0;
  emit_items_changed (self, 0, old_n_items, 0);
  self->n_items = read != NULL ? read->count : 0;
  emit_items_changed (self, 0, 0, self->n_items);
}

typedef struct
{
  guint position;
  guint length;
} Span;

/* The same query after a write: the pages held are updated where they
 * are, and only they and the end of the list are announced. */
static void
refresh_list (PdmRecordListModel *self,
              PdmListResult      *read)
{
  g_autoptr(GArray) changed = g_array_new (FALSE, FALSE, sizeof (Span));
  guint old_n_items = self->n_items;
  guint common;

  self->n_items = read->count;
  common = MIN (old_n_items, self->n_items);

  for (GList *l = self->pages.head; l != NULL;)
    {
      Page *page = l->data;
      GList *next = l->next;
      PdmListPage *fresh = NULL;
      guint length = page_length (page->index, self->n_items);
      Span span = { page->index * PAGE_SIZE, MIN (page->items->len, length) };

      for (guint i = 0; i < read->pages->len && fresh == NULL; i++)
        if (((PdmListPage *) read->pages->pdata[i])->index == page->index)
          fresh = read->pages->pdata[i];

      if (length == 0)
        {
          /* Past the end now. */
          page_free (page);
          g_queue_delete_link (&self->pages, l);
          l = next;
          continue;
        }

      if (fresh != NULL)
        {
          merge_page (page, fresh, length);
          /* Taken: what is left of the result are pages not held. */
          g_ptr_array_remove_fast (read->pages, fresh);
        }
      else
        {
          /* Read before the write, or asked for since the refresh was:
           * read again, the rows shown meanwhile as they were. */
          if (page->items->len > length)
            g_ptr_array_set_size (page->items, length);
          while (page->items->len < length)
            g_ptr_array_add (page->items, pdm_record_item_new_pending ());
          page->reading = TRUE;
        }

      if (span.position < common && span.length > 0)
        g_array_append_val (changed, span);
      l = next;
    }

  /* The first pages of a list that held none. */
  for (guint i = 0; i < read->pages->len; i++)
    {
      PdmListPage *fresh = g_ptr_array_index (read->pages, i);
      Page *page = page_new (fresh->index, self->n_items);

      merge_page (page, fresh, page->items->len);
      g_queue_push_tail (&self->pages, page);
    }

  /* Rows came or went: at the end, as far as the views are concerned. */
  if (self->n_items > old_n_items)
    emit_items_changed (self, old_n_items, 0, self->n_items - old_n_items);
  else
    emit_items_changed (self, self->n_items, old_n_items - self->n_items, 0);

  for (guint i = 0; i < changed->len; i++)
    {
      Span *span = &g_array_index (changed, Span, i);

      emit_items_changed (self, span->position, span->length, span->length);
    }

  restart_page_reads (self);
}

static void
on_reloaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(ReadData) data = user_data;
  g_autoptr(PdmRecordListModel) self = g_weak_ref_get (&data->model);
  g_autoptr(PdmListResult) read = NULL;
  GError *error = NULL;

  read = pdm_list_reader_read_finish (PDM_LIST_READER (object), result, &error);
  /* A newer reload is in flight, or the list is going away. */
  if (self == NULL || data->cancellable != self->reload_cancellable ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&error);
      return;
    }

  g_clear_object (&self->reload_cancellable);
  if (error != NULL)
    report_error (self, error);
  if (read == NULL || self->reload_is_new_query)
    show_new_list (self, read);
  else
    refresh_list (self, read);

  update_loading (self);
}

static int
compare_indexes (gconstpointer a,
                 gconstpointer b)
{
  guint x = *(const guint *) a;
  guint y = *(const guint *) b;

  return (x > y) - (x < y);
}

static void
start_reload (PdmRecordListModel *self,
              gboolean            new_query)
{
  g_autoptr(PdmListRequest) request = NULL;

  self->queried = TRUE;
  if (self->reader == NULL)
    return;

  /* A new query still in flight stays one: the views have not seen it. */
  self->reload_is_new_query = new_query || (self->reload_cancellable != NULL &&
                                            self->reload_is_new_query);
  g_cancellable_cancel (self->reload_cancellable);
  g_clear_object (&self->reload_cancellable);
  self->reload_cancellable = g_cancellable_new ();

  /* The old list's pages will not be wanted: reading them would only
   * hold up the new one. */
  if (self->reload_is_new_query)
    g_cancellable_cancel (self->pages_cancellable);

  /* A refresh reads again the pages held, where the views are; a new
   * list, or one that held none, its first pages. */
  request = pdm_list_request_new (&self->query, TRUE, PAGE_SIZE);
  if (self->reload_is_new_query || self->pages.length == 0)
    for (guint i = 0; i < FIRST_PAGES; i++)
      g_array_append_val (request->pages, i);
  else
    for (GList *l = self->pages.head; l != NULL; l = l->next)
      g_array_append_val (request->pages, ((Page *) l->data)->index);
  g_array_sort (request->pages, compare_indexes);

  pdm_list_reader_read_async (self->reader, g_steal_pointer (&request), self->reload_cancellable,
                              on_reloaded_cb, read_data_new (self, self->reload_cancellable, 0));
  update_loading (self);
}

/* GListModel */

static GType
pdm_record_list_model_get_item_type (GListModel *model)
{
  return PDM_TYPE_RECORD_ITEM;
}

static guint
pdm_record_list_model_get_n_items (GListModel *model)
{
  return PDM_RECORD_LIST_MODEL (model)->n_items;
}

static gpointer
pdm_record_list_model_get_item (GListModel *model,
                                guint       position)
{
  PdmRecordListModel *self = PDM_RECORD_LIST_MODEL (model);
  Page *page;

  if (position >= self->n_items)
    return NULL;

  page = find_page (self, position / PAGE_SIZE);
  if (page == NULL)
    {
      page = page_new (position / PAGE_SIZE, self->n_items);
      read_page (self, page);
    }
  touch_page (self, page);
  queue_update_loading (self);

  g_assert (position % PAGE_SIZE < page->items->len);

  return g_object_ref (g_ptr_array_index (page->items, position % PAGE_SIZE));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = pdm_record_list_model_get_item_type;
  iface->get_n_items = pdm_record_list_model_get_n_items;
  iface->get_item = pdm_record_list_model_get_item;
}

/* Public API */

static void
on_records_changed_cb (PdmRecordListModel *self,
                       guint               table)
{
  pdm_record_list_model_reload (self);
}

/* @application's list reader reads the rows; without a database the list
 * stays empty. Nothing is read before the first pdm_record_list_model_set_query()
 * or pdm_record_list_model_reload(). */
PdmRecordListModel *
pdm_record_list_model_new (PdmApplication *application,
                           PdmTable        table)
{
  PdmRecordListModel *self;
  PdmListReader *reader;

  g_return_val_if_fail (PDM_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (table == PDM_TABLE_HOUSEHOLD || table == PDM_TABLE_PERSON ||
                        table == PDM_TABLE_VOLUNTEER || table == PDM_TABLE_VISIT, NULL);

  self = g_object_new (PDM_TYPE_RECORD_LIST_MODEL, NULL);
  self->query.table = table;
  reader = pdm_application_get_list_reader (application);
  if (reader != NULL)
    self->reader = g_object_ref (reader);

  g_signal_connect_object (application, "records-changed",
                           G_CALLBACK (on_records_changed_cb), self, G_CONNECT_SWAPPED);

  return self;
}

const PdmQuery *
pdm_record_list_model_get_query (PdmRecordListModel *self)
{
  g_return_val_if_fail (PDM_IS_RECORD_LIST_MODEL (self), NULL);

  return &self->query;
}

/* Shows the rows of @query (copied) once they are read; its table must
 * stay the model's. */
void
pdm_record_list_model_set_query (PdmRecordListModel *self,
                                 const PdmQuery     *query)
{
  g_return_if_fail (PDM_IS_RECORD_LIST_MODEL (self));
  g_return_if_fail (query != NULL);
  g_return_if_fail (query->table == self->query.table);

  /* Filters being set up announce the values they already had: a list of
   * a million rows is not read again for nothing. */
  if (self->queried && pdm_list_query_equal (query, &self->query))
    return;

  pdm_list_query_clear (&self->query);
  pdm_list_query_copy (&self->query, query);

  start_reload (self, TRUE);
}

/* Counts again and reads the rows held again, after a write; the rows
 * that are still the same records are updated in place. */
void
pdm_record_list_model_reload (PdmRecordListModel *self)
{
  g_return_if_fail (PDM_IS_RECORD_LIST_MODEL (self));

  /* Before the first query there is nothing to read again. */
  if (self->queried)
    start_reload (self, FALSE);
}

/* Whether a count or page is being read. PdmRecordListModel:loading
 * says the same, a moment later when a view asking for rows started it. */
gboolean
pdm_record_list_model_is_loading (PdmRecordListModel *self)
{
  g_return_val_if_fail (PDM_IS_RECORD_LIST_MODEL (self), FALSE);

  return is_loading (self);
}

static void
pdm_record_list_model_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  PdmRecordListModel *self = PDM_RECORD_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdm_record_list_model_dispose (GObject *object)
{
  PdmRecordListModel *self = (PdmRecordListModel *)object;

  /* Nothing would take what they read. */
  g_cancellable_cancel (self->reload_cancellable);
  g_cancellable_cancel (self->pages_cancellable);
  g_clear_handle_id (&self->loading_idle_id, g_source_remove);

  G_OBJECT_CLASS (pdm_record_list_model_parent_class)->dispose (object);
}

static void
pdm_record_list_model_finalize (GObject *object)
{
  PdmRecordListModel *self = (PdmRecordListModel *)object;

  clear_pages (self);
  pdm_list_query_clear (&self->query);
  g_clear_object (&self->reload_cancellable);
  g_clear_object (&self->pages_cancellable);
  g_clear_object (&self->reader);

  G_OBJECT_CLASS (pdm_record_list_model_parent_class)->finalize (object);
}

static void
pdm_record_list_model_class_init (PdmRecordListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pdm_record_list_model_dispose;
  object_class->finalize = pdm_record_list_model_finalize;
  object_class->get_property = pdm_record_list_model_get_property;

  /* TRUE while a count or a page is being read. */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PdmRecordListModel::read-failed:
   * @error: why
   *
   * A count or a page could not be read; the list shows what it had, or
   * nothing.
   */
  signals[READ_FAILED] =
    g_signal_new ("read-failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
pdm_record_list_model_init (PdmRecordListModel *self)
{
  g_queue_init (&self->pages);
  self->pages_cancellable = g_cancellable_new ();
}
